// The import as a Job (src/core/import_job.h): run a slice at a time it gives exactly what the
// one-call import gives; Cancel at any phase leaves the directory as it was; the session is busy
// while it runs; the import is one undo step. And CsvReader in slices equals parseCsv.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "csv.h"
#include "import_job.h"
#include "session.h"
#include "store.h"

using namespace roster;

namespace {

std::string sampleCsv(int people, int seed = 1) {
    std::mt19937 rng(seed);
    std::string s = "Full_Name,Email,Team_Name,Start_Date,Integration: GitHub,Integration: Jira\r\n";
    for (int i = 0; i < people; ++i) {
        const std::string email = "person" + std::to_string(i) + "@example.com";
        const std::string team = "Team " + std::to_string(rng() % 7);
        s += "Person " + std::to_string(i) + "," + email + "," + team + ",2020-01-" + std::to_string(10 + i % 18) + ",gh-" +
             std::to_string(i) + ",\"jira, " + std::to_string(i) + "\"\r\n";
        if (i % 5 == 0) s += "Person " + std::to_string(i) + "," + email + ",,," + "gh-extra-" + std::to_string(i) + ",\r\n";
        if (i % 11 == 0) s += "Bot " + std::to_string(i) + ",,,,bot-" + std::to_string(i) + ",\r\n";
    }
    return s;
}

std::string snapshotText(const Session& s) { return s.snapshot().dump(); }

// Two reads of one input gave the same result in every respect.
void checkSameParse(const CsvResult& r, const CsvResult& want) {
    REQUIRE(r.ok == want.ok);
    CHECK(r.error.code == want.error.code);
    CHECK(r.error.line == want.error.line);
    CHECK(r.table.text == want.table.text);
    CHECK(r.table.cellEnd == want.table.cellEnd);
    CHECK(r.table.rowEnd == want.table.rowEnd);
    CHECK(r.table.rowLine == want.table.rowLine);
    CHECK(r.table.dialect.delimiter == want.table.dialect.delimiter);
    CHECK(r.table.dialect.encoding == want.table.dialect.encoding);
    CHECK(r.table.dialect.lineEnding == want.table.dialect.lineEnding);
    CHECK(r.warnings.size() == want.warnings.size());
}

// Runs the job with a deadline already past: every step() does one slice and returns.
int runSliced(ImportJob& job) {
    int steps = 0;
    while (!job.step(Job::Clock::now())) ++steps;
    return steps + 1;
}

}  // namespace

TEST_CASE("import job: sliced across many steps it gives what the one-call import gives", "[import][job]") {
    const std::string csv = sampleCsv(3000);
    Session one, sliced;
    json a = one.applyImport(csv, json{{"mode", "replace"}});
    REQUIRE(a["ok"] == true);
    REQUIRE(a["applied"] == true);
    ImportJob job(sliced, csv, ImportMode::Replace, "Import sample", true);
    job.setSlices(997, 101, 499);   // small, odd slices: every boundary lands somewhere new
    const int steps = runSliced(job);
    CHECK(steps > 100);   // it really ran in slices
    REQUIRE(job.finished());
    CHECK(job.applied());
    CHECK(job.result()["counts"] == a["counts"]);
    CHECK(job.result()["warnings"] == a["warnings"]);
    CHECK(snapshotText(one) == snapshotText(sliced));
    CHECK(sliced.dir.userCount() == 3000);
    CHECK_FALSE(sliced.busy);
    // One undo step empties the directory; redo brings it back whole.
    REQUIRE(sliced.undo());
    CHECK(sliced.dir.userCount() == 0);
    CHECK(sliced.dir.liveIdentityCount() == 0);
    REQUIRE(sliced.redo());
    CHECK(snapshotText(one) == snapshotText(sliced));
}

TEST_CASE("import job: Cancel in any phase leaves the directory exactly as it was", "[import][job]") {
    const std::string base = sampleCsv(500, 2), csv = sampleCsv(2500, 3);
    for (int cancelAfter : {0, 1, 3, 8, 20, 60, 200}) {
        Session s;
        REQUIRE(s.applyImport(base, json{{"mode", "replace"}})["applied"] == true);
        const std::string before = snapshotText(s);
        const size_t undoDepth = s.history.undoDepth();
        ImportJob job(s, csv, ImportMode::Update, "Import", true);
        job.setSlices(20000, 300, 700);
        std::string phase;
        bool finishedEarly = false;
        for (int i = 0; i < cancelAfter; ++i)
            if (job.step(Job::Clock::now())) { finishedEarly = true; break; }
        phase = job.progress().phase;
        INFO("cancel after " << cancelAfter << " steps, in phase " << phase);
        if (finishedEarly) continue;
        CHECK(s.busy);
        json refused = s.command(json{{"op", "addUser"}, {"name", "X"}, {"email", "x@example.com"}});
        CHECK(refused["ok"] == false);
        CHECK(refused["error"]["code"] == "BUSY");
        job.cancel();
        REQUIRE(job.step(Job::Clock::now()));
        CHECK(job.wasCancelled());
        CHECK_FALSE(job.applied());
        CHECK(job.result()["error"]["code"] == "CANCELLED");
        CHECK_FALSE(s.busy);
        CHECK(snapshotText(s) == before);
        CHECK(s.history.undoDepth() == undoDepth);
    }
}

