#pragma once
// Org units (named filters over the people, in a tree): the commands behind saveOrgUnit,
// renameOrgUnit, deleteOrgUnit and importOrgUnits, the tree and its membership (a unit's members are
// those of its own filter within its parent's members), the shared org-units file, and which units
// use an attribute.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "filter.h"
#include "model.h"

namespace roster {

// Names of live org units whose filters refer to the attribute key.
std::vector<std::string> orgUnitsUsingAttribute(const Directory& d, std::string_view key);

// ---- the tree
// An org unit's id as the API shows it: "o" and the number ("o3").
std::string formatOrgUnitId(uint32_t id);
// Is live unit u the unit `ancestor` or inside it (at any depth)?
bool orgUnitWithin(const Directory& d, uint32_t u, uint32_t ancestor);
// The live units from the top of the tree down to u (u last).
std::vector<uint32_t> orgUnitPath(const Directory& d, uint32_t u);
// The live children of unit p (kNone: the top-level units), in creation order.
std::vector<uint32_t> orgUnitChildren(const Directory& d, uint32_t p);
// Every live unit, depth first (each unit before its children; siblings in creation order).
struct OrgUnitRow { uint32_t unit; uint32_t depth; };
std::vector<OrgUnitRow> orgUnitTree(const Directory& d);
// The live units unit u may be moved under: every unit but u and those inside it.
std::vector<uint32_t> orgUnitValidParents(const Directory& d, uint32_t u);

// ---- membership
// One byte per person slot: 1 for the live people in unit p (its filter within its parent's members,
// up to the top); p = kNone: everyone alive. False (mask all 0, err set when given) when a filter on
// the way does not compile.
bool orgUnitMemberMask(const Directory& d, uint32_t p, std::vector<uint8_t>& mask, Diag* err = nullptr);
// Every unit's member count, by unit index (0 for dead units, -1 when its filter or an ancestor's no
// longer compiles). One filter pass per unit, each within its parent's members.
std::vector<int64_t> orgUnitMemberCounts(const Directory& d);

// What a save or a move does with a unit's parent: keep it (a save without "parent"), move the unit to
// the top level ("parent": null), or put it under the named unit.
struct OrgUnitParentRef {
    enum class Kind : uint8_t { Keep, Root, Unit };
    Kind kind = Kind::Keep;
    std::string name;
    static OrgUnitParentRef keep() { return {}; }
    static OrgUnitParentRef root() { return {Kind::Root, {}}; }
    static OrgUnitParentRef unit(std::string n) { return {Kind::Unit, std::move(n)}; }
};

// Creates or replaces a unit inside a running transaction (saveOrgUnit's work; an import's units).
CmdResult saveOrgUnitInTx(Tx& tx, std::string_view name, const nlohmann::json& filter, const OrgUnitParentRef& parent);

class SaveOrgUnitCmd : public Command {
public:
    SaveOrgUnitCmd(std::string name, nlohmann::json filter, OrgUnitParentRef parent = {})
        : name_(std::move(name)), filter_(std::move(filter)), parent_(std::move(parent)) {}
    // The filter as the builder edits it (stored as its JSON form).
    SaveOrgUnitCmd(std::string name, const FilterTree& filter, OrgUnitParentRef parent = {})
        : SaveOrgUnitCmd(std::move(name), filterTreeToJson(filter), std::move(parent)) {}
    std::string label() const override { return "Save org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_;
    nlohmann::json filter_;
    OrgUnitParentRef parent_;
};

// Moves a unit (and everything inside it) under another unit or to the top level: one undo step;
// CIRCULAR_REFERENCE when the new parent is the unit itself or inside it. (The "Move under…" action;
// the API moves with saveOrgUnit's "parent".)
class MoveOrgUnitCmd : public Command {
public:
    MoveOrgUnitCmd(std::string name, OrgUnitParentRef parent) : name_(std::move(name)), parent_(std::move(parent)) {}
    std::string label() const override { return "Move org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_;
    OrgUnitParentRef parent_;
};

class RenameOrgUnitCmd : public Command {
public:
    RenameOrgUnitCmd(std::string name, std::string newName) : name_(std::move(name)), newName_(std::move(newName)) {}
    std::string label() const override { return "Rename org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_, newName_;
};

// Deletes a unit; its children move up to the deleted unit's parent (the top level for a top-level
// unit), keeping their own filters, all in the same undo step.
class DeleteOrgUnitCmd : public Command {
public:
    explicit DeleteOrgUnitCmd(std::string name) : name_(std::move(name)) {}
    std::string label() const override { return "Delete org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_;
};

// Renames a unit and saves its filter under the new name, as one undo step (the org-unit editor's
// Save after the name was changed).
class RenameAndSaveCmd : public Command {
public:
    RenameAndSaveCmd(std::string from, std::string to, SaveOrgUnitCmd save) : rename_(from, to), save_(std::move(save)), to_(std::move(to)) {}
    std::string label() const override { return "Save org unit " + to_; }
    CmdResult apply(Tx& tx) override;
private:
    RenameOrgUnitCmd rename_;
    SaveOrgUnitCmd save_;
    std::string to_;
};

// One unit of a shared org-units file: its name, filter and (optional) parent.
struct OrgUnitEntry {
    std::string name;
    nlohmann::json filter;
    OrgUnitParentRef parent;
};

// Many units at once (a shared JSON file: {"orgUnits": [{name, filter, parent?}...]}); all or nothing.
// Every unit is saved first, then the parents are set, so a file may list children before parents.
class ImportOrgUnitsCmd : public Command {
public:
    explicit ImportOrgUnitsCmd(std::vector<OrgUnitEntry> units) : units_(std::move(units)) {}
    std::string label() const override { return "Import " + std::to_string(units_.size()) + " org units"; }
    CmdResult apply(Tx& tx) override;
private:
    std::vector<OrgUnitEntry> units_;
};

// Parses {"orgUnits": [...]} (or a bare array) as exported; INVALID_ARGUMENT / INVALID_FILTER.
bool parseOrgUnitsFile(const nlohmann::json& j, std::vector<OrgUnitEntry>& out, Diag& err);
// The export file for the live org units, parents first: {"orgUnits": [{name, filter, parent}...]}
// (parent: a unit's name, or null).
nlohmann::json orgUnitsFile(const Directory& d);

}  // namespace roster
