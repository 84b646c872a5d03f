#pragma once
// Custom attributes: the commands behind addAttribute, updateAttribute, deleteAttribute and
// setAttribute, and helpers the UI shares with them (key checks, value counts, type-change reports).
#include <string>
#include <vector>

#include "commands.h"
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
}  // namespace roster
