// Attributes: their commands and the JSON builder of their ops.
#include "attributes.h"

#include <algorithm>

#include "orgunits.h"
#include "ops.h"
#include "session.h"
#include "text.h"
#include "values.h"

namespace roster {

namespace {

constexpr size_t kMaxKeyBytes = 256;

CmdResult fail(const char* code, std::string msg) { return CmdResult::fail(code, std::move(msg)); }

bool hasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

std::string attrShownName(const Directory& d, uint32_t a) {
    const AttrDef& def = d.attrDefs()[a];
    return std::string(d.s(def.label).empty() ? d.s(def.key) : d.s(def.label));
}

// Records a change of an attribute value to a pooled string (shared by many users).
void setValueStr(Tx& tx, uint32_t attr, uint32_t slot, Str v) {
    Directory& d = tx.dir();
    Str cur = d.attrValueStr(attr, slot);
    if (d.s(cur) == d.s(v)) return;
    Change c{ChangeOp::AttrValue, slot, attr};
    c.oldS = cur;
    c.newS = v;
    tx.rec(c);
}

}  // namespace

// ---------------------------------------------------------------- helpers

// Keys never hold spaces: trimmed, lower-cased, runs of spaces, '-' and '.' written as '_' (attrKeyOf).
std::string normalizeAttrKey(std::string_view key) { return attrKeyOf(key); }

CmdResult checkNewAttrKey(const Directory& d, std::string_view rawKey) {
    std::string key = normalizeAttrKey(rawKey);
    if (key.empty()) return fail("INVALID_ARGUMENT", "An attribute needs a key");
    if (key.size() > kMaxKeyBytes) return fail("INVALID_ARGUMENT", "An attribute key is at most 256 bytes");
    if (hasNul(key) || key.find('\n') != std::string::npos || key.find('\r') != std::string::npos)
        return fail("INVALID_ARGUMENT", "An attribute key cannot contain line breaks or NUL characters");
    if (key == "name" || key == "email" || key == "full_name" || key == "full name" || key.rfind("integration:", 0) == 0)
        return fail("INVALID_ARGUMENT", "\"" + clipText(key) + "\" is built in: choose another key");
    if (d.findAttr(key) != kNone) return fail("DUPLICATE_ATTRIBUTE", "There is already an attribute \"" + clipText(key) + "\"");
    return {};
}

uint32_t attrValueCount(const Directory& d, uint32_t attr) {
    uint32_t n = 0;
    for (uint32_t s = 0; s < d.slotCount(); ++s)
        if (d.userAlive(s) && !d.attrValueStr(attr, s).empty()) ++n;
    return n;
}

std::vector<uint32_t> typeConversionFailures(const Directory& d, uint32_t attr, AttrType type) {
    std::vector<uint32_t> out;
    std::string norm;
    for (uint32_t s = 0; s < d.slotCount(); ++s) {
        if (!d.userAlive(s)) continue;
        std::string_view v = d.attrValue(attr, s);
        if (!v.empty() && !normalizeValue(type, v, norm)) out.push_back(s);
    }
    return out;
}

// ---------------------------------------------------------------- attribute commands

CmdResult AddAttributeCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    if (auto r = checkNewAttrKey(d, key_); !r.ok) return r;
    std::string key = normalizeAttrKey(key_);
    std::string_view label = trim(label_);
    if (label.size() > kMaxKeyBytes || hasNul(label)) return fail("INVALID_ARGUMENT", "A label is at most 256 bytes, without NUL");
    tx.createAttr(key, label.empty() ? std::string_view(key) : label, "", type_);
    return {};
}

UpdateAttributeCmd::UpdateAttributeCmd(std::string key, const std::string* label, const AttrType* type, bool force)
    : key_(std::move(key)), hasLabel_(label != nullptr), hasType_(type != nullptr), force_(force) {
    if (label) label_ = *label;
    if (type) type_ = *type;
}

std::string UpdateAttributeCmd::label() const {
    if (hasType_) return std::string("Change the type of ") + key_ + " to " + attrTypeName(type_);
    return "Rename attribute " + key_;
}

