// The one import flow (src/core/import_flow.h): the version kept before an import, the pending
// import, and what runs as a job.
#include <catch2/catch.hpp>

#include "import_flow.h"

using namespace roster;

namespace {
const char* kTwo = "Full_Name,Email,Team_name\r\nAda,ada@example.com,Core\r\nGrace,grace@example.com,Compilers\r\n";

struct Kept {
    std::vector<std::string> labels;
    ImportFlow::KeepVersion keeper() {
        return [this](const std::string& l) { labels.push_back(l); return true; };
    }
};
}  // namespace

TEST_CASE("import flow: a version is kept before an import that changes a non-empty directory in the editing tab", "[import][flow]") {
    Session s;
    ImportFlow flow(s);
    Kept kept;
    flow.setKeepVersion(kept.keeper());

    // Into an empty directory: nothing to keep.
    REQUIRE(flow.apply(kTwo, json{{"mode", "update"}})["applied"] == true);
    CHECK(kept.labels.empty());
    CHECK(s.dir.userCount() == 2);

    // The same file again changes nothing: no version.
    REQUIRE(flow.apply(kTwo, json{{"mode", "update"}})["applied"] == true);
    CHECK(kept.labels.empty());

    // A change: one version, labelled by the one rule, kept before the change.
    json r = flow.apply("Full_Name,Email,Team_name\r\nAda,ada@example.com,Research\r\n", json{{"mode", "update"}});
    REQUIRE(r["applied"] == true);
    REQUIRE(kept.labels == std::vector<std::string>{"Before import"});

    // A plan with errors keeps nothing and applies nothing.
    r = flow.apply("Full_Name,Email\r\nX,x@example.com,one cell too many\r\n", json{{"mode", "update"}});
    CHECK(r["applied"] == false);
    CHECK(kept.labels.size() == 1);

    // A named source (the sample, a file) is in the label.
    REQUIRE(flow.apply("Full_Name,Email\r\nZed,zed@example.com\r\n", json{{"mode", "update"}}, "the sample")["applied"] == true);
    CHECK(kept.labels.back() == "Before import of the sample");

    // A read-only tab keeps no version (and applies nothing).
    s.readOnly = true;
    r = flow.apply("Full_Name,Email\r\nNew,new@example.com\r\n", json{{"mode", "update"}});
    CHECK(r["error"]["code"] == "READ_ONLY");
    CHECK(kept.labels.size() == 2);
}

TEST_CASE("import flow: a pending file is confirmed once, checked again when the directory moved, and cancelled", "[import][flow]") {
    Session s;
    ImportFlow flow(s);
    Kept kept;
    flow.setKeepVersion(kept.keeper());
    REQUIRE(flow.apply(kTwo, json{{"mode", "update"}})["applied"] == true);

    json p = flow.open("team.csv", "Full_Name,Email,Team_name\r\nAda,ada@example.com,Research\r\n");
    CHECK(p["fileName"] == "team.csv");
    CHECK(p["counts"]["updated"] == 1);
    REQUIRE(flow.pending() != nullptr);
    CHECK(flow.pendingJson()["fileName"] == "team.csv");

    // The directory moves past the plan: confirming checks the file again first.
    REQUIRE(s.command({{"op", "setAttribute"}, {"ids", {"u1"}}, {"key", "team_name"}, {"value", "Research"}})["ok"] == true);
    CHECK(flow.stale());
    json c = flow.confirm();
    CHECK(c["applied"] == true);
    CHECK(c["counts"]["updated"] == 0);          // the new plan: Ada is already in Research
    CHECK(kept.labels.empty());                  // ...so nothing changed and no version was kept
    CHECK(flow.pending() == nullptr);            // confirmed once
    CHECK(flow.confirm()["error"]["code"] == "NOT_FOUND");

    flow.open("new.csv", "Full_Name,Email\r\nZed,zed@example.com\r\n");
    c = flow.confirm();
    REQUIRE(c["applied"] == true);
    CHECK(kept.labels == std::vector<std::string>{"Before import of new.csv"});
    CHECK(s.history.undoDepth() >= 1);

    flow.open("other.csv", "Full_Name,Email\r\nYan,yan@example.com\r\n");
    CHECK(flow.cancel()["cancelled"] == true);
    CHECK(flow.pending() == nullptr);
    CHECK(flow.pendingJson().is_null());
    CHECK(flow.cancel()["cancelled"] == false);
}

TEST_CASE("import flow: what runs as a job, and a large plan applied as one", "[import][flow][job]") {
    Session s;
    ImportFlow flow(s);
    Kept kept;
    flow.setKeepVersion(kept.keeper());
    CHECK_FALSE(flow.opensAsJob(ImportFlow::kJobBytes - 1));
    CHECK(flow.opensAsJob(ImportFlow::kJobBytes));
    REQUIRE(flow.apply(kTwo, json{{"mode", "update"}})["applied"] == true);

    std::string big = "Full_Name,Email\r\n";
    for (uint32_t i = 0; i < ImportFlow::kJobRows; ++i) big += "P" + std::to_string(i) + ",p" + std::to_string(i) + "@example.com\r\n";
    flow.stage("big.csv", big);
    auto check = flow.checkJob(ImportMode::Update, "Reading big.csv");
    check->runToEnd();
    REQUIRE(flow.takeChecked(*check, ImportMode::Update));
    CHECK(flow.rechecksAsJob());
    CHECK(flow.appliesAsJob());
    auto apply = flow.applyJob();
    CHECK(kept.labels == std::vector<std::string>{"Before import of big.csv"});
    apply->runToEnd();
    json r = flow.finishApply(*apply);
    REQUIRE(r["applied"] == true);
    CHECK(s.dir.userCount() == 2 + ImportFlow::kJobRows);
    CHECK(flow.pending() == nullptr);

    // A small pending file is applied at once.
    flow.open("one.csv", "Full_Name,Email\r\nOne,one@example.com\r\n");
    CHECK_FALSE(flow.appliesAsJob());
    CHECK_FALSE(flow.rechecksAsJob());
}
