#include "versions.h"

namespace roster {

namespace {

Change strChange(ChangeOp op, uint32_t a, uint32_t b, Str oldS, Str newS) {
    Change c{op, a, b};
    c.oldS = oldS;
    c.newS = newS;
    return c;
}

Change valChange(ChangeOp op, uint32_t a, uint32_t oldV, uint32_t newV) {
    Change c{op, a};
    c.oldV = oldV;
    c.newV = newV;
    return c;
}

}  // namespace

CmdResult RestoreVersionCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    const Directory& v = v_;
    auto& pool = d.pool();
    auto setStr = [&](ChangeOp op, uint32_t a, uint32_t b, Str cur, std::string_view want) {
        if (d.s(cur) != want) tx.rec(strChange(op, a, b, cur, pool.add(want)));
    };
    auto setVal = [&](ChangeOp op, uint32_t a, uint32_t cur, uint32_t want) {
        if (cur != want) tx.rec(valChange(op, a, cur, want));
    };
    // Attribute definitions and integrations (append-only, by index).
    for (uint32_t i = 0; i < v.attrDefs().size(); ++i) {
        const AttrDef& va = v.attrDefs()[i];
        if (i >= d.attrDefs().size()) d.newAttrDef(v.s(va.key), v.s(va.label), v.s(va.header), va.type);
        const AttrDef& da = d.attrDefs()[i];
        if (d.s(da.key) != v.s(va.key)) return CmdResult::fail("VERSION_INCOMPATIBLE", "The version's attributes do not match this directory");
        setStr(ChangeOp::AttrDefLabel, i, 0, da.label, v.s(va.label));
        setStr(ChangeOp::AttrDefHeader, i, 0, d.attrDefs()[i].header, v.s(va.header));
        setVal(ChangeOp::AttrDefType, i, uint32_t(d.attrDefs()[i].type), uint32_t(va.type));
        setVal(ChangeOp::AttrDefAlive, i, d.attrDefs()[i].alive, va.alive);
    }
    for (uint32_t i = uint32_t(v.attrDefs().size()); i < d.attrDefs().size(); ++i) setVal(ChangeOp::AttrDefAlive, i, d.attrDefs()[i].alive, 0);
    for (uint32_t i = 0; i < v.integrations().size(); ++i) {
        const Integration& vi = v.integrations()[i];
        if (i >= d.integrations().size()) d.newIntegration(v.s(vi.name), vi.kind);
        if (d.s(d.integrations()[i].name) != v.s(vi.name))
            return CmdResult::fail("VERSION_INCOMPATIBLE", "The version's integrations do not match this directory");
        setVal(ChangeOp::IntegKindOp, i, uint32_t(d.integrations()[i].kind), uint32_t(vi.kind));
        setVal(ChangeOp::IntegAlive, i, d.integrations()[i].alive, vi.alive);
    }
    for (uint32_t i = uint32_t(v.integrations().size()); i < d.integrations().size(); ++i) setVal(ChangeOp::IntegAlive, i, d.integrations()[i].alive, 0);
    // People: those absent from the version go first (their emails free up), then each record.
    for (uint32_t s = v.slotCount(); s < d.slotCount(); ++s) tx.setUserAlive(s, false);
    for (uint32_t s = 0; s < v.slotCount(); ++s) {
        if (s >= d.slotCount()) d.newUserSlot(v.userId(s));
        if (d.userId(s) != v.userId(s)) return CmdResult::fail("VERSION_INCOMPATIBLE", "The version's people do not match this directory");
        if (!v.userAlive(s)) tx.setUserAlive(s, false);
    }
    for (uint32_t s = 0; s < v.slotCount(); ++s) {
        tx.setUserName(s, v.userName(s));
        tx.setUserEmail(s, v.userEmail(s));
        for (uint32_t a = 0; a < v.attrDefs().size(); ++a) tx.setAttr(a, s, v.attrValue(a, s));
        if (v.userAlive(s)) tx.setUserAlive(s, true);
    }
    // Accounts and aliases (by index).
    for (uint32_t i = 0; i < v.identities().size(); ++i) {
        const Identity& vi = v.identities()[i];
        if (i >= d.identities().size()) d.newIdentity(vi.integ, v.s(vi.account), v.s(vi.display));
        const Identity& di = d.identities()[i];
        if (di.integ != vi.integ || d.s(di.account) != v.s(vi.account))
            return CmdResult::fail("VERSION_INCOMPATIBLE", "The version's accounts do not match this directory");
        if (!vi.alive) tx.setIdentAlive(i, false);
    }
    for (uint32_t i = uint32_t(v.identities().size()); i < d.identities().size(); ++i) tx.setIdentAlive(i, false);
    for (uint32_t i = 0; i < v.identities().size(); ++i) {
        const Identity& vi = v.identities()[i];
        tx.setIdentOwner(i, vi.owner);
        tx.setIdentDisplay(i, v.s(vi.display));
        setVal(ChangeOp::IdentFlags, i, d.identities()[i].flags, vi.flags);
        if (vi.alive) tx.setIdentAlive(i, true);
    }
    for (uint32_t i = 0; i < v.aliases().size(); ++i) {
        const Alias& va = v.aliases()[i];
        if (i >= d.aliases().size()) d.newAlias(v.s(va.email), va.owner);
        tx.setAliasOwner(i, va.owner);
        tx.setAliasAlive(i, va.alive);
    }
    for (uint32_t i = uint32_t(v.aliases().size()); i < d.aliases().size(); ++i) tx.setAliasAlive(i, false);
    // Org units, rejected suggestions, bot patterns.
    for (uint32_t i = 0; i < v.orgUnits().size(); ++i) {
        const OrgUnit& vu = v.orgUnits()[i];
        // A unit this directory never had keeps the version's id when it is free (ids are never reused).
        if (i >= d.orgUnits().size()) d.newOrgUnit(v.s(vu.name), v.s(vu.filter), d.findOrgUnitById(vu.id) == kNone ? vu.id : 0);
        setStr(ChangeOp::OrgUnitName, i, 0, d.orgUnits()[i].name, v.s(vu.name));
        setStr(ChangeOp::OrgUnitFilter, i, 0, d.orgUnits()[i].filter, v.s(vu.filter));
        setVal(ChangeOp::OrgUnitParent, i, d.orgUnits()[i].parent, vu.parent);   // by index, as the units
        setVal(ChangeOp::OrgUnitAlive, i, d.orgUnits()[i].alive, vu.alive);
    }
    for (uint32_t i = uint32_t(v.orgUnits().size()); i < d.orgUnits().size(); ++i) setVal(ChangeOp::OrgUnitAlive, i, d.orgUnits()[i].alive, 0);
    for (uint32_t i = 0; i < d.rejected().size(); ++i) {
        bool want = v.isRejected(d.s(d.rejected()[i].key)) && (i < v.rejected().size() ? v.rejected()[i].alive : false);
        setVal(ChangeOp::RejectAlive, i, d.rejected()[i].alive, want);
    }
    for (uint32_t i = uint32_t(d.rejected().size()); i < v.rejected().size(); ++i) {
        if (!v.rejected()[i].alive) continue;
        uint32_t r = d.newRejected(v.s(v.rejected()[i].key));
        setVal(ChangeOp::RejectAlive, r, 0, 1);
    }
    for (uint32_t i = 0; i < d.botPatterns().size(); ++i)
        setVal(ChangeOp::BotPatternAlive, i, d.botPatterns()[i].alive, i < v.botPatterns().size() ? v.botPatterns()[i].alive : 0);
    for (uint32_t i = uint32_t(d.botPatterns().size()); i < v.botPatterns().size(); ++i) {
        if (!v.botPatterns()[i].alive) continue;
        uint32_t r = d.newBotPattern(v.s(v.botPatterns()[i].key));
        setVal(ChangeOp::BotPatternAlive, r, 0, 1);
    }
    for (uint32_t i = 0; i < d.importMappings().size(); ++i)
        setVal(ChangeOp::ImportMappingAlive, i, d.importMappings()[i].alive, i < v.importMappings().size() ? v.importMappings()[i].alive : 0);
    for (uint32_t i = uint32_t(d.importMappings().size()); i < v.importMappings().size(); ++i) {
        if (!v.importMappings()[i].alive) continue;
        uint32_t r = d.newImportMapping(v.s(v.importMappings()[i].key));
        setVal(ChangeOp::ImportMappingAlive, r, 0, 1);
    }
    for (uint32_t i = 0; i < d.hints().size(); ++i)
        setVal(ChangeOp::HintAlive, i, d.hints()[i].alive, i < v.hints().size() ? v.hints()[i].alive : 0);
    for (uint32_t i = uint32_t(d.hints().size()); i < v.hints().size(); ++i) {
        if (!v.hints()[i].alive) continue;
        uint32_t r = d.newHint(v.s(v.hints()[i].key));
        setVal(ChangeOp::HintAlive, r, 0, 1);
    }
    return {};
}