CmdResult UpdateAttributeCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t a = d.findAttr(key_);
    if (a == kNone) return fail("NOT_FOUND", "No attribute \"" + clipText(key_) + "\"");
    if (hasLabel_) {
        std::string_view label = trim(label_);
        if (label.size() > kMaxKeyBytes || hasNul(label)) return fail("INVALID_ARGUMENT", "A label is at most 256 bytes, without NUL");
        if (label.empty()) label = d.s(d.attrDefs()[a].key);
        if (d.s(d.attrDefs()[a].label) != label) {
            Change c{ChangeOp::AttrDefLabel, a};
            c.oldS = d.attrDefs()[a].label;
            c.newS = d.pool().add(label);
            tx.rec(c);
        }
    }
    if (hasType_ && d.attrDefs()[a].type != type_) {
        std::vector<uint32_t> bad = typeConversionFailures(d, a, type_);
        if (!bad.empty() && !force_) {
            std::string msg = std::to_string(bad.size()) + (bad.size() == 1 ? " value" : " values") + " of " + attrShownName(d, a) +
                              " would not convert to " + attrTypeName(type_) + ": ";
            for (size_t i = 0; i < bad.size() && i < 10; ++i) {
                if (i) msg += "; ";
                msg += personLabel(d, bad[i]) + " has \"" + clipText(d.attrValue(a, bad[i]), 60) + "\"";
            }
            if (bad.size() > 10) msg += "; and " + std::to_string(bad.size() - 10) + " more";
            msg += ". Fix them first, or use force to clear them.";
            return fail("INVALID_VALUE", msg);
        }
        // Convert every value (removed users too, so that undoing their removal stays consistent).
        std::string norm;
        for (uint32_t s = 0; s < d.slotCount(); ++s) {
            Str cur = d.attrValueStr(a, s);
            if (cur.empty()) continue;
            std::string_view v = d.s(cur);
            if (!normalizeValue(type_, v, norm)) norm.clear();
            if (norm != v) setValueStr(tx, a, s, d.pool().add(norm));
        }
        Change c{ChangeOp::AttrDefType, a};
        c.oldV = uint32_t(d.attrDefs()[a].type);
        c.newV = uint32_t(type_);
        tx.rec(c);
    }
    return {};
}

CmdResult DeleteAttributeCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t a = d.findAttr(key_);
    if (a == kNone) return fail("NOT_FOUND", "No attribute \"" + clipText(key_) + "\"");
    if (!force_) {
        std::vector<std::string> units = orgUnitsUsingAttribute(d, d.s(d.attrDefs()[a].key));
        if (!units.empty()) {
            std::string msg = "The org unit" + std::string(units.size() > 1 ? "s " : " ");
            for (size_t i = 0; i < units.size() && i < 5; ++i) msg += (i ? ", \"" : "\"") + clipText(units[i]) + "\"";
            if (units.size() > 5) msg += " and " + std::to_string(units.size() - 5) + " more";
            msg += (units.size() > 1 ? " filter" : " filters") + std::string(" on ") + attrShownName(d, a) +
                   ": change them first, or use force";
            return fail("ATTRIBUTE_IN_USE", msg);
        }
    }
    for (uint32_t s = 0; s < d.slotCount(); ++s)
        if (!d.attrValueStr(a, s).empty()) setValueStr(tx, a, s, Str{});
    Change c{ChangeOp::AttrDefAlive, a};
    c.oldV = 1;
    c.newV = 0;
    tx.rec(c);
    return {};
}

std::string SetAttributeCmd::label() const {
    std::string what = shownLabel_.empty() ? key_ : shownLabel_;
    std::string verb = trim(value_).empty() ? "Clear " : "Set ";
    return verb + what + (ids_.size() == 1 ? "" : " for " + std::to_string(ids_.size()) + " people");
}