TEST_CASE("import job: phases report progress with totals", "[import][job]") {
    const std::string csv = sampleCsv(40000, 4);
    Session s;
    ImportJob job(s, csv, ImportMode::Replace, "Import", true);
    std::vector<std::string> phases;
    uint64_t lastRows = 0;
    bool rowsMonotonic = true;
    while (!job.step(Job::Clock::now())) {
        Job::Progress p = job.progress();
        if (phases.empty() || phases.back() != p.phase) phases.push_back(p.phase);
        if (p.phase == "Checking rows") {
            CHECK(p.total == 40000 + 8000 + 3637);
            rowsMonotonic = rowsMonotonic && p.done >= lastRows;
            lastRows = p.done;
        }
        if (p.phase == "Reading") CHECK(p.total == csv.size());
    }
    CHECK(rowsMonotonic);
    CHECK(phases == std::vector<std::string>{"Reading", "Checking rows", "Matching accounts", "Applying"});
    CHECK(s.dir.userCount() == 40000);
}

TEST_CASE("import job: a plan with errors is not applied, a preview job changes nothing", "[import][job]") {
    Session s;
    ImportJob bad(s, "Full_Name,Email\nA,a@example.com,one cell too many\n", ImportMode::Replace, "Import", true);
    bad.runToEnd();
    CHECK(bad.result()["ok"] == false);
    CHECK(bad.result()["applied"] == false);
    CHECK(bad.result()["errors"][0]["code"] == "RAGGED_ROW");
    CHECK(s.dir.userCount() == 0);
    const std::string ten = sampleCsv(10);
    ImportJob preview(s, ten, ImportMode::Replace, "Preview", false);
    preview.runToEnd();
    CHECK(preview.result()["ok"] == true);
    CHECK_FALSE(preview.result().contains("applied"));
    REQUIRE(preview.plan());
    CHECK(preview.plan()->counts.added == 10);
    CHECK(s.dir.userCount() == 0);
}

TEST_CASE("CsvReader: any slice size reads exactly what parseCsv reads", "[csv][job]") {
    std::mt19937 rng(5);
    const std::string pieces[] = {"a", "\"q,\"\"x\"\"\"", ",", "\r\n", "\n", "\"multi\nline\"", "é", " ", "\r", "\"\"", "b;c", "\t"};
    for (int round = 0; round < 400; ++round) {
        std::string text;
        const int n = 1 + int(rng() % 60);
        for (int i = 0; i < n; ++i) text += pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
        CsvResult whole = parseCsv(text);
        for (size_t slice : {size_t(1), size_t(2), size_t(7), size_t(64)}) {
            CsvReader reader(text);
            int steps = 0;
            while (!reader.step(slice)) ++steps;
            CsvResult r = reader.take();
            INFO("input " << text << " slice " << slice);
            checkSameParse(r, whole);
        }
    }
}

TEST_CASE("import job: a previewed plan applied as a job, a stale plan is refused", "[import][job]") {
    const std::string csv = sampleCsv(300, 6);
    Session s;
    ImportJob preview(s, csv, ImportMode::Replace, "Preview", false);
    preview.runToEnd();
    REQUIRE(preview.plan());
    ImportJob apply(s, preview.plan(), "Import confirmed.csv");
    apply.setSlices(1000, 50, 97);
    int steps = 0;
    while (!apply.step(Job::Clock::now())) ++steps;
    CHECK(steps > 5);
    CHECK(apply.applied());
    CHECK(s.dir.userCount() == 300);
    CHECK(s.history.undoLabel() == "Import confirmed.csv");
    // The same plan again: the directory has moved on since it was made.
    ImportJob stale(s, preview.plan(), "again");
    stale.runToEnd();
    CHECK_FALSE(stale.applied());
    CHECK(stale.result()["errors"].back()["code"] == "STALE_PLAN");
    CHECK_FALSE(s.busy);
}

TEST_CASE("CsvReader owning its bytes parses them in place and reads exactly what parseCsv reads", "[csv][job]") {
    const std::vector<std::string> inputs = {
        sampleCsv(300, 3),
        "a,\"b \"\"quoted\"\" c\",d\r\n\"multi\nline\",\"x\"\"\",\r\n",
        "\xEF\xBB\xBFname;email\r\n\"A; B\";a@b.c\r\n",
        std::string("\xFF\xFE" "a\0,\0b\0\n\0\"\0x\0\"\0\"\0y\0\"\0,\0z\0\n\0", 26),   // UTF-16 LE
        "caf\xE9,na\xEFve\n\"\xE9t\xE9\",x\n",                                         // Windows-1252
        "a,b\n\"never closed,c\n",
        "\n\n   \n",
        "x\ry\r\r\"q\"\"\"\r",
    };
    for (const std::string& in : inputs) {
        for (size_t slice : {size_t(-1), size_t(7), size_t(1)}) {
            CsvReader view(in);
            while (!view.step(slice)) {
            }
            CsvReader owned{std::string(in)};
            while (!owned.step(slice)) {
            }
            CsvResult a = view.take(), b = owned.take();
            INFO("input " << in.substr(0, 20) << " slice " << slice);
            checkSameParse(a, b);
        }
    }
}

