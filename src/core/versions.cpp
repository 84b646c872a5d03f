#include "versions.h"

#include <algorithm>
#include <string>
#include <unordered_map>

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
    // People, by id (slots are given back when nothing can reach them any more, History::discardRedo,
    // so the version's slot s may be another person's slot now): the version's people are found by
    // their ids, and made again, with their ids, where this directory no longer has them. Those
    // absent from the version go first (their emails free up), then each record.
    const uint32_t vSlots = v.slotCount(), dSlots = d.slotCount();
    std::vector<uint32_t> slotOf(vSlots, kNone);
    std::vector<uint8_t> kept(dSlots, 0);
    for (uint32_t s = 0; s < vSlots; ++s) {
        const uint32_t cs = s < dSlots && d.userId(s) == v.userId(s) ? s : d.slotOfId(v.userId(s));
        if (cs == kNone || cs >= dSlots || kept[cs]) continue;
        slotOf[s] = cs;
        kept[cs] = 1;
    }
    for (uint32_t cs = 0; cs < dSlots; ++cs)
        if (!kept[cs]) tx.setUserAlive(cs, false);
    // (the version's removed people that this directory no longer has are not made again: nothing
    // shows them, and no kept account or alias can name them)
    for (uint32_t s = 0; s < vSlots; ++s) {
        if (slotOf[s] == kNone) { if (v.userAlive(s)) slotOf[s] = d.newUserSlot(v.userId(s)); }
        else if (!v.userAlive(s)) tx.setUserAlive(slotOf[s], false);
    }
    const auto slotNow = [&](uint32_t vs) { return vs == kNone || vs >= vSlots ? kNone : slotOf[vs]; };
    for (uint32_t s = 0; s < vSlots; ++s) {
        const uint32_t cs = slotOf[s];
        if (cs == kNone) continue;
        tx.setUserName(cs, v.userName(s));
        tx.setUserEmail(cs, v.userEmail(s));
        for (uint32_t a = 0; a < v.attrDefs().size(); ++a) tx.setAttr(a, cs, v.attrValue(a, s));
        if (v.userAlive(s)) tx.setUserAlive(cs, true);
    }
    // Accounts, by integration and account (the same index first), and aliases by address; made
    // again where this directory no longer has them.
    const uint32_t vIdents = uint32_t(v.identities().size()), dIdents = uint32_t(d.identities().size());
    std::vector<uint32_t> identOf(vIdents, kNone);
    std::vector<uint8_t> identKept(dIdents, 0);
    const auto sameIdent = [&](uint32_t vi, uint32_t di) {
        const Identity& a = v.identities()[vi];
        const Identity& b = d.identities()[di];
        return a.integ == b.integ && v.s(a.account) == d.s(b.account);
    };
    bool missing = false;
    for (uint32_t i = 0; i < vIdents; ++i) {
        if (i < dIdents && sameIdent(i, i)) { identOf[i] = i; identKept[i] = 1; }
        else missing = true;
    }
    if (missing) {
        std::unordered_map<std::string, std::vector<uint32_t>> free;   // "integ\x1faccount" -> current identities not taken
        const auto key = [](uint32_t integ, std::string_view account) { return std::to_string(integ) + '\x1f' + std::string(account); };
        for (uint32_t i = dIdents; i-- > 0;)
            if (!identKept[i]) free[key(d.identities()[i].integ, d.s(d.identities()[i].account))].push_back(i);
        for (uint32_t i = 0; i < vIdents; ++i) {
            if (identOf[i] != kNone) continue;
            const Identity& vi = v.identities()[i];
            auto it = free.find(key(vi.integ, v.s(vi.account)));
            if (it != free.end() && !it->second.empty()) {
                identOf[i] = it->second.back();
                it->second.pop_back();
                identKept[identOf[i]] = 1;
            }
        }
    }
    for (uint32_t i = 0; i < vIdents; ++i)
        if (identOf[i] != kNone && !v.identities()[i].alive) tx.setIdentAlive(identOf[i], false);
    for (uint32_t i = 0; i < dIdents; ++i)
        if (!identKept[i]) tx.setIdentAlive(i, false);
    for (uint32_t i = 0; i < vIdents; ++i) {
        const Identity& vi = v.identities()[i];
        if (identOf[i] == kNone) {
            if (!vi.alive) continue;
            identOf[i] = d.newIdentity(vi.integ, v.s(vi.account), v.s(vi.display));
        }
        const uint32_t ci = identOf[i];
        tx.setIdentOwner(ci, slotNow(vi.owner));
        tx.setIdentDisplay(ci, v.s(vi.display));
        setVal(ChangeOp::IdentFlags, ci, d.identities()[ci].flags, vi.flags);
        if (vi.alive) tx.setIdentAlive(ci, true);
    }
    const uint32_t vAliases = uint32_t(v.aliases().size()), dAliases = uint32_t(d.aliases().size());
    std::vector<uint32_t> aliasOf(vAliases, kNone);
    std::vector<uint8_t> aliasKept(dAliases, 0);
    {
        std::unordered_map<std::string, std::vector<uint32_t>> free;
        bool built = false;
        for (uint32_t i = 0; i < vAliases; ++i) {
            const std::string_view e = v.s(v.aliases()[i].email);
            if (i < dAliases && d.s(d.aliases()[i].email) == e) { aliasOf[i] = i; aliasKept[i] = 1; continue; }
            if (!built) {
                built = true;
                for (uint32_t k = dAliases; k-- > 0;)
                    if (!aliasKept[k] && !(k < vAliases && d.s(d.aliases()[k].email) == v.s(v.aliases()[k].email)))
                        free[std::string(d.s(d.aliases()[k].email))].push_back(k);
            }
            auto it = free.find(std::string(e));
            if (it != free.end() && !it->second.empty()) {
                aliasOf[i] = it->second.back();
                it->second.pop_back();
                aliasKept[aliasOf[i]] = 1;
            }
        }
    }
    for (uint32_t i = 0; i < dAliases; ++i)
        if (!aliasKept[i]) tx.setAliasAlive(i, false);
    for (uint32_t i = 0; i < vAliases; ++i) {
        const Alias& va = v.aliases()[i];
        if (!va.alive && aliasOf[i] != kNone) tx.setAliasAlive(aliasOf[i], false);
    }
    for (uint32_t i = 0; i < vAliases; ++i) {
        const Alias& va = v.aliases()[i];
        if (aliasOf[i] == kNone) {
            if (!va.alive) continue;
            aliasOf[i] = d.newAlias(v.s(va.email), slotNow(va.owner));
        }
        tx.setAliasOwner(aliasOf[i], slotNow(va.owner));
        if (va.alive) tx.setAliasAlive(aliasOf[i], true);
    }
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
    // People by id (a version's slot may hold another person now: see RestoreVersionCmd).
    const auto versionSlot = [&](uint32_t s) {
        const uint32_t id = now.userId(s);
        return s < v.slotCount() && v.userId(s) == id ? s : v.slotOfId(id);
    };
    // Accounts compared by integration and account: the same index in both when it holds the same
    // account (the usual case), else by the accounts' text.
    const auto sameAccounts = [&](uint32_t s, uint32_t vs) {
        uint32_t n1 = 0, n2 = 0;
        const uint32_t* l1 = now.identitiesOf(s, n1);
        const uint32_t* l2 = v.identitiesOf(vs, n2);
        if (n1 != n2) return false;
        bool direct = true;
        for (uint32_t k = 0; k < n1 && direct; ++k) {
            const uint32_t i = l1[k];
            direct = i == l2[k] && i < v.identities().size() && now.identities()[i].integ == v.identities()[i].integ &&
                     now.s(now.identities()[i].account) == v.s(v.identities()[i].account);
        }
        if (direct) return true;
        std::vector<std::pair<uint32_t, std::string_view>> a, b;
        for (uint32_t k = 0; k < n1; ++k) a.emplace_back(now.identities()[l1[k]].integ, now.s(now.identities()[l1[k]].account));
        for (uint32_t k = 0; k < n2; ++k) b.emplace_back(v.identities()[l2[k]].integ, v.s(v.identities()[l2[k]].account));
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        return a == b;
    };
    for (uint32_t s = 0; s < now.slotCount(); ++s) {
        if (!now.userAlive(s)) continue;
        const uint32_t vs = versionSlot(s);
        if (vs == kNone || !v.userAlive(vs)) { ++out.added; sample(s, now, "added since"); continue; }
        std::string what;
        if (now.userName(s) != v.userName(vs)) what = "name";
        else if (now.userEmail(s) != v.userEmail(vs)) what = "email";
        if (what.empty())
            for (uint32_t a = 0; a < v.attrDefs().size() && a < now.attrDefs().size(); ++a)
                if (now.attrValue(a, s) != v.attrValue(a, vs)) { what = std::string(now.s(now.attrDefs()[a].label)); break; }
        if (what.empty() && !sameAccounts(s, vs)) what = "accounts";
        if (!what.empty()) { ++out.changed; sample(s, now, what.c_str()); }
    }
    for (uint32_t vs = 0; vs < v.slotCount(); ++vs) {
        if (!v.userAlive(vs)) continue;
        const uint32_t id = v.userId(vs);
        const uint32_t s = vs < now.slotCount() && now.userId(vs) == id ? vs : now.slotOfId(id);
        if (s == kNone || !now.userAlive(s)) { ++out.removed; sample(vs, v, "removed since"); }
    }
    return out;
}

}  // namespace roster
