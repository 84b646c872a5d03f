#include "sei.h"

#include <algorithm>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "foreign.h"
#include "hashindex.h"
#include "text.h"
#include "values.h"

namespace roster {

namespace {

struct Col {
    enum Kind { Name, Email, First, Last, Ignore, Attr, Integ } kind = Attr;
    std::string header;            // as written (trimmed)
    std::string key;               // attribute key (Attr)
    std::string integName;         // integration name (Integ)
    bool emailRelation = false;    // a manager column proposed as manager_email (an email relation)
    uint32_t attr = kNone;         // existing attribute index
    uint32_t newAttr = kNone;      // index into plan.newAttrs
    uint32_t integ = kNone;        // existing integration index
    uint32_t newInteg = kNone;     // index into plan.newIntegs
    uint32_t attrCol = kNone;      // index among attribute columns
    uint32_t integCol = kNone;     // index among integration columns
    AttrType type = AttrType::Text;
};

std::string lineList(const std::vector<uint32_t>& lines) {
    std::string s;
    for (size_t i = 0; i < lines.size() && i < 8; ++i) s += (i ? ", " : "") + std::to_string(lines[i]);
    if (lines.size() > 8) s += ", …";
    return s;
}

std::string clip(std::string_view v, size_t n = 80) {
    if (v.size() <= n) return std::string(v);
    return std::string(v.substr(0, n)) + "…";
}

}  // namespace

struct ImportPlan::Actions {
    CsvTable table;                    // its text moves to `text` once the header is read
    std::shared_ptr<std::string> text; // the cells' text: shared with the directory's pool when adopted
    std::deque<std::string> arena;     // normalised values that differ from the cell text
    std::vector<Col> cols;
    std::vector<uint32_t> attrColIdx, integColIdx;   // column index of each attribute / integration column

    struct Person {
        uint32_t slot = kNone;         // matched directory person
        std::string_view email, name;
        uint32_t line = 0;
        bool nameSet = false;          // a row had a non-blank name
    };
    std::vector<Person> people;
    std::vector<std::string_view> attrVal;   // people × attribute columns: value from the file (normalised)
    std::vector<uint8_t> attrHas;            // ... a row had a non-blank value

    // The accounts the file names, one entry each (deduplicated while reading the rows). Texts are
    // offsets into table.text: 28 bytes an account instead of 48.
    using FileAcc = ImportAccount;
    std::vector<FileAcc> accs;
    std::string_view textAt(uint32_t off, uint32_t len) const { return std::string_view(text->data() + off, len); }
    std::string_view account(const FileAcc& a) const { return textAt(a.accOff, a.accLen); }
    std::string_view display(const FileAcc& a) const { return textAt(a.dispOff, a.dispLen); }
    uint32_t offsetOf(std::string_view v) const { return v.empty() ? 0 : uint32_t(v.data() - text->data()); }