VersionDiff diffVersion(const Directory& now, const Directory& v, size_t cap) {
    VersionDiff out;
    auto sample = [&](uint32_t slot, const Directory& d, const char* what) {
        if (out.samples.size() < cap) out.samples.push_back({slot, std::string(d.userName(slot)), std::string(d.userEmail(slot)), what});
    };
    // Accounts per person, as a comparable multiset of identity indexes (indexes are stable).
    for (uint32_t s = 0; s < std::max(now.slotCount(), v.slotCount()); ++s) {
        bool inNow = now.userAlive(s), inV = s < v.slotCount() && v.userAlive(s);
        if (inNow && !inV) { ++out.added; sample(s, now, "added since"); continue; }
        if (!inNow && inV) { ++out.removed; sample(s, v, "removed since"); continue; }
        if (!inNow) continue;
        std::string what;
        if (now.userName(s) != v.userName(s)) what = "name";
        else if (now.userEmail(s) != v.userEmail(s)) what = "email";
        if (what.empty())
            for (uint32_t a = 0; a < v.attrDefs().size() && a < now.attrDefs().size(); ++a)
                if (now.attrValue(a, s) != v.attrValue(a, s)) { what = std::string(now.s(now.attrDefs()[a].label)); break; }
        if (what.empty()) {
            uint32_t n1 = 0, n2 = 0;
            const uint32_t* l1 = now.identitiesOf(s, n1);
            const uint32_t* l2 = v.identitiesOf(s, n2);
            if (n1 != n2 || !std::equal(l1, l1 + n1, l2)) what = "accounts";
        }
        if (!what.empty()) { ++out.changed; sample(s, now, what.c_str()); }
    }
    return out;
}

}  // namespace roster
