// Imports of other tools' files through the one import flow: the bundle of several files, which
// reader takes them, the table's CSV, the plan's finishing, and the extras applied (foreign.h).
#include "foreign.h"

#include <cstring>
#include <regex>
#include <set>

#include "csv.h"
#include "orgunits.h"
#include "suggest.h"
#include "text.h"

namespace roster {

using json = nlohmann::json;

namespace {

uint32_t readU32(std::string_view b, size_t at) {
    const auto* p = reinterpret_cast<const unsigned char*>(b.data() + at);
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

void putU32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

// A cell of the generated table: one line (a value's line breaks become spaces, so that line k of
// the table is its row k and the planner's lines map back to the files').
std::string oneLine(std::string_view v) {
    std::string s(v);
    for (char& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    return s;
}

}  // namespace

bool decodeBundle(std::string_view bytes, std::vector<ImportFile>& out, Diag& err) {
    out.clear();
    size_t at = kBundleMagic.size();
    while (at < bytes.size()) {
        if (bytes.size() - at < 4) break;
        const uint32_t nameLen = readU32(bytes, at);
        at += 4;
        if (bytes.size() - at < size_t(nameLen) + 4) break;
        ImportFile f;
        f.name.assign(bytes.data() + at, nameLen);
        at += nameLen;
        const uint32_t dataLen = readU32(bytes, at);
        at += 4;
        if (bytes.size() - at < dataLen) break;
        f.data = bytes.substr(at, dataLen);
        at += dataLen;
        out.push_back(std::move(f));
    }
    if (at != bytes.size()) {
        err = Diag{"INVALID_ARGUMENT", "The files given together are cut short (byte " + std::to_string(at) + " of " + std::to_string(bytes.size()) + ")", 0, 0};
        return false;
    }
    return true;
}

std::string encodeBundle(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out(kBundleMagic);
    for (const auto& [name, data] : files) {
        putU32(out, uint32_t(name.size()));
        out += name;
        putU32(out, uint32_t(data.size()));
        out += data;
    }
    return out;
}

size_t ForeignTable::column(const std::string& target) {
    for (size_t i = 0; i < targets.size(); ++i)
        if (targets[i] == target) return i;
    targets.push_back(target);
    for (auto& r : rows) r.resize(targets.size());
    return targets.size() - 1;
}

std::vector<std::string>& ForeignTable::addRow(uint32_t file, uint32_t line) {
    rows.emplace_back(targets.size());
    source.push_back({file, line});
    return rows.back();
}

bool translateImport(const Directory& d, std::string_view bytes, ForeignTable& out, std::string_view* plain) {
    std::vector<ImportFile> files;
    const bool bundle = isBundle(bytes);
    if (bundle) {
        Diag err;
        if (!decodeBundle(bytes, files, err)) {
            out = ForeignTable();
            out.format = "unknown";
            out.label = "files";
            out.errors.push_back({err, ForeignTable::kNoFile});
            return true;
        }
        if (files.empty()) {
            out = ForeignTable();
            out.format = "unknown";
            out.label = "files";
            out.error("EMPTY_CSV", "No file was given");
            return true;
        }
    } else {
        files.push_back(ImportFile{"", bytes});
    }
    // Most specific first: DevLake's and Faros' headers, SortingHat's JSON shape, then .mailmap lines.
    for (auto reader : {readDevlakeImport, readFarosImport, readSortingHatImport, readMailmapImport}) {
        ForeignTable t;
        if (reader(d, files, t)) {
            if (t.files.empty())
                for (const auto& f : files) t.files.push_back(f.name);
            out = std::move(t);
            return true;
        }
    }
    if (bundle && files.size() == 1) {   // one CSV of people, given as a bundle
        if (plain) *plain = files[0].data;
        return false;
    }
    if (bundle) {
        out = ForeignTable();
        out.format = "unknown";
        out.label = "files";
        for (const auto& f : files) out.files.push_back(f.name);
        std::string names;
        for (const auto& f : files) names += (names.empty() ? "" : ", ") + (f.name.empty() ? std::string("(unnamed)") : f.name);
        out.error("UNKNOWN_FORMAT",
                  "These files are not the files of one format Roster reads together (DevLake's users.csv, teams.csv and "
                  "user_account_mapping.csv; Faros' employees and teams files): " + names + ". Import a CSV of people one file at a time.");
        return true;
    }
    return false;
}

ImportBytes importBytesFor(const Directory& d, ImportBytes&& bytes, ImportOptions& opts, std::shared_ptr<ForeignTable>& foreign) {
    auto t = std::make_shared<ForeignTable>();
    std::string_view plain;
    if (translateImport(d, bytes.view(), *t, &plain)) {
        std::string text = foreignCsv(*t, opts);
        foreign = std::move(t);
        return ImportBytes(std::move(text));
    }
    if (plain.data()) return bytes.owned() ? ImportBytes(std::string(plain)) : ImportBytes(plain);
    return std::move(bytes);
}

std::string foreignCsv(const ForeignTable& t, ImportOptions& opts) {
    std::string out;
    opts.columns.clear();
    // Headers as messages and the Columns step show them ("teams", "Integration: GitHub"), each
    // mapped to its target (the planner reads them as given).
    for (size_t c = 0; c < t.targets.size(); ++c) {
        const std::string& tg = t.targets[c];
        std::string header = tg;
        if (tg.rfind("attribute:", 0) == 0) header = tg.substr(10);
        else if (tg.rfind("integration:", 0) == 0) header = "Integration: " + tg.substr(12);
        if (c) out += ',';
        appendCsvField(out, header, ',');
        opts.columns.emplace_back(header, tg);
    }
    out += '\n';
    if (t.targets.empty()) return out;
    for (const auto& r : t.rows) {
        for (size_t c = 0; c < t.targets.size(); ++c) {
            if (c) out += ',';
            if (c < r.size()) appendCsvField(out, oneLine(r[c]), ',');
        }
        out += '\n';
    }
    return out;
}

void finishForeignPlan(ImportPlan& plan, const ForeignTable& t, const Directory& d) {
    const bool several = t.files.size() > 1;
    auto where = [&](uint32_t file) -> std::string {
        if (!several || file >= t.files.size() || t.files[file].empty()) return "";
        return t.files[file] + ": ";
    };
    // A line of the generated table -> its line in its file (0: not a row's line).
    auto lineOf = [&](uint32_t l) -> uint32_t { return l >= 2 && l - 2 < t.source.size() ? t.source[l - 2].line : 0; };
    // The table's line numbers inside a message ("Line 131 ...", "(lines 3, 5 and 7)") as the file's.
    auto remapText = [&](const std::string& m) {
        static const std::regex lines(R"(([Ll]ines?) (\d+(?:(?:, | and )\d+)*))");
        static const std::regex num(R"(\d+)");
        std::string out;
        auto it = std::sregex_iterator(m.begin(), m.end(), lines);
        size_t at = 0;
        for (; it != std::sregex_iterator(); ++it) {
            const auto& mt = *it;
            out.append(m, at, size_t(mt.position(0)) - at);
            out += mt[1].str() + " ";
            const std::string list = mt[2].str();
            size_t p = 0;
            for (auto n = std::sregex_iterator(list.begin(), list.end(), num); n != std::sregex_iterator(); ++n) {
                out.append(list, p, size_t(n->position(0)) - p);
                const uint32_t mapped = lineOf(uint32_t(std::stoul(n->str())));
                out += mapped ? std::to_string(mapped) : n->str();
                p = size_t(n->position(0) + n->length(0));
            }
            out.append(list, p, std::string::npos);
            at = size_t(mt.position(0) + mt.length(0));
        }
        out.append(m, at, std::string::npos);
        return out;
    };
    auto remap = [&](Diag& g) {
        g.message = remapText(g.message);
        if (g.line < 2 || g.line - 2 >= t.source.size()) return;
        const auto& s = t.source[g.line - 2];
        g.line = s.line;
        g.column = 0;
        g.message = where(s.file) + g.message;
    };
    std::vector<Diag> warnings;
    std::set<std::string> suspicious;   // one SUSPICIOUS_EMAIL per address (a person's rows, one per account, repeat it)
    for (auto& w : plan.warnings) {
        if (w.code == "MISSING_EMAIL") continue;   // the reader's rows without an email are unassigned accounts on purpose
        if (w.code == "SUSPICIOUS_EMAIL") {
            const size_t q = w.message.find('"');
            if (q != std::string::npos && !suspicious.insert(w.message.substr(q)).second) continue;
        }
        remap(w);
        warnings.push_back(std::move(w));
    }
    if (t.targets.empty()) plan.errors.clear();   // nothing was read (the reader's errors say why)
    for (auto& e : plan.errors) remap(e);
    for (const auto& f : t.errors) {
        Diag g = f.diag;
        g.message = where(f.file) + g.message;
        plan.errors.push_back(std::move(g));
    }
    for (const auto& f : t.warnings) {
        Diag g = f.diag;
        g.message = where(f.file) + g.message;
        warnings.push_back(std::move(g));
    }
    plan.warnings = std::move(warnings);
    if (!t.errors.empty()) plan.rowErrorsOnly = false;
    for (auto& ni : plan.newIntegs)
        for (const auto& [name, kind] : t.integrationKinds)
            if (equalsFolded(name, ni.name)) ni.kind = kind;
    plan.rememberMapping.clear();   // the reader's columns are not a mapping to remember
    plan.mappingSource = "format";
    for (auto& c : plan.columns) c.source = "format";
    auto x = std::make_shared<ImportExtras>(t.extras);
    x->format = t.format;
    x->label = t.label;
    for (const auto& a : x->aliases)
        if (d.findEmail(a.alias) == kNone) ++x->newAliases;
    for (const auto& u : x->units)
        if (d.findOrgUnit(u.name) == kNone) ++x->newUnits;
    for (const auto& h : x->hints)
        if (!d.hasHint(h)) ++x->newHints;
    plan.extras = std::move(x);
}

void applyImportExtras(Tx& tx, const ImportExtras& x) {
    Directory& d = tx.dir();
    for (const auto& a : x.aliases) {
        const uint32_t s = d.findEmail(a.email);
        if (s == kNone || d.findEmail(a.alias) != kNone) continue;
        tx.createAlias(a.alias, s);
    }
    for (const auto& u : x.units) {
        if (d.findOrgUnit(u.name) != kNone) continue;
        json filter = {{"attribute", u.attr}, {"op", "hasItem"}, {"value", u.item}};
        const OrgUnitParentRef parent = u.parent.empty() || d.findOrgUnit(u.parent) == kNone ? OrgUnitParentRef::root() : OrgUnitParentRef::unit(u.parent);
        saveOrgUnitInTx(tx, u.name, filter, parent);   // (a unit the directory refuses is left out)
    }
    for (const auto& h : x.hints) {
        if (d.hasHint(h)) continue;
        Change c{ChangeOp::HintAlive, d.newHint(h)};
        c.oldV = 0;
        c.newV = 1;
        tx.rec(c);
    }
}

bool ImportPlan::changesSomething() const {
    if (!ok()) return false;
    if (counts.added + counts.updated + counts.removed > 0) return true;
    return extras && (extras->newAliases + extras->newUnits + extras->newHints) > 0;
}

}  // namespace roster
