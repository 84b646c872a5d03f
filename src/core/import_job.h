#pragma once
// A CSV import as a Job: read (CsvReader), check rows (ImportPlanner), match accounts, and, when
// asked and the plan has no errors, apply (ImportApplier) as one undo step. The UI runs it a slice
// per frame with a progress bar and Cancel; window.roster.applyImport runs the same job to its end.
// While it runs the session is busy: other edits answer BUSY.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "foreign.h"
#include "job.h"
#include "sei.h"
#include "session.h"

namespace roster {

class ImportJob : public Job {
public:
    ImportJob(Session& s, ImportBytes bytes, ImportMode mode, std::string label, bool apply);
    ImportJob(Session& s, ImportBytes bytes, const ImportOptions& opts, std::string label, bool apply);
    // Applies a plan made earlier (a previewed file the person confirmed).
    ImportJob(Session& s, std::shared_ptr<ImportPlan> plan, std::string label);
    ~ImportJob() override;

    std::string title() const override { return title_; }
    Progress progress() const override;
    bool step(Clock::time_point deadline) override;

    bool finished() const { return phase_ == Phase::Done; }
    bool wasCancelled() const { return cancelled_; }
    bool applied() const { return applied_; }
    const std::shared_ptr<ImportPlan>& plan() const { return plan_; }
    // Once finished: the ImportPlan JSON (+ "applied" when the job was to apply), or {ok:false,
    // error:{code:"CANCELLED"}} after a cancel.
    const json& result() const { return result_; }

    // Slice sizes: units of work between two looks at the deadline.
    void setSlices(size_t readBytes, size_t rows, size_t applyUnits) {
        readBytes_ = readBytes;
        rows_ = rows;
        applyUnits_ = applyUnits;
    }

private:
    enum class Phase { Read, Rows, Match, Apply, Done };
    void done();
    Session& s_;
    ImportMode mode_;
    std::string label_, title_;
    bool apply_;
    Phase phase_ = Phase::Read;
    ImportOptions opts_;
    std::shared_ptr<ForeignTable> foreign_;   // another tool's files, read as this table (foreign.h)
    CsvReader reader_;
    ImportPlanner planner_;
    std::shared_ptr<ImportPlan> plan_;
    std::unique_ptr<ImportApplier> applier_;
    std::unique_ptr<Tx> tx_;
    bool applied_ = false, cancelled_ = false;
    size_t readBytes_ = 1u << 20, rows_ = 2048, applyUnits_ = 8192;   // a few ms each at 1M scale
    json result_;
    double phaseMs_[5] = {0, 0, 0, 0, 0};   // read, rows, match, apply, plan JSON: result()["timings"]
    bool finishPlan_ = false;
};

}  // namespace roster
