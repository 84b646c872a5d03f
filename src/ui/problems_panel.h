#pragma once
// The Problems view: lint results with a click to jump to the person; the reporting-line tree.
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "reporting_lines.h"
#include "host.h"
#include "lint.h"
#include "session.h"
#include "ui_state.h"
#include "widgets.h"

namespace roster::ui {

class ProblemsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    // The navigation's count; advance = false only reads it (no lint in this frame).
    NavCount navCount(const Session& s, bool advance = true);
    // stats().problems: the findings shown, the revision they were found at, a lint in progress,
    // the tab, and the reporting-lines relation on screen.
    nlohmann::json statsJson(const Directory& d) const;
    void showTab(int tab) { wantTab_ = tab; }   // 0 findings, 1 reporting lines (roster.ui problemsTab)

private:
    void ensure(const Session& s, bool visible);
    void drawIssues(Session& s, UiState& st);
    void drawTree(Session& s, UiState& st);
    void flattenTree();   // treeRows_ from the roots and what is open

    std::vector<LintIssue> issues_;
    std::unique_ptr<LintRun> run_;   // a lint in progress (stepped a few ms a frame)
    std::map<std::string, size_t> byCode_;   // findings by code
    std::vector<uint32_t> rows_;             // findings shown (of rowsFilter_'s code)
    std::string rowsFilter_;
    bool rowsStale_ = true;
    uint64_t lintRev_ = 0;
    double lintAt_ = -100;
    StaleSince navStale_;
    std::string codeFilter_;    // "" = all codes
    int tab_ = 0, wantTab_ = -1;

    uint32_t treeAttr_ = 0xFFFFFFFFu;
    uint64_t treeRev_ = 0;
    RelationGraph graph_;              // the relation on screen (graph_.attr: of which attribute)
    RelationGraph next_;               // being read, treeCur_ people so far, at treeBuildRev_
    bool treeBuilding_ = false;
    uint32_t treeCur_ = 0;
    uint64_t treeBuildRev_ = 0;
    std::vector<uint32_t> treeRoots_;  // graph_.roots, most reports first
    // The tree as drawn, one row per person (reports below an open person), listed with a clipper:
    // every tree and every report is reachable by scrolling, at any size.
    struct TreeRow { uint32_t slot; uint32_t depth; };
    std::vector<TreeRow> treeRows_;
    bool treeRowsStale_ = true;
    std::unordered_map<uint32_t, bool> treeOpen_;   // opened or closed by the person (else: small roots open)
    uint32_t treeOpenAttr_ = 0xFFFFFFFFu;           // the relation treeOpen_ is about
    bool treeIsOpen(uint32_t slot, uint32_t depth) const;
};

}  // namespace roster::ui