CmdResult SetAttributeCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t a = d.findAttr(key_);
    if (a == kNone) return fail("NOT_FOUND", "No attribute \"" + clipText(key_) + "\"");
    shownLabel_ = attrShownName(d, a);
    if (value_.size() > kMaxValueBytes) return fail("VALUE_TOO_LONG", "The value is longer than 64 KB");
    if (hasNul(value_)) return fail("INVALID_VALUE", "The value contains a NUL character");
    const AttrType type = d.attrDefs()[a].type;
    std::string norm;
    if (!normalizeValue(type, value_, norm)) {
        std::string hint = type == AttrType::Date      ? " (use YYYY-MM-DD)"
                           : type == AttrType::Boolean ? " (use true or false)"
                           : type == AttrType::Email   ? " (an email address)"
                           : type == AttrType::Number  ? " (a number like 12 or 3.5)"
                                                       : "";
        return fail("INVALID_VALUE", "\"" + clipText(trim(value_)) + "\" is not a valid " + attrTypeName(type) + " for " + shownLabel_ + hint);
    }
    std::vector<uint32_t> slots;
    slots.reserve(ids_.size());
    for (uint32_t id : ids_) {
        uint32_t slot = d.slotOfId(id);
        if (slot == kNone || !d.userAlive(slot)) return fail("NOT_FOUND", "No user " + formatUserId(id));
        slots.push_back(slot);
    }
    Str v = d.pool().add(norm);   // one copy shared by every user
    for (uint32_t slot : slots) setValueStr(tx, a, slot, v);
    return {};
}

// ---------------------------------------------------------------- the JSON door

static bool jsonBool(const json& cmd, const char* key, bool& out, Diag& err) {
    auto it = cmd.find(key);
    if (it == cmd.end() || it->is_null()) return true;
    if (!it->is_boolean()) {
        err = Diag{"INVALID_ARGUMENT", std::string("Field \"") + key + "\" must be true or false", 0, 0};
        return false;
    }
    out = it->get<bool>();
    return true;
}

static bool jsonType(const json& cmd, AttrType& t, bool& has, Diag& err) {
    std::string type;
    has = jsonString(cmd, "type", type, err, false);
    if (!err.code.empty()) return false;
    if (has && !parseAttrType(type, t)) {
        err = Diag{"INVALID_ARGUMENT", "Unknown type \"" + clipText(type) + "\" (text, boolean, date, number or email)", 0, 0};
        return false;
    }
    return true;
}

std::unique_ptr<Command> makeAttributeCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled) {
    (void)s;
    handled = true;
    if (op == "addAttribute") {
        std::string key, label;
        if (!jsonString(cmd, "key", key, err, true)) return nullptr;
        jsonString(cmd, "label", label, err, false);
        if (!err.code.empty()) return nullptr;
        AttrType t = AttrType::Text;
        bool hasType = false;
        if (!jsonType(cmd, t, hasType, err)) return nullptr;
        return std::make_unique<AddAttributeCmd>(key, label, t);
    }
    if (op == "updateAttribute") {
        std::string key, label;
        if (!jsonString(cmd, "key", key, err, true)) return nullptr;
        bool hasLabel = jsonString(cmd, "label", label, err, false);
        if (!err.code.empty()) return nullptr;
        AttrType t = AttrType::Text;
        bool hasType = false, force = false;
        if (!jsonType(cmd, t, hasType, err) || !jsonBool(cmd, "force", force, err)) return nullptr;
        if (!hasLabel && !hasType) {
            err = Diag{"INVALID_ARGUMENT", "updateAttribute needs \"label\" or \"type\"", 0, 0};
            return nullptr;
        }
        return std::make_unique<UpdateAttributeCmd>(key, hasLabel ? &label : nullptr, hasType ? &t : nullptr, force);
    }
    if (op == "deleteAttribute") {
        std::string key;
        bool force = false;
        if (!jsonString(cmd, "key", key, err, true) || !jsonBool(cmd, "force", force, err)) return nullptr;
        return std::make_unique<DeleteAttributeCmd>(key, force);
    }
    if (op == "setAttribute") {
        std::vector<uint32_t> ids;
        std::string key, value;
        if (!jsonUserIds(cmd, "ids", ids, err)) return nullptr;
        if (!jsonString(cmd, "key", key, err, true)) return nullptr;
        auto it = cmd.find("value");
        if (it == cmd.end() || it->is_null()) value.clear();   // a missing value clears
        else if (it->is_string()) value = it->get<std::string>();
        else if (it->is_boolean()) value = it->get<bool>() ? "true" : "false";
        else if (it->is_number()) value = it->dump();
        else {
            err = Diag{"INVALID_ARGUMENT", "Field \"value\" must be a string", 0, 0};
            return nullptr;
        }
        return std::make_unique<SetAttributeCmd>(std::move(ids), key, value);
    }
    handled = false;
    return nullptr;
}

}  // namespace roster