    enum class IdentOp : uint8_t { Create, SetOwner, Delete };
    struct IdentAction {
        IdentOp op;
        uint32_t ident = kNone;        // existing identity (SetOwner, Delete)
        uint32_t acc = kNone;          // the file's account (Create; SetOwner from a row), else kNone
        uint32_t person = kNone;       // new owner: index into people, or kNone = unassigned
    };
    std::vector<IdentAction> identActions;   // changes to existing accounts
    std::vector<uint32_t> createAccs;        // accounts to create: indexes into accs, in file order
    std::vector<uint32_t> removeSlots;
    std::vector<uint8_t> nameChange;   // per person: apply the name
    std::vector<uint8_t> attrChange;   // people × attribute columns: apply the value
    // Set once an applier has written the people (ImportApplier::step): their part of the plan is
    // freed then, so that the accounts made next reuse that memory instead of growing the heap by
    // as much (~65 MB at a million rows). A consumed plan is never applied again.
    bool consumed = false;
};

// ----------------------------------------------------------------------------------------- columns

namespace {

bool isSimpleTarget(std::string_view t) { return t == "name" || t == "email" || t == "firstName" || t == "lastName" || t == "ignore"; }

bool reservedKey(std::string_view k) { return k.empty() || k == "name" || k == "email" || k == "full_name"; }

// Synonyms for the person's own fields (folded headers). Attributes are never renamed by them.
const char* const kEmailSynonyms[] = {"work_email", "e_mail", "email_address", "work_email_address", "primary_email", "business_email"};
const char* const kNameSynonyms[] = {"display_name", "employee_name", "full_name", "fullname", "name"};
const char* const kFirstSynonyms[] = {"first_name", "given_name", "firstname", "forename"};
const char* const kLastSynonyms[] = {"last_name", "surname", "family_name", "lastname"};
const char* const kManagerSynonyms[] = {"manager", "manager_email", "supervisor_email", "supervisor", "manager_email_address", "reports_to"};

template <size_t N>
bool among(const std::string& folded, const char* const (&list)[N]) {
    for (const char* x : list)
        if (folded == x) return true;
    return false;
}

constexpr char kPairSep = '\x1e', kFieldSep = '\x1f', kSigSep = '\x1d';

}  // namespace

bool validColumnTarget(std::string_view t) {
    if (isSimpleTarget(t)) return true;
    if (t.rfind("attribute:", 0) == 0) return !reservedKey(attrKeyOf(t.substr(10)));
    if (t.rfind("integration:", 0) == 0) return !trim(t.substr(12)).empty();
    return false;
}

std::string rememberedMapping(const Directory& d, std::string_view signature) {
    const auto& list = d.importMappings();
    for (size_t i = list.size(); i-- > 0;) {
        if (!list[i].alive) continue;
        std::string_view rec = d.s(list[i].key);
        if (rec.size() > signature.size() && rec.substr(0, signature.size()) == signature && rec[signature.size()] == kSigSep)
            return std::string(rec.substr(signature.size() + 1));
    }
    return {};
}

// The header's targets, decided in four steps over one Mapping (false: file-level errors).
struct ImportPlanner::Mapping {
    std::vector<std::string> target, source, folded;   // per column: its target, where it came from, its folded header
    std::vector<uint8_t> holdsEmails;                   // the first 1,000 rows' values are all emails
    std::string sig;                                    // the header's signature (remembered mappings)
};

namespace {
// Two targets that read into the same place (an attribute or integration however it is spelled).
std::string takenKey(const std::string& tg) {
    if (tg.rfind("attribute:", 0) == 0) return "attribute:" + attrKeyOf(std::string_view(tg).substr(10));
    if (tg.rfind("integration:", 0) == 0) return "integration:" + toLowerAscii(trim(std::string_view(tg).substr(12)));
    return tg;
}
}  // namespace

bool ImportPlanner::mapColumns() {
    Mapping M;
    readHeader(M);
    takeGivenTargets(M);
    proposeTargets(M);
    setColumns(M);
    return plan.errors.empty();
}

// Headers, blank and duplicate columns, samples, and whether a column holds emails.
void ImportPlanner::readHeader(Mapping& M) {
    const CsvTable& t = A->table;
    ncols = t.cols(0);
    const size_t rows = t.rows();
    M.target.assign(ncols, {});
    M.source.assign(ncols, {});
    M.folded.assign(ncols, {});
    A->cols.assign(ncols, Col{});
    plan.columns.assign(ncols, PlanColumn{});
    // Headers, blank columns, samples, and whether a column holds emails (the first 1,000 rows).
    M.holdsEmails.assign(ncols, 0);
    const size_t sampleRows = std::min<size_t>(rows, 1001);
    for (size_t c = 0; c < ncols; ++c) {
        Col& col = A->cols[c];
        col.header = std::string(trim(unguardFormula(t.cell(0, c))));
        M.folded[c] = foldHeader(col.header);
        PlanColumn& pc = plan.columns[c];
        pc.header = col.header;
        bool anyValue = false, allEmails = true;
        for (size_t r = 1; r < sampleRows; ++r) {
            std::string_view v = trim(unguardFormula(t.cell(r, c)));
            if (v.empty()) continue;
            anyValue = true;
            if (v.find('@') == std::string_view::npos) allEmails = false;
            if (pc.samples.size() < 3 && std::find(pc.samples.begin(), pc.samples.end(), v) == pc.samples.end())
                pc.samples.push_back(std::string(clip(v, 60)));
        }
        M.holdsEmails[c] = anyValue && allEmails;
        if (!col.header.empty()) continue;
        for (size_t r = sampleRows; r < rows && !anyValue; ++r) anyValue = !trim(t.cell(r, c)).empty();
        if (anyValue) {
            err("BLANK_CSV_COLUMN_NAME", "Column " + std::to_string(c + 1) + " of the header has no name", headerLine, uint32_t(c + 1));
        } else {
            warn("EMPTY_COLUMN_IGNORED", "Column " + std::to_string(c + 1) + " has no header and no values: it is ignored", headerLine);
            M.source[c] = "empty";
        }
        M.target[c] = "ignore";
    }
    // Duplicate headers: two columns that would read into the same attribute or integration, compared
    // as the directory compares them (attrKeyOf, an integration's name case-folded). Not by the looser
    // folded header: "Team_name" and "Team\t_name" are two attributes, and an export of both must
    // import again. Two spellings of one SEI field ("Email", "E-mail") meet in setColumns.
    {
        std::unordered_map<std::string, uint32_t> seen;
        for (size_t c = 0; c < ncols; ++c) {
            const Col& col = A->cols[c];
            if (col.header.empty()) continue;
            if (col.header.size() > 256) {
                err("INVALID_CSV", "Column " + std::to_string(c + 1) + " has a header longer than 256 characters", headerLine, uint32_t(c + 1));
                M.target[c] = "ignore";
                continue;
            }
            const bool integ = toLowerAscii(col.header).rfind("integration:", 0) == 0;
            const std::string dupKey = takenKey(integ ? "integration:" + col.header.substr(12) : "attribute:" + col.header);
            if (auto it = seen.find(dupKey); it != seen.end()) {
                err("DUPLICATE_HEADER", "The header \"" + col.header + "\" appears in columns " + std::to_string(it->second + 1) + " and " +
                                            std::to_string(c + 1), headerLine, uint32_t(c + 1));
                M.target[c] = "ignore";
                continue;
            }
            seen.emplace(dupKey, uint32_t(c));
        }
    }
    for (size_t c = 0; c < ncols; ++c) {
        if (c) M.sig.push_back(kFieldSep);
        M.sig += M.folded[c];
    }
    plan.headerSignature = M.sig;

}

// Given targets, else the remembered ones.
void ImportPlanner::takeGivenTargets(Mapping& M) {
    auto findHeader = [&](std::string_view h) -> uint32_t {
        h = trim(h);
        for (size_t c = 0; c < ncols; ++c)
            if (A->cols[c].header == h && M.source[c].empty()) return uint32_t(c);
        const std::string f = foldHeader(h);
        for (size_t c = 0; c < ncols; ++c)
            if (M.folded[c] == f && M.source[c].empty() && !A->cols[c].header.empty()) return uint32_t(c);
        return kNone;
    };
    if (!opts.columns.empty()) {
        plan.mappingSource = "given";
        for (const auto& [h, tg] : opts.columns) {
            const uint32_t c = findHeader(h);
            if (c == kNone) {
                err("UNKNOWN_COLUMN", "The mapping names the column \"" + clip(h) + "\", which the file's header does not have", headerLine);
                continue;
            }
            if (!validColumnTarget(tg)) {
                err("INVALID_ARGUMENT", "The column \"" + clip(h) + "\" is mapped to \"" + clip(tg) +
                                            "\": use name, email, firstName, lastName, ignore, attribute:<key> or integration:<Name>", headerLine,
                    c + 1);
                continue;
            }
            M.target[c] = tg;
            M.source[c] = "given";
        }
    } else if (std::string rem = rememberedMapping(d, M.sig); !rem.empty()) {
        plan.mappingSource = "remembered";
        size_t p = 0;
        while (p <= rem.size()) {
            size_t e = rem.find(kPairSep, p);
            if (e == std::string::npos) e = rem.size();
            std::string_view pair(rem.data() + p, e - p);
            const size_t f = pair.find(kFieldSep);
            if (f != std::string_view::npos) {
                const uint32_t c = findHeader(pair.substr(0, f));
                const std::string_view tg = pair.substr(f + 1);
                if (c != kNone && validColumnTarget(tg)) {
                    M.target[c] = std::string(tg);
                    M.source[c] = "remembered";
                }
            }
            p = e + 1;
        }
    } else {
        plan.mappingSource = "proposed";
    }

}

void ImportPlanner::proposeTargets(Mapping& M) {
    // Proposed targets for the other columns: exact SEI headers, then folded names, then synonyms
    // of the person's own fields; every other column is the attribute keyed by its own header.
    std::unordered_set<std::string> taken;
    for (size_t c = 0; c < ncols; ++c)
        if (!M.target[c].empty() && M.target[c] != "ignore") taken.insert(takenKey(M.target[c]));
    auto propose = [&](size_t c, const std::string& tg) {
        if (!M.target[c].empty() || taken.count(takenKey(tg))) return false;
        M.target[c] = tg;
        M.source[c] = "proposed";
        taken.insert(takenKey(tg));
        return true;
    };
    uint32_t exactFullName = kNone;
    for (size_t c = 0; c < ncols; ++c) {   // exact SEI headers
        if (!M.target[c].empty()) continue;
        const std::string low = toLowerAscii(A->cols[c].header);
        if (low == "email") propose(c, "email");
        else if (low == "full_name") { if (propose(c, "name")) exactFullName = uint32_t(c); }
        else if (low == "name") {
            if (exactFullName != kNone && M.source[exactFullName] == "proposed") {
                err("DUPLICATE_HEADER", "Both \"full_name\" and \"name\" columns name the person: keep one", headerLine, uint32_t(c + 1));
                M.target[c] = "ignore";
            } else {
                propose(c, "name");
            }
        } else if (low.rfind("integration:", 0) == 0) {
            std::string name(trim(std::string_view(A->cols[c].header).substr(12)));
            if (name.empty()) {
                err("BLANK_CSV_COLUMN_NAME", "Column " + std::to_string(c + 1) + " is an integration column without a name", headerLine,
                    uint32_t(c + 1));
                M.target[c] = "ignore";
            } else {
                propose(c, "integration:" + name);
            }
        }
    }
    for (size_t c = 0; c < ncols; ++c) {   // folded names
        if (!M.target[c].empty()) continue;
        if (M.folded[c] == "email") propose(c, "email");
        else if (M.folded[c] == "full_name" || M.folded[c] == "name") propose(c, "name");
        else if (M.folded[c] == "manager_email") propose(c, "attribute:manager_email");
    }
    for (size_t c = 0; c < ncols; ++c) {   // synonyms
        if (!M.target[c].empty()) continue;
        const std::string& f = M.folded[c];
        if (among(f, kEmailSynonyms)) propose(c, "email");
        else if (among(f, kNameSynonyms)) propose(c, "name");
        else if (among(f, kFirstSynonyms)) propose(c, "firstName");
        else if (among(f, kLastSynonyms)) propose(c, "lastName");
        else if (among(f, kManagerSynonyms) && M.holdsEmails[c]) {
            if (propose(c, "attribute:manager_email")) A->cols[c].emailRelation = true;
        }
    }
    for (size_t c = 0; c < ncols; ++c) {   // the rest: attributes keyed by their own header
        if (!M.target[c].empty()) continue;
        const std::string key = attrKeyOf(A->cols[c].header);
        if (reservedKey(key) || !propose(c, "attribute:" + key)) {
            M.target[c] = "ignore";
            M.source[c] = "proposed";
        }
    }

}

void ImportPlanner::setColumns(Mapping& M) {
    // The columns as the plan reads them.
    std::unordered_map<std::string, uint32_t> byTarget;
    for (size_t c = 0; c < ncols; ++c) {
        Col& col = A->cols[c];
        const std::string& tg = M.target[c];
        plan.columns[c].target = tg;
        plan.columns[c].source = M.source[c].empty() ? "proposed" : M.source[c];
        if (tg == "ignore") {
            col.kind = Col::Ignore;
            continue;
        }
        const std::string tk = takenKey(tg);
        if (auto it = byTarget.find(tk); it != byTarget.end()) {
            err("DUPLICATE_HEADER", "The columns \"" + clip(A->cols[it->second].header) + "\" and \"" + clip(col.header) + "\" both become " + tg,
                headerLine, uint32_t(c + 1));
            col.kind = Col::Ignore;
            continue;
        }
        byTarget.emplace(tk, uint32_t(c));
        if (tg == "email") { col.kind = Col::Email; emailCol = uint32_t(c); }
        else if (tg == "name") { col.kind = Col::Name; nameCol = uint32_t(c); }
        else if (tg == "firstName") { col.kind = Col::First; firstCol = uint32_t(c); }
        else if (tg == "lastName") { col.kind = Col::Last; lastCol = uint32_t(c); }
        else if (tg.rfind("integration:", 0) == 0) {
            col.kind = Col::Integ;
            col.integName = std::string(trim(std::string_view(tg).substr(12)));
            col.integ = d.findIntegration(col.integName);
            if (col.integ == kNone) {
                col.newInteg = uint32_t(plan.newIntegs.size());
                plan.newIntegs.push_back(NewInteg{col.integName, guessIntegKind(col.integName)});
                warn("NEW_INTEGRATION", "The integration \"" + col.integName + "\" is new: it will be added (" +
                                            integKindName(guessIntegKind(col.integName)) + ")", headerLine);
            }
            col.integCol = uint32_t(A->integColIdx.size());
            A->integColIdx.push_back(uint32_t(c));
        } else {
            col.kind = Col::Attr;
            col.key = attrKeyOf(std::string_view(tg).substr(10));
            if (col.key == "manager_email" && M.holdsEmails[c]) col.emailRelation = true;
            col.attr = d.findAttr(col.key);
            if (col.attr != kNone) col.type = d.attrDefs()[col.attr].type;
            col.attrCol = uint32_t(A->attrColIdx.size());
            A->attrColIdx.push_back(uint32_t(c));
        }
    }
    if (emailCol == kNone || (nameCol == kNone && firstCol == kNone && lastCol == kNone)) {
        std::string missing = emailCol == kNone && nameCol == kNone ? "Email and Full_Name columns"
                              : emailCol == kNone                     ? "an Email column"
                                                                      : "a Full_Name (or name) column";
        err("REQUIRED_FIELD_MISSING", "The header has no " + missing + ": an SEI user file needs email and full_name (map a column to " +
                                          (emailCol == kNone ? "email" : "name") + " in \"columns\")", headerLine);
    }
    if (!opts.columns.empty()) {
        std::string rec = M.sig;
        rec.push_back(kSigSep);
        for (size_t c = 0; c < ncols; ++c) {
            if (c) rec.push_back(kPairSep);
            rec += A->cols[c].header;
            rec.push_back(kFieldSep);
            rec += M.target[c];
        }
        plan.rememberMapping = std::move(rec);
    }
}

// ----------------------------------------------------------------------------------------- planning

ImportPlan planImport(const Directory& d, std::string_view bytes, ImportMode mode, const CsvOptions& csv) {
    return planImportTable(d, parseCsv(bytes, csv), mode);
}

ImportPlan planImport(const Directory& d, std::string_view bytes, const ImportOptions& o, const CsvOptions& csv) {
    ImportOptions read = o;
    std::shared_ptr<ForeignTable> foreign;   // another tool's files (foreign.h)
    const ImportBytes b = importBytesFor(d, ImportBytes(bytes), read, foreign);
    ImportPlan p = planImportTable(d, parseCsv(b.view(), foreign ? CsvOptions{} : csv), read);
    if (foreign) finishForeignPlan(p, *foreign, d);
    return p;
}

bool ImportPlanner::start(CsvResult&& parsed) {
    plan.mode = mode;
    plan.directoryRevision = d.revision();
    plan.warnings = parsed.warnings;
    plan.dialect = parsed.table.dialect;
    if (!parsed.ok) {
        plan.errors.push_back(parsed.error);
        return false;
    }
    A = std::make_shared<ImportPlan::Actions>();
    A->table = std::move(parsed.table);
    const CsvTable& t = A->table;
    if (t.rows() == 0) {
        err("EMPTY_CSV", "The file has no header row", 1);
        return false;
    }
    headerLine = t.rowLine[0];

    // ---- header: each column's target (mapColumns); the plan lists them also when refused
    const bool headerOk = mapColumns();

    // ---- new attribute types: guessed from the values (manager_email is an email reference)
    nAttr = A->attrColIdx.size();
    {
        std::vector<TypeGuesser> guess(nAttr);
        for (size_t k = 0; k < nAttr; ++k) {
            if (A->cols[A->attrColIdx[k]].attr != kNone) continue;
            for (size_t r = 1; r < t.rows() && !guess[k].settled(); ++r) guess[k].add(unguardFormula(t.cell(r, A->attrColIdx[k])));
        }
        for (size_t k = 0; k < nAttr; ++k) {
            const uint32_t c = A->attrColIdx[k];
            Col& col = A->cols[c];
            if (col.attr == kNone) col.type = col.key == "manager_email" || col.emailRelation ? AttrType::Email : guess[k].result();
            plan.columns[c].type = col.type;
            plan.columns[c].newAttribute = col.attr == kNone;
            if (col.attr != kNone || !headerOk) continue;
            col.newAttr = uint32_t(plan.newAttrs.size());
            plan.newAttrs.push_back(NewAttr{col.key, col.header, col.type});
            warn("NEW_ATTRIBUTE", "The column \"" + col.header + "\" is a new attribute (" + attrTypeName(col.type) + ")", headerLine);
        }
    }
    if (!headerOk) return false;

    // ---- rows: fold by person (readRows). The text moves to a shared buffer: a large import hands
    // it to the directory's pool as it is (ImportApplier), instead of copying every value.
    A->text = std::make_shared<std::string>(std::move(A->table.text));
    personIdx.reserve(t.rows());
    nInteg = A->integColIdx.size();
    A->accs.reserve(t.rows() * std::max<size_t>(1, nInteg) + 16);
    accHash_.reserve(t.rows() * std::max<size_t>(1, nInteg) + 16);
    A->people.reserve(t.rows());
    A->attrVal.reserve(t.rows() * nAttr);
    A->attrHas.reserve(t.rows() * nAttr);
    r_ = 1;
    if (opts.skipInvalidRows) {
        errorsAtStart_ = plan.errors;
        warningsAtStart_ = plan.warnings;
        errMarkAtStart_ = errMark_.size();
        warnMarkAtStart_ = warnMark_.size();
    }
    return true;
}

std::string ImportPlanner::integName(uint32_t integCol) const {
    return A->cols[A->integColIdx[integCol]].integName;
}

std::string ImportPlanner::ownerName(uint32_t person) const {
    return person == kNone ? std::string("a row without email") : std::string(A->people[person].email);
}

uint32_t ImportPlanner::accsRead() const { return A ? uint32_t(A->accs.size()) : 0u; }

// One entry per account. Two people for one account is an error (the file contradicts itself); a
// person row and a blank-email row naming the same account: the person keeps it, with a warning
// (nothing is lost either way).
//
// The rows put every account cell in `accs` (with its hash in accHash_); this pass then keeps the
// first cell of each account. Probing one table of 3 M accounts while reading would cost a cache
// miss per cell, so the cells are first spread by the hash's top bits into buckets of about 4,096
// (a stable counting sort: each bucket keeps reading order) and each bucket is checked with a small
// table that stays in the cache. An account's cells all fall in one bucket, in reading order, so
// every decision, message and kept entry is the one a single pass in reading order would give; the
// messages are then merged into the plan's lists at the places that pass would have put them.
void ImportPlanner::dedupeAccounts() {
    using FileAcc = ImportPlan::Actions::FileAcc;
    std::vector<FileAcc>& accs = A->accs;
    const size_t n = accs.size();
    if (n == 0) return;
    unsigned k = 0;
    while ((size_t(4096) << k) < n) ++k;
    const size_t nb = size_t(1) << k;
    auto bucketOf = [&](uint32_t h) { return k ? size_t(h >> (32 - k)) : size_t(0); };
    std::vector<uint32_t> start(nb + 1, 0);
    for (size_t i = 0; i < n; ++i) ++start[bucketOf(accHash_[i]) + 1];
    size_t biggest = 0;
    for (size_t b = 0; b < nb; ++b) {
        biggest = std::max<size_t>(biggest, start[b + 1]);
        start[b + 1] += start[b];
    }
    // (hash, cell) pairs bucket by bucket, so that the checks below read memory in order: a cell's
    // entry in `accs` is read only when its hash meets an earlier one.
    struct HC { uint32_t h, i; };   // 8 bytes: fits in the memory the table's cell offsets just left
    std::vector<HC> sorted(n);
    {
        std::vector<uint32_t> at(start.begin(), start.end() - 1);
        for (size_t i = 0; i < n; ++i) sorted[at[bucketOf(accHash_[i])]++] = HC{accHash_[i], uint32_t(i)};
    }
    std::vector<uint32_t>().swap(accHash_);
    size_t cap = 16;
    while (cap < biggest * 2) cap <<= 1;
    std::vector<uint32_t> table(cap, kNone);   // positions in `sorted`
    const size_t mask = cap - 1;
    std::vector<uint8_t> keep(n, 0);
    struct Found { uint32_t occ; bool error; Diag d; };
    std::vector<Found> found;
    for (size_t b = 0; b < nb; ++b) {
        const size_t first = start[b], last = start[b + 1];
        for (size_t q = first; q < last; ++q) {
            const uint32_t h = sorted[q].h;
            const uint32_t i = sorted[q].i;
            size_t pos = size_t(h * 0x9E3779B1u) & mask;
            uint32_t w = kNone;
            while (table[pos] != kNone) {
                const HC& c = sorted[table[pos]];
                if (c.h == h && accs[c.i].integCol == accs[i].integCol && equalsFolded(A->account(accs[c.i]), A->account(accs[i]))) {
                    w = c.i;
                    break;
                }
                pos = (pos + 1) & mask;
            }
            if (w == kNone) {
                table[pos] = uint32_t(q);
                keep[i] = 1;
                continue;
            }
            const FileAcc a = accs[i];
            const std::string_view account = A->account(a);
            const FileAcc firstAcc = accs[w];
            if (firstAcc.person == a.person) continue;
            if (firstAcc.person != kNone && a.person != kNone) {
                found.push_back(Found{i, true, Diag{"ACCOUNT_CONFLICT", "Line " + std::to_string(a.line) + " gives the " + integName(a.integCol) +
                                                                         " account \"" + clip(account) + "\" to " + ownerName(a.person) +
                                                                         ", but line " + std::to_string(firstAcc.line) + " gives it to " +
                                                                         ownerName(firstAcc.person), a.line, 0}});
                continue;
            }
            const FileAcc& withPerson = firstAcc.person != kNone ? firstAcc : a;
            const FileAcc& blank = firstAcc.person != kNone ? a : firstAcc;
            found.push_back(Found{i, false, Diag{"ACCOUNT_CONFLICT", "Line " + std::to_string(blank.line) + " lists the " + integName(a.integCol) +
                                                                      " account \"" + clip(account) + "\" without an email, but line " +
                                                                      std::to_string(withPerson.line) + " gives it to " + ownerName(withPerson.person) +
                                                                      ": it stays with " + ownerName(withPerson.person), blank.line, 0}});
            if (firstAcc.person == kNone) accs[w] = a;   // the entry keeps its place, with the person's cell
        }
        for (size_t q = first; q < last; ++q) {   // empty the table for the next bucket
            size_t pos = size_t(sorted[q].h * 0x9E3779B1u) & mask;
            while (table[pos] != kNone) {
                table[pos] = kNone;
                pos = (pos + 1) & mask;
            }
        }
    }
    std::vector<HC>().swap(sorted);
    // The kept entries, in reading order of their first cell.
    size_t out = 0;
    for (size_t i = 0; i < n; ++i)
        if (keep[i]) accs[out++] = accs[i];
    accs.resize(out);
    // Messages into the plan's lists: a message made at account cell i comes after every message
    // made before cell i was read (mark <= i) and before the later ones.
    std::stable_sort(found.begin(), found.end(), [](const Found& x, const Found& y) { return x.occ < y.occ; });
    auto merge = [&](std::vector<Diag>& list, const std::vector<uint32_t>& marks, bool errors) {
        std::vector<Diag> mine;
        std::vector<uint32_t> occ;
        for (Found& f : found)
            if (f.error == errors) {
                occ.push_back(f.occ);
                mine.push_back(std::move(f.d));
            }
        if (mine.empty()) return;
        std::vector<Diag> merged;
        merged.reserve(list.size() + mine.size());
        const size_t unmarked = list.size() - marks.size();   // the reader's warnings, made before any row
        size_t j = 0;
        for (size_t m = 0; m < list.size(); ++m) {
            const uint32_t mark = m < unmarked ? 0u : marks[m - unmarked];
            while (j < mine.size() && occ[j] < mark) merged.push_back(std::move(mine[j++]));
            merged.push_back(std::move(list[m]));
        }
        while (j < mine.size()) merged.push_back(std::move(mine[j++]));
        list.swap(merged);
    };
    merge(plan.errors, errMark_, true);
    merge(plan.warnings, warnMark_, false);
}

bool ImportPlanner::readRows(size_t maxRows) {
    using FileAcc = ImportPlan::Actions::FileAcc;
    const CsvTable& t = A->table;
    const char* const text = A->text->data();
    const size_t stop = std::min(t.rows(), r_ + std::min(maxRows, t.rows()));
    for (; r_ < stop; ++r_) {
        const size_t r = r_;
        const uint32_t line = t.rowLine[r];
        const uint32_t rowFirst = t.rowEnd[r - 1], rowCells = t.rowEnd[r] - rowFirst;
        auto cell = [&](size_t c) -> std::string_view {   // t.cell(r, c) without its bounds checks on r
            if (c >= rowCells) return {};
            const size_t i = rowFirst + c;
            const uint32_t b = i ? t.cellEnd[i - 1] : 0u;
            return std::string_view(text + b, t.cellEnd[i] - b);
        };
        if (pass_ == 1 && skipRow_[r]) {
            const Diag& e = rowError_[uint32_t(r)];
            ++plan.counts.rowsSkipped;
            plan.warnings.push_back(Diag{"ROW_SKIPPED", e.message, line, 0, e.code});
            warnMark_.push_back(accsRead());
            continue;
        }
        if (rowCells > ncols) {
            err("RAGGED_ROW", "Line " + std::to_string(line) + " has " + std::to_string(t.cols(r)) + " cells but the header has " +
                                  std::to_string(ncols) + " columns", line);
            continue;
        }
        {
            // A cell larger than any value Roster keeps is refused with its line (never truncated).
            bool tooLong = false;
            const uint32_t* ends = t.cellEnd.data() + rowFirst;
            uint32_t prev = rowFirst ? t.cellEnd[rowFirst - 1] : 0;
            for (size_t c = 0; c < rowCells && !tooLong; ++c) {
                tooLong = ends[c] - prev > kMaxValueBytes;
                prev = ends[c];
            }
            if (tooLong) {
                err("VALUE_TOO_LONG", "Line " + std::to_string(line) + " has a cell longer than " + std::to_string(kMaxValueBytes / 1024) +
                                          " KB", line);
                continue;
            }
        }
        std::string_view email = trim(unguardFormula(cell(emailCol)));
        std::string_view name = trim(unguardFormula(cell(nameCol)));
        std::string_view display = name;   // an unassigned account's name: a cell of the file
        if (name.empty() && (firstCol != kNone || lastCol != kNone)) {
            // First and last name joined into the name.
            const std::string_view first = trim(unguardFormula(cell(firstCol))), last = trim(unguardFormula(cell(lastCol)));
            if (!first.empty() && !last.empty()) {
                std::string joined(first);
                joined.push_back(' ');
                joined.append(last);
                A->arena.push_back(std::move(joined));
                name = A->arena.back();
                display = first;
            } else {
                name = display = first.empty() ? last : first;
            }
        }
        uint32_t person = kNone;
        if (email.empty()) {
            ++skipped;
            warn("MISSING_EMAIL", "Line " + std::to_string(line) + " has no email: its accounts are kept as unassigned" +
                                      (name.empty() ? std::string() : " (" + clip(name, 60) + ")"), line);
        } else {
            if (!isValidEmail(email))   // kept as written (git-derived identities are full of these; SEI takes them)
                warn("SUSPICIOUS_EMAIL", "Line " + std::to_string(line) + ": \"" + clip(email) + "\" does not look like an email address: it is kept as written", line);
            uint32_t slot = d.findEmail(email);
            const uint64_t h = slot == kNone ? hashFolded(email) : 0;
            if (slot != kNone) {
                auto it = personBySlot.find(slot);
                if (it != personBySlot.end()) person = it->second;
            } else {
                uint32_t f = personIdx.find(h, [&](uint32_t p) { return equalsFolded(A->people[p].email, email); });
                if (f != HashIndex::kEmpty) person = f;
            }
            if (person == kNone) {
                person = uint32_t(A->people.size());
                ImportPlan::Actions::Person p;
                p.slot = slot;
                p.email = email;
                p.line = line;
                A->people.push_back(p);
                if (slot != kNone) personBySlot.emplace(slot, person);
                else personIdx.insert(h, person);
                A->attrVal.resize(A->people.size() * nAttr);
                A->attrHas.resize(A->people.size() * nAttr, 0);
            }
            ImportPlan::Actions::Person& P = A->people[person];
            if (!name.empty()) {
                if (!P.nameSet) { P.name = name; P.nameSet = true; }
                else if (P.name != name) conflicts[(uint64_t(person) << 20) | 0xFFFFF].push_back(line);
            }
            for (size_t k = 0; k < nAttr; ++k) {
                const Col& col = A->cols[A->attrColIdx[k]];
                std::string_view raw = trim(unguardFormula(cell(A->attrColIdx[k])));
                if (raw.empty()) continue;
                std::string_view v = raw;
                if (col.type != AttrType::Text && !normalizeValue(col.type, raw, norm)) {
                    err("INVALID_VALUE", "Line " + std::to_string(line) + ": \"" + clip(raw) + "\" is not a valid " + attrTypeName(col.type) +
                                             " for " + col.header + (col.type == AttrType::Date ? " (use YYYY-MM-DD)" : ""), line);
                    continue;
                }
                if (col.type != AttrType::Text && norm != raw) { A->arena.push_back(norm); v = A->arena.back(); }
                size_t i = size_t(person) * nAttr + k;
                if (!A->attrHas[i]) { A->attrVal[i] = v; A->attrHas[i] = 1; }
                else if (A->attrVal[i] != v) conflicts[(uint64_t(person) << 20) | k].push_back(line);
            }
        }
        for (size_t k = 0; k < A->integColIdx.size(); ++k) {
            std::string_view acc = trim(unguardFormula(cell(A->integColIdx[k])));
            if (acc.empty()) continue;
            const std::string_view disp = person == kNone ? display : std::string_view();
            A->accs.push_back(FileAcc{person, uint32_t(k), line, A->offsetOf(acc), uint32_t(acc.size()), A->offsetOf(disp), uint32_t(disp.size())});
            const uint64_t h = hashFolded(acc) ^ (uint64_t(k + 1) * 0x9E3779B97F4A7C15ull);
            accHash_.push_back(uint32_t(h ^ (h >> 32)));
        }
    }
    if (r_ < t.rows()) return false;
    // Rows in error may be left out in a second reading (restartSkipping), which needs the cells.
    if (opts.skipInvalidRows && pass_ == 0) return true;
    // Every row is read: the cell offsets are no longer needed (44 MB at a million rows).
    std::vector<uint32_t>().swap(A->table.cellEnd);
    std::vector<uint32_t>().swap(A->table.rowLine);
    return true;
}

void ImportPlanner::finish() {
    const CsvTable& t = A->table;
    using FileAcc = ImportPlan::Actions::FileAcc;
    std::vector<FileAcc>& accs = A->accs;
    plan.rows = uint32_t(t.rows() - 1);
    plan.counts.skipped = skipped;
    dedupeAccounts();
    // CONFLICTING_VALUES: rows of one person that disagree.
    for (auto& [key, lines] : conflicts) {
        uint32_t person = uint32_t(key >> 20), k = uint32_t(key & 0xFFFFF);
        const auto& P = A->people[person];
        std::vector<uint32_t> all{P.line};
        all.insert(all.end(), lines.begin(), lines.end());
        std::string field = k == 0xFFFFF ? std::string("the name") : A->cols[A->attrColIdx[k]].header;
        warn("CONFLICTING_VALUES", "Rows for " + clip(P.email) + " (lines " + lineList(all) + ") give different values for " + field +
                                       ": the first is used", lines.front());
    }

    // ---- accounts: dedupe, and refuse a file that gives one account to two owners
    auto integOf = [&](uint32_t integCol) { return A->cols[A->integColIdx[integCol]].integ; };
    // ---- replace mode: nobody left?
    if (mode == ImportMode::Replace && A->people.empty() && d.userCount() > 0)
        err("REPLACE_WOULD_EMPTY", "Replace would remove all " + std::to_string(d.userCount()) +
                                       " people: the file has no rows with an email. Nothing was changed.", headerLine);
    if (!plan.errors.empty()) {
        plan.rowErrorsOnly = allRowErrors();
        if (plan.rowErrorsOnly) {
            std::unordered_set<uint32_t> lines;
            for (const Diag& e : plan.errors) lines.insert(e.line);
            plan.rowsInError = uint32_t(lines.size());
            if (opts.skipInvalidRows && pass_ == 0) {
                // Read again, leaving those rows out (each a ROW_SKIPPED warning).
                restartSkipping();
                while (!readRows(size_t(-1))) {
                }
                finish();
            }
        }
        return;
    }
    if (!A->table.cellEnd.empty()) {   // (kept for a second reading with skipInvalidRows: not needed now)
        std::vector<uint32_t>().swap(A->table.cellEnd);
        std::vector<uint32_t>().swap(A->table.rowLine);
    }

    // ---- decide changes
    const size_t P = A->people.size();
    std::vector<uint8_t> touched(P, 0);                 // a file person whose record changes
    std::unordered_set<uint32_t> absentTouched;         // directory people not in the file who change (update mode)
    std::unordered_map<uint32_t, std::vector<FieldChange>> fieldChanges;   // people already in the directory only
    const bool detail = true;
    A->nameChange.assign(P, 0);
    A->attrChange.assign(P * nAttr, 0);
    for (uint32_t p = 0; p < P; ++p) {
        auto& X = A->people[p];
        if (X.slot == kNone) continue;
        std::string_view cur = d.userName(X.slot);
        bool change = mode == ImportMode::Replace ? (X.name != trim(cur)) : (X.nameSet && X.name != trim(cur));
        if (change) {
            A->nameChange[p] = 1;
            touched[p] = 1;
            if (detail && fieldChanges[p].size() < 50) fieldChanges[p].push_back({"name", std::string(cur), std::string(X.name)});
        }
        for (size_t k = 0; k < nAttr; ++k) {
            const Col& col = A->cols[A->attrColIdx[k]];
            size_t i = p * nAttr + k;
            std::string_view nv = A->attrHas[i] ? A->attrVal[i] : std::string_view();
            std::string_view ov = col.attr == kNone ? std::string_view() : trim(d.attrValue(col.attr, X.slot));
            bool differs = col.type == AttrType::Email ? !equalsFolded(nv, ov) : nv != ov;
            if (mode == ImportMode::Update && !A->attrHas[i]) differs = false;
            if (differs) {
                A->attrChange[i] = 1;
                touched[p] = 1;
                if (detail && fieldChanges[p].size() < 50) fieldChanges[p].push_back({col.header, std::string(ov), std::string(nv)});
            }
        }
    }
    // People missing from the file (replace)
    std::vector<uint8_t> removing;
    if (mode == ImportMode::Replace) {
        removing.assign(d.slotCount(), 0);
        for (uint32_t s = 0; s < d.slotCount(); ++s) {
            if (!d.userAlive(s) || personBySlot.count(s)) continue;
            removing[s] = 1;
            A->removeSlots.push_back(s);
        }
    }
    auto personOfSlot = [&](uint32_t slot) -> uint32_t {
        auto it = personBySlot.find(slot);
        return it == personBySlot.end() ? kNone : it->second;
    };
    auto markOwnerChange = [&](uint32_t slot, const std::string& what) {
        if (slot == kNone) return;
        uint32_t p = personOfSlot(slot);
        if (p != kNone) {
            touched[p] = 1;
            if (detail && fieldChanges[p].size() < 50) fieldChanges[p].push_back({"accounts", what, ""});
        } else if (mode == ImportMode::Replace ? !removing[slot] : true) {
            absentTouched.insert(slot);
        }
    };
    // Accounts named by the file
    std::vector<uint8_t> identNamed(d.identities().size(), 0);
    for (uint32_t i = 0; i < accs.size(); ++i) {
        const FileAcc& a = accs[i];
        const std::string_view account = A->account(a), display = A->display(a);
        uint32_t integ = integOf(a.integCol);
        uint32_t ii = integ == kNone ? kNone : d.findIdentity(integ, account);
        auto accLabel = [&]() { return integName(a.integCol) + " " + std::string(account); };
        if (ii == kNone) {
            A->createAccs.push_back(i);
            if (a.person != kNone && A->people[a.person].slot != kNone) {
                touched[a.person] = 1;
                if (detail && fieldChanges[a.person].size() < 50) fieldChanges[a.person].push_back({"accounts", "", "+ " + accLabel()});
            }
            continue;
        }
        identNamed[ii] = 1;
        const uint32_t cur = d.identities()[ii].owner;
        if (a.person == kNone) {
            // A blank-email row: the account is unassigned in the file, under the row's name (a blank
            // name leaves the account's name as it is).
            if (cur == kNone) {
                if (!display.empty() && trim(d.s(d.identities()[ii].display)) != display)
                    A->identActions.push_back({ImportPlan::Actions::IdentOp::SetOwner, ii, i, kNone});
                continue;
            }
            if (mode == ImportMode::Update) continue;   // blank cells leave a person's account as it is
            A->identActions.push_back({ImportPlan::Actions::IdentOp::SetOwner, ii, i, kNone});
            markOwnerChange(cur, "- " + accLabel());
            continue;
        }
        const uint32_t targetSlot = A->people[a.person].slot;
        if (cur != kNone && cur == targetSlot) continue;
        A->identActions.push_back({ImportPlan::Actions::IdentOp::SetOwner, ii, i, a.person});
        if (targetSlot != kNone) {
            touched[a.person] = 1;
            if (detail && fieldChanges[a.person].size() < 50) fieldChanges[a.person].push_back({"accounts", "", "+ " + accLabel()});
        }
        if (cur != kNone) {
            bool curRemoved = mode == ImportMode::Replace && removing[cur];
            if (!curRemoved) {
                std::string_view curName = d.userName(cur).empty() ? d.userEmail(cur) : d.userName(cur);
                warn("ACCOUNT_CONFLICT", "Line " + std::to_string(a.line) + " moves the " + accLabel() + " account from " + clip(curName) + " (" +
                                             std::string(d.userEmail(cur)) + ") to " + std::string(A->people[a.person].email), a.line);
            }
            markOwnerChange(cur, "- " + accLabel());
        }
    }
    // Replace: accounts of the file's integrations that the file does not name are not kept; the
    // accounts of removed people in other integrations become unassigned.
    if (mode == ImportMode::Replace) {
        std::vector<uint8_t> fileInteg(d.integrations().size(), 0);
        for (size_t k = 0; k < A->integColIdx.size(); ++k)
            if (integOf(uint32_t(k)) != kNone) fileInteg[integOf(uint32_t(k))] = 1;
        for (uint32_t ii = 0; ii < d.identities().size(); ++ii) {
            const Identity& id = d.identities()[ii];
            if (!id.alive || identNamed[ii]) continue;
            if (fileInteg[id.integ]) {
                A->identActions.push_back({ImportPlan::Actions::IdentOp::Delete, ii, kNone, kNone});
                if (id.owner != kNone) markOwnerChange(id.owner, "- " + std::string(d.s(d.integrations()[id.integ].name)) + " " + std::string(d.s(id.account)));
            } else if (id.owner != kNone && removing[id.owner]) {
                A->identActions.push_back({ImportPlan::Actions::IdentOp::SetOwner, ii, kNone, kNone});
            }
        }
    }

    // ---- counts and details
    for (uint32_t p = 0; p < P; ++p) {
        auto& X = A->people[p];
        if (X.slot == kNone) {
            ++plan.counts.added;
            if (plan.added.size() < kPlanDetailCap) plan.added.push_back(PersonChange{kNone, std::string(X.name), std::string(X.email), {}});
        } else if (touched[p]) {
            ++plan.counts.updated;
            if (plan.changes.size() < kPlanDetailCap)
                plan.changes.push_back(PersonChange{X.slot, std::string(d.userName(X.slot)), std::string(d.userEmail(X.slot)), std::move(fieldChanges[p])});
        } else {
            ++plan.counts.unchanged;
        }
    }
    for (uint32_t slot : absentTouched) {
        ++plan.counts.updated;
        if (plan.changes.size() < kPlanDetailCap)
            plan.changes.push_back(PersonChange{slot, std::string(d.userName(slot)), std::string(d.userEmail(slot)), {{"accounts", "loses an account", ""}}});
    }
    if (mode == ImportMode::Update) {
        // Directory people not in the file are unchanged unless they lost an account.
        uint32_t inFile = 0;
        for (auto& X : A->people) inFile += X.slot != kNone;
        plan.counts.unchanged += d.userCount() - inFile - uint32_t(absentTouched.size());
    }
    plan.counts.removed = uint32_t(A->removeSlots.size());
    for (uint32_t s : A->removeSlots) {
        if (plan.removed.size() >= kPlanDetailCap) break;
        plan.removed.push_back(PersonChange{s, std::string(d.userName(s)), std::string(d.userEmail(s)), {}});
    }
    plan.actions = std::move(A);
}

// Row errors: a row's own problem, which leaving the row out removes. Every other error (no
// header, a bad header, REPLACE_WOULD_EMPTY) is about the file.
bool ImportPlanner::allRowErrors() const {
    static const char* const kRowCodes[] = {"RAGGED_ROW", "VALUE_TOO_LONG", "INVALID_EMAIL", "INVALID_VALUE", "ACCOUNT_CONFLICT"};
    if (plan.errors.empty()) return false;
    for (const Diag& e : plan.errors) {
        if (e.line == 0 || e.line == headerLine) return false;
        bool row = false;
        for (const char* c : kRowCodes) row = row || e.code == c;
        if (!row) return false;
    }
    return true;
}

std::string_view ImportPlanner::cellAt(size_t r, size_t c) const {
    const CsvTable& t = A->table;
    if (c >= t.cols(r)) return {};
    const size_t i = (r ? t.rowEnd[r - 1] : 0u) + c;
    const size_t b = i ? t.cellEnd[i - 1] : 0u;
    return std::string_view(A->text->data() + b, t.cellEnd[i] - b);
}

void ImportPlanner::restartSkipping() {
    const CsvTable& t = A->table;
    std::unordered_map<uint32_t, uint32_t> rowOfLine;
    for (size_t r = 1; r < t.rows(); ++r) rowOfLine.emplace(t.rowLine[r], uint32_t(r));
    skipRow_.assign(t.rows(), 0);
    for (const Diag& e : plan.errors) {
        auto it = rowOfLine.find(e.line);
        if (it == rowOfLine.end()) continue;
        if (!skipRow_[it->second]) rowError_.emplace(it->second, e);
        skipRow_[it->second] = 1;
    }
    // The skipped rows as a CSV to fix and import again: the header and cells as read, and Error.
    std::string& out = plan.skippedCsv;
    out.clear();
    for (size_t c = 0; c < ncols; ++c) {
        appendCsvField(out, cellAt(0, c), ',');
        out.push_back(',');
    }
    appendCsvField(out, "Error", ',');
    out.append("\r\n");
    for (size_t r = 1; r < t.rows(); ++r) {
        if (!skipRow_[r]) continue;
        const size_t n = std::max(ncols, t.cols(r));
        for (size_t c = 0; c < n; ++c) {
            appendCsvField(out, cellAt(r, c), ',');
            out.push_back(',');
        }
        appendCsvField(out, rowError_[uint32_t(r)].message, ',');
        out.append("\r\n");
    }
    // Back to the state right after the header.
    plan.errors = errorsAtStart_;
    plan.warnings = warningsAtStart_;
    errMark_.assign(errMarkAtStart_, 0u);     // (every mark made by the header is 0: no account read yet)
    warnMark_.assign(warnMarkAtStart_, 0u);
    A->people.clear();
    A->attrVal.clear();
    A->attrHas.clear();
    A->accs.clear();
    A->arena.clear();
    accHash_.clear();
    conflicts.clear();
    personIdx.clear();
    personIdx.reserve(t.rows());
    personBySlot.clear();
    skipped = 0;
    plan.counts = ImportCounts{};
    r_ = 1;
    pass_ = 1;
}

size_t ImportPlanner::rowsTotal() const { return A && A->table.rows() ? A->table.rows() - 1 : 0; }

ImportPlan planImportTable(const Directory& d, CsvResult&& parsed, ImportMode mode) {
    ImportOptions o;
    o.mode = mode;
    return planImportTable(d, std::move(parsed), o);
}

ImportPlan planImportTable(const Directory& d, CsvResult&& parsed, const ImportOptions& o) {
    ImportPlanner p(d, o);
    if (p.start(std::move(parsed))) {
        while (!p.readRows(size_t(-1))) {
        }
        p.finish();
    }
    return p.take();
}

// ----------------------------------------------------------------------------------------- applying

CmdResult ImportApplier::begin(Tx& tx) {
    const ImportPlan& plan = *plan_;
    if (!plan.ok() || !plan.actions) return CmdResult::fail("IMPORT_HAS_ERRORS", "The import has errors and cannot be applied");
    Directory& d = tx.dir();
    if (!d.sameContent(plan.directoryRevision))
        return CmdResult::fail("STALE_PLAN", "The directory changed since this import was previewed: preview it again");
    const auto& A = *plan.actions;
    if (A.consumed) return CmdResult::fail("STALE_PLAN", "This import was applied already: preview it again");
    // Integrations and attributes first.
    integOfCol_.assign(A.integColIdx.size(), kNone);
    attrOfCol_.assign(A.attrColIdx.size(), kNone);
    std::vector<uint32_t> newInteg(plan.newIntegs.size()), newAttr(plan.newAttrs.size());
    for (size_t i = 0; i < plan.newIntegs.size(); ++i) newInteg[i] = tx.createIntegration(plan.newIntegs[i].name, plan.newIntegs[i].kind);
    for (size_t i = 0; i < plan.newAttrs.size(); ++i) {
        const NewAttr& na = plan.newAttrs[i];
        newAttr[i] = tx.createAttr(na.key, na.header, na.header, na.type);
    }
    for (size_t k = 0; k < A.integColIdx.size(); ++k) {
        const Col& c = A.cols[A.integColIdx[k]];
        integOfCol_[k] = c.integ != kNone ? c.integ : newInteg[c.newInteg];
    }
    for (size_t k = 0; k < A.attrColIdx.size(); ++k) {
        const Col& c = A.cols[A.attrColIdx[k]];
        attrOfCol_[k] = c.attr != kNone ? c.attr : newAttr[c.newAttr];
    }
    // The column mapping given for this header is remembered (the latest one of a header is used).
    if (!plan.rememberMapping.empty()) {
        const std::string& sig = plan.headerSignature;
        bool same = false;
        for (uint32_t i = 0; i < d.importMappings().size(); ++i) {
            const auto& rec = d.importMappings()[i];
            if (!rec.alive) continue;
            std::string_view k = d.s(rec.key);
            if (k == plan.rememberMapping) { same = true; continue; }
            if (k.size() > sig.size() && k.substr(0, sig.size()) == sig && k[sig.size()] == '\x1d') {
                Change c{ChangeOp::ImportMappingAlive, i};
                c.oldV = 1;
                c.newV = 0;
                tx.rec(c);
            }
        }
        if (!same) {
            Change c{ChangeOp::ImportMappingAlive, d.newImportMapping(plan.rememberMapping)};
            c.oldV = 0;
            c.newV = 1;
            tx.rec(c);
        }
    }
    // Removed people: aliases go with them; accounts are handled by the account actions.
    for (uint32_t s : A.removeSlots) {
        for (uint32_t ai : d.aliasesOf(s)) tx.setAliasAlive(ai, false);
        tx.setUserAlive(s, false);
    }
    slotOf_.assign(A.people.size(), kNone);
    d.reserveUsers(d.slotCount() + plan.counts.added);   // (reserved, not yet written: no page is touched)
    adopted_ = A.text && A.text->size() >= adoptTextMin && (plan.counts.added || !A.createAccs.empty());
    if (adopted_) textBase_ = d.pool().adopt(A.text->data(), A.text->size(), A.text);
    firstNewSlot_ = d.slotCount();
    newSlots_ = 0;
    total_ = A.people.size() + plan.counts.added + A.identActions.size() + 2 * A.createAccs.size();
    done_ = 0;
    phase_ = -1;   // the tables and columns are sized first, one per step (see sizeNext)
    pos_ = 0;
    return {};
}

// The email and account indexes and the attribute columns are sized for what the import adds,
// one per call: each is written whole (zeroed) once, tens of MB of fresh memory at a million
// rows, about a tenth of a second here, so a job's frame takes one of them, not all (~0.35 s).
// True when all are.
bool ImportApplier::sizeNext(Directory& d) {
    const ImportPlan& plan = *plan_;
    const auto& A = *plan.actions;
    const size_t k = pos_++;
    if (k == 0) {
        d.reserveIndexes(size_t(d.userCount()) + plan.counts.added, 0);
        return false;
    }
    if (k == 1) {
        d.reserveIndexes(0, size_t(d.liveIdentityCount()) + A.createAccs.size());
        return false;
    }
    if (!plan.counts.added || k - 2 >= A.attrColIdx.size()) {
        pos_ = 0;
        return true;
    }
    d.sizeAttrColumn(attrOfCol_[k - 2], size_t(firstNewSlot_) + plan.counts.added);
    return false;
}

// Phases: -1 sizing (sizeNext), 0 people (new ones as dead records), 1 bring new people to life (range changes),
// 2 changes to existing accounts, 3 new accounts as dead records, 4 bring them to life.
bool ImportApplier::step(Tx& tx, size_t maxUnits) {
    const ImportPlan& plan = *plan_;
    const auto& A = *plan.actions;
    Directory& d = tx.dir();
    const size_t nAttr = A.attrColIdx.size();
    const char* const text = A.text ? A.text->data() : nullptr;
    const char* const textEnd = A.text ? text + A.text->size() : nullptr;
    // A value as a pool string: inside the adopted text it is referenced where it is; otherwise (a
    // normalised value, or a text too small to adopt) it is copied into the pool.
    auto pooled = [&](std::string_view v) {
        return adopted_ && v.data() >= text && v.data() < textEnd ? StringPool::strIn(textBase_, text, v) : d.pool().add(v);
    };
    size_t budget = maxUnits;
    auto take = [&](size_t want) {   // units this phase may do now
        size_t n = std::min(want, budget);
        budget -= n;
        done_ += n;
        return n;
    };
    // Brings the next records of [first, first + count) to life with one range change; true when
    // the whole range is alive.
    auto revive = [&](ChangeOp op, uint32_t first, size_t count) {
        const uint32_t n = uint32_t(take(std::min<size_t>(count - pos_, kRangeStep)));
        if (n) {
            Change c{op, first + uint32_t(pos_), n};
            c.oldV = 0;
            c.newV = 1;
            tx.rec(c);
            pos_ += n;
        }
        return pos_ == count;
    };
    while (budget > 0 && phase_ < 5) {
        if (phase_ < 0) {
            if (!sizeNext(d)) return false;   // one per step: the caller looks at its deadline
            phase_ = 0;
        }
        if (phase_ == 0) {
            const size_t end = pos_ + take(A.people.size() - pos_);
            for (; pos_ < end; ++pos_) {
                const size_t p = pos_;
                const auto& X = A.people[p];
                uint32_t slot = X.slot;
                if (slot == kNone) {
                    slot = d.newUserRecord(pooled(X.name), pooled(X.email));
                    ++newSlots_;
                    for (size_t k = 0; k < nAttr; ++k)
                        if (A.attrHas[p * nAttr + k]) d.setNewRecordAttr(attrOfCol_[k], slot, pooled(A.attrVal[p * nAttr + k]));
                } else {
                    if (A.nameChange[p]) tx.setUserName(slot, X.name);
                    for (size_t k = 0; k < nAttr; ++k)
                        if (A.attrChange[p * nAttr + k])
                            tx.setAttr(attrOfCol_[k], slot, A.attrHas[p * nAttr + k] ? A.attrVal[p * nAttr + k] : std::string_view());
                }
                slotOf_[p] = slot;
            }
            if (pos_ == A.people.size()) {
                phase_ = 1;
                pos_ = 0;
                // Every person is written (values either in the adopted text or copied into the pool).
                auto& W = *plan.actions;
                W.consumed = true;
                std::vector<ImportPlan::Actions::Person>().swap(W.people);
                std::vector<std::string_view>().swap(W.attrVal);
                std::vector<uint8_t>().swap(W.attrHas);
                std::vector<uint8_t>().swap(W.nameChange);
                std::vector<uint8_t>().swap(W.attrChange);
                decltype(W.arena)().swap(W.arena);
            }
        } else if (phase_ == 1) {
            if (revive(ChangeOp::UserRangeAlive, firstNewSlot_, newSlots_)) { phase_ = 2; pos_ = 0; }
        } else if (phase_ == 2) {
            const size_t end = pos_ + take(A.identActions.size() - pos_);
            for (; pos_ < end; ++pos_) {
                const auto& act = A.identActions[pos_];
                const uint32_t owner = act.person == kNone ? kNone : slotOf_[act.person];
                switch (act.op) {
                    case ImportPlan::Actions::IdentOp::Create: break;   // (see createAccs)
                    case ImportPlan::Actions::IdentOp::SetOwner: {
                        tx.setIdentOwner(act.ident, owner);
                        const std::string_view display = act.acc == kNone ? std::string_view() : A.display(A.accs[act.acc]);
                        if (owner == kNone && !display.empty()) tx.setIdentDisplay(act.ident, display);
                        break;
                    }
                    case ImportPlan::Actions::IdentOp::Delete:
                        tx.setIdentAlive(act.ident, false);
                        break;
                }
            }
            if (pos_ == A.identActions.size()) {
                phase_ = 3;
                pos_ = 0;
                d.reserveIdentities(d.identities().size() + A.createAccs.size());
                firstNewIdent_ = uint32_t(d.identities().size());
            }
        } else if (phase_ == 3) {
            const size_t end = pos_ + take(A.createAccs.size() - pos_);
            for (; pos_ < end; ++pos_) {
                const auto& fa = A.accs[A.createAccs[pos_]];
                const uint32_t owner = fa.person == kNone ? kNone : slotOf_[fa.person];
                d.newIdentityRecord(integOfCol_[fa.integCol], pooled(A.account(fa)), pooled(A.display(fa)), owner);
            }
            if (pos_ == A.createAccs.size()) { phase_ = 4; pos_ = 0; }
        } else if (phase_ == 4) {
            if (revive(ChangeOp::IdentRangeAlive, firstNewIdent_, A.createAccs.size())) {
                if (plan.extras) applyImportExtras(tx, *plan.extras);   // aliases, org units, hints: last, same undo step
                phase_ = 5;
            }
        }
    }
    return phase_ >= 5;
}

CmdResult ImportCmd::apply(Tx& tx) {
    ImportApplier applier(plan_);
    CmdResult r = applier.begin(tx);
    if (!r.ok) return r;
    while (!applier.step(tx, size_t(-1) / 2)) {
    }
    return {};
}

// ----------------------------------------------------------------------------------------- export

std::string attrExportHeader(const Directory& d, uint32_t attr) {
    const AttrDef& a = d.attrDefs()[attr];
    std::string_view h = d.s(a.header);
    if (!h.empty()) return std::string(h);
    std::string k(d.s(a.key));
    if (!k.empty() && k[0] >= 'a' && k[0] <= 'z') k[0] = char(k[0] - 32);
    return k;
}

void appendSpreadsheetField(std::string& out, std::string_view v, bool guard, std::string& scratch) {
    if (guard && needsFormulaGuard(v)) {
        scratch.assign("'");
        scratch.append(v.data(), v.size());
        appendCsvField(out, scratch, ',');
    } else {
        appendCsvField(out, v, ',');
    }
}

std::string exportSei(const Directory& d, const ExportOptions& o) {
    std::vector<uint32_t> attrs, integs;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
        if (d.attrDefs()[a].alive) attrs.push_back(a);
    for (uint32_t i = 0; i < d.integrations().size(); ++i)
        if (d.integrations()[i].alive) integs.push_back(i);
    std::vector<uint32_t> colOfInteg(d.integrations().size(), kNone);
    for (uint32_t k = 0; k < integs.size(); ++k) colOfInteg[integs[k]] = k;

    std::string out;
    out.reserve(size_t(d.userCount()) * 96 + 256);
    if (o.bom) out.append("\xEF\xBB\xBF");
    std::string guarded;
    auto field = [&](std::string_view v, bool guard) { appendSpreadsheetField(out, v, guard && o.formulaGuard, guarded); };
    auto sep = [&]() { out.push_back(','); };
    // Header
    field("Full_Name", true);
    sep();
    field("Email", true);
    for (uint32_t a : attrs) { sep(); field(attrExportHeader(d, a), true); }
    for (uint32_t i : integs) { sep(); field("Integration: " + std::string(d.s(d.integrations()[i].name)), true); }
    out.append("\r\n");
    // People: row k holds their k-th account of each integration.
    std::vector<std::vector<uint32_t>> perCol(integs.size());
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        for (auto& v : perCol) v.clear();
        uint32_t n = 0;
        const uint32_t* list = d.identitiesOf(slot, n);
        for (uint32_t j = 0; j < n; ++j) {
            const Identity& id = d.identities()[list[j]];
            uint32_t c = colOfInteg[id.integ];
            if (c != kNone) perCol[c].push_back(list[j]);
        }
        size_t rows = 1;
        for (auto& v : perCol) rows = std::max(rows, v.size());
        for (size_t r = 0; r < rows; ++r) {
            field(d.userName(slot), true);
            sep();
            field(d.userEmail(slot), true);
            for (uint32_t a : attrs) {
                sep();
                field(d.attrValue(a, slot), d.attrDefs()[a].type != AttrType::Number);
            }
            for (size_t c = 0; c < integs.size(); ++c) {
                sep();
                if (r < perCol[c].size()) field(d.s(d.identities()[perCol[c][r]].account), true);
            }
            out.append("\r\n");
        }
    }
    // Unassigned accounts, one per row, with a blank email.
    for (const Identity& id : d.identities()) {
        if (!id.alive || id.owner != kNone) continue;
        uint32_t c = colOfInteg[id.integ];
        if (c == kNone) continue;
        field(d.s(id.display), true);
        sep();
        for (size_t k = 0; k < attrs.size(); ++k) sep();
        for (size_t k = 0; k < integs.size(); ++k) {
            sep();
            if (k == c) field(d.s(id.account), true);
        }
        out.append("\r\n");
    }
    return out;
}

}  // namespace roster