TEST_CASE("import: a large file's text is kept by the pool as it is, with the same directory as a copying import", "[import][job]") {
    // Over kAdoptTextMin (8 MiB), so the applier adopts the text instead of copying each value.
    std::string csv = sampleCsv(110000, 9);
    REQUIRE(csv.size() > kAdoptTextMin);
    Session copied, adopted;
    ImportApplier::adoptTextMin = size_t(-1);   // this one copies every value into the pool
    json a = copied.applyImport(std::string_view(csv), json{{"mode", "replace"}});
    ImportApplier::adoptTextMin = kAdoptTextMin;
    CHECK(copied.dir.pool().bytesAdopted() == 0);
    json b = adopted.applyImport(std::string(csv), json{{"mode", "replace"}});
    REQUIRE(a.value("applied", false));
    REQUIRE(b.value("applied", false));
    CHECK(a["counts"] == b["counts"]);
    CHECK(adopted.dir.pool().bytesAdopted() >= csv.size() * 3 / 4);   // the text itself (cells without delimiters)
    CHECK(exportSei(adopted.dir) == exportSei(copied.dir));
    CHECK(snapshotText(adopted) == snapshotText(copied));
    // Lookups through the bulk-built indexes.
    CHECK(adopted.dir.findEmail("PERSON109999@example.com") != kNone);
    CHECK(adopted.dir.findIdentity(adopted.dir.findIntegration("Jira"), "jira, 5") != kNone);
    // Undo and redo: the adopted strings stay valid.
    REQUIRE(adopted.history.undo(adopted.dir));
    CHECK(adopted.dir.userCount() == 0);
    CHECK(adopted.dir.findEmail("person1@example.com") == kNone);
    REQUIRE(adopted.history.redo(adopted.dir));
    CHECK(exportSei(adopted.dir) == exportSei(copied.dir));
    CHECK(adopted.dir.findIdentity(adopted.dir.findIntegration("GitHub"), "GH-EXTRA-5") != kNone);
    // Stored and loaded again (the loader copies into a fresh pool and builds the indexes in bulk).
    const std::string dir = "/tmp/roster-test-adopt";
    Store(dir).wipe();
    Store st(dir);
    REQUIRE(st.save(adopted.dir).ok);
    Directory back;
    Store st2(dir);
    REQUIRE(st2.load(back).ok);
    CHECK(exportSei(back) == exportSei(copied.dir));
    CHECK(back.findEmail("person77@EXAMPLE.com") != kNone);
    Store(dir).wipe();
}

TEST_CASE("import: the applier sizes the indexes and the attribute columns one per step, before writing people", "[import][job]") {
    // Each of these is tens of MB of fresh memory at a million rows: a job's frame must be able to
    // stop between them (ImportJob looks at its deadline after every step).
    Session s;
    const std::string csv = sampleCsv(500, 3);
    std::shared_ptr<const ImportPlan> plan = std::make_shared<ImportPlan>(planImport(s.dir, csv, ImportMode::Replace));
    REQUIRE(plan->ok());
    Tx tx(s.dir);
    ImportApplier applier(plan);
    REQUIRE(applier.begin(tx).ok);
    // Email index, account index, then the two attribute columns (Team_Name, Start_Date): four
    // steps that write no person, however large the budget.
    for (int i = 0; i < 4; ++i) {
        INFO("step " << i);
        CHECK_FALSE(applier.step(tx, size_t(-1) / 2));
        CHECK(s.dir.slotCount() == 0);
        CHECK(applier.done() == 0);
    }
    CHECK(applier.step(tx, size_t(-1) / 2));   // then the rest in one go
    CHECK(s.dir.slotCount() == 500);
    CHECK(applier.done() == applier.total());
    s.history.commit("Import", tx);
    CHECK(s.dir.userCount() == 500);
    CHECK(s.dir.findEmail("person499@example.com") != kNone);
    CHECK(s.dir.attrValue(s.dir.findAttr("team_name"), s.dir.findEmail("person7@example.com")).substr(0, 5) == "Team ");
}

TEST_CASE("import: a job applying a previewed plan shows its rows while it starts", "[import][job]") {
    Session s;
    const std::string csv = sampleCsv(300, 4);
    auto plan = std::make_shared<ImportPlan>(planImport(s.dir, csv, ImportMode::Replace));
    REQUIRE(plan->ok());
    REQUIRE(plan->rows > 300);
    ImportJob job(s, plan, "Import");
    Job::Progress p = job.progress();
    CHECK(p.phase == "Matching accounts");
    CHECK(p.total == plan->rows);   // not 0/0: the planner of this job never read a table
    CHECK(p.done == plan->rows);
    while (!job.step(Job::Clock::now() + std::chrono::seconds(5))) {
    }
    CHECK(job.applied());
    CHECK(s.dir.userCount() == 300);
}
