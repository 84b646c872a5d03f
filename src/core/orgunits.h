#pragma once
// Org units (named filters over the people): the commands behind saveOrgUnit, renameOrgUnit,
// deleteOrgUnit and importOrgUnits, the shared org-units file, and which units use an attribute.
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

}  // namespace roster
