#pragma once
// Custom attributes and org units: the commands behind addAttribute, updateAttribute,
// deleteAttribute, setAttribute, saveOrgUnit, renameOrgUnit, deleteOrgUnit, importOrgUnits, and
// helpers the UI shares with them (type-change reports, value counts, relation graphs).
#include <nlohmann/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "commands.h"
#include "filter.h"
#include "model.h"

namespace roster {

// An attribute key as stored: trimmed and lower-cased.
std::string normalizeAttrKey(std::string_view key);
// INVALID_ARGUMENT for an empty/too long key or a built-in/reserved one (name, email, full_name,
// "integration:..."); DUPLICATE_ATTRIBUTE when a live attribute already has the key.
CmdResult checkNewAttrKey(const Directory& d, std::string_view key);
// Live users holding a non-empty value of the attribute.
uint32_t attrValueCount(const Directory& d, uint32_t attr);
// Live users whose value of `attr` would not convert to `type` (normalizeValue fails), in slot order.
std::vector<uint32_t> typeConversionFailures(const Directory& d, uint32_t attr, AttrType type);
// Names of live org units whose filters refer to the attribute key.
std::vector<std::string> orgUnitsUsingAttribute(const Directory& d, std::string_view key);
// "Ada Lovelace <ada@x.com>" (or the email / the id when blank) for messages.
std::string personLabel(const Directory& d, uint32_t slot);

class AddAttributeCmd : public Command {
public:
    AddAttributeCmd(std::string key, std::string label, AttrType type) : key_(std::move(key)), label_(std::move(label)), type_(type) {}
    std::string label() const override { return "Add attribute " + key_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string key_, label_;
    AttrType type_;
};

// Label and/or type. A type change converts every value (dates to YYYY-MM-DD, booleans to
// true/false); values that would not convert refuse the change (INVALID_VALUE naming them) unless
// `force`, which clears them.
class UpdateAttributeCmd : public Command {
public:
    UpdateAttributeCmd(std::string key, const std::string* label, const AttrType* type, bool force);
    std::string label() const override;
    CmdResult apply(Tx& tx) override;
private:
    std::string key_, label_;
    bool hasLabel_, hasType_, force_;
    AttrType type_ = AttrType::Text;
};

// Clears every value and removes the definition (undo restores both). Refused with
// ATTRIBUTE_IN_USE while an org unit's filter refers to it, unless `force`.
class DeleteAttributeCmd : public Command {
public:
    DeleteAttributeCmd(std::string key, bool force) : key_(std::move(key)), force_(force) {}
    std::string label() const override { return "Delete attribute " + key_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string key_;
    bool force_;
};

// Sets (or, with "", clears) one attribute for many users: one undo step.
class SetAttributeCmd : public Command {
public:
    SetAttributeCmd(std::vector<uint32_t> ids, std::string key, std::string value)
        : ids_(std::move(ids)), key_(std::move(key)), value_(std::move(value)) {}
    std::string label() const override;
    CmdResult apply(Tx& tx) override;
private:
    std::vector<uint32_t> ids_;
    std::string key_, value_;
    std::string shownLabel_;
};

class SaveOrgUnitCmd : public Command {
public:
    SaveOrgUnitCmd(std::string name, nlohmann::json filter) : name_(std::move(name)), filter_(std::move(filter)) {}
    // The filter as the builder edits it (stored as its JSON form).
    SaveOrgUnitCmd(std::string name, const FilterTree& filter) : SaveOrgUnitCmd(std::move(name), filterTreeToJson(filter)) {}
    std::string label() const override { return "Save org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_;
    nlohmann::json filter_;
};

class RenameOrgUnitCmd : public Command {
public:
    RenameOrgUnitCmd(std::string name, std::string newName) : name_(std::move(name)), newName_(std::move(newName)) {}
    std::string label() const override { return "Rename org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_, newName_;
};

class DeleteOrgUnitCmd : public Command {
public:
    explicit DeleteOrgUnitCmd(std::string name) : name_(std::move(name)) {}
    std::string label() const override { return "Delete org unit " + name_; }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_;
};

// Many units at once (a shared JSON file: {"orgUnits": [{name, filter}...]}); all or nothing.
class ImportOrgUnitsCmd : public Command {
public:
    explicit ImportOrgUnitsCmd(std::vector<std::pair<std::string, nlohmann::json>> units) : units_(std::move(units)) {}
    std::string label() const override { return "Import " + std::to_string(units_.size()) + " org units"; }
    CmdResult apply(Tx& tx) override;
private:
    std::vector<std::pair<std::string, nlohmann::json>> units_;
};

// Parses {"orgUnits": [...]} (or a bare array) as exported; INVALID_ARGUMENT / INVALID_FILTER.
bool parseOrgUnitsFile(const nlohmann::json& j, std::vector<std::pair<std::string, nlohmann::json>>& out, Diag& err);
// The export file for the live org units: {"orgUnits": [{name, filter}...]}.
nlohmann::json orgUnitsFile(const Directory& d);

// An email-typed attribute as a graph between live people: target[slot] = the person the value
// names (kNone when blank or unknown), children in CSR form (reports of each person).
struct RelationGraph {
    uint32_t attr = kNone;
    std::vector<uint32_t> target;
    std::vector<uint32_t> childStart, children;
    std::vector<uint32_t> roots;        // live people with no value who have reports (tops of trees)
    std::vector<uint8_t> unresolved;    // 1 when the value matches nobody
    uint32_t withValue = 0;             // live people with a non-empty value
    uint32_t unresolvedCount = 0;       // ... of whom match nobody
};
void buildRelation(const Directory& d, uint32_t attr, RelationGraph& g);
// buildRelation in three parts (LintRun reads the people in slices): begin, read every slot, end.
void relationBegin(const Directory& d, uint32_t attr, RelationGraph& g);
void relationRead(const Directory& d, RelationGraph& g, uint32_t slot);
void relationEnd(const Directory& d, RelationGraph& g);
// relationRead for the slots from `cur` on, until the deadline (checked every 1024 slots); true
// when every slot is read (then relationEnd is due), false with `cur` where to resume.
bool relationReadUntil(const Directory& d, RelationGraph& g, uint32_t& cur, std::chrono::steady_clock::time_point deadline);

}  // namespace roster
