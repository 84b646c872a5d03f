#include "import_job.h"

namespace roster {

ImportJob::ImportJob(Session& s, ImportBytes bytes, ImportMode mode, std::string label, bool apply)
    : ImportJob(s, std::move(bytes), ImportOptions{mode, {}, false}, std::move(label), apply) {}

ImportJob::ImportJob(Session& s, ImportBytes bytes, const ImportOptions& opts, std::string label, bool apply)
    : s_(s), mode_(opts.mode), label_(std::move(label)), title_(label_), apply_(apply), opts_(opts),
      reader_(importBytesFor(s.dir, std::move(bytes), opts_, foreign_).reader()), planner_(s.dir, opts_) {
    s_.busy = true;
    // Read and applied in one go (no preview to look at first): the redo steps end now, before the
    // file is read, so that what they made is given back before the import's own memory is taken
    // (the undone import of the SEI loop and the new one never sit in memory together). A file then
    // refused has still ended them, as any edit would have.
    if (apply_) s_.history.discardRedo(s_.dir);
}

ImportJob::ImportJob(Session& s, std::shared_ptr<ImportPlan> plan, std::string label)
    : s_(s), mode_(plan ? plan->mode : ImportMode::Update), label_(std::move(label)), title_(label_), apply_(true), reader_(std::string_view()),
      planner_(s.dir, mode_), plan_(std::move(plan)) {
    s_.busy = true;
    phase_ = Phase::Match;
}

ImportJob::~ImportJob() {
    if (phase_ != Phase::Done) {
        if (tx_) tx_->rollback();
        s_.busy = false;
    }
}

Job::Progress ImportJob::progress() const {
    switch (phase_) {
        case Phase::Read: return {"Reading", reader_.bytesDone(), reader_.bytesTotal(), "bytes"};
        case Phase::Rows: return {"Checking rows", planner_.rowsRead(), planner_.rowsTotal(), "rows"};
        case Phase::Match: {
            const uint64_t rows = plan_ ? plan_->rows : planner_.rowsTotal();   // (the planner's table is gone once the plan is taken)
            return {"Matching accounts", rows, rows, "rows"};
        }
        case Phase::Apply: return {"Applying", applier_ ? applier_->done() : 0, applier_ ? applier_->total() : 0, "records"};
        case Phase::Done: break;
    }
    return {"Done", 1, 1, ""};
}

void ImportJob::done() {
    phase_ = Phase::Done;
    s_.busy = false;
    applier_.reset();
    tx_.reset();
}

bool ImportJob::step(Clock::time_point deadline) {
    if (phase_ == Phase::Done) return true;
    try {
        for (;;) {
            // Where the time goes, by phase (result()["timings"], in milliseconds).
            const Phase timed = phase_;
            const auto t0 = Clock::now();
            struct Timer {
                ImportJob* job;
                double* ms;
                Clock::time_point t0;
                ~Timer() {
                    *ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                    if (job->phase_ == Phase::Done && job->result_.is_object()) {
                        const double* p = job->phaseMs_;
                        job->result_["timings"] = json{{"read", p[0]}, {"rows", p[1]}, {"match", p[2]}, {"json", p[4]}, {"apply", p[3]}};
                    }
                }
            } timer{this, &phaseMs_[timed == Phase::Read ? 0 : timed == Phase::Rows ? 1 : timed == Phase::Match ? 2 : 3], t0};
            if (cancelRequested_) {
                if (tx_) tx_->rollback();
                cancelled_ = true;
                result_ = json{{"ok", false}, {"error", {{"code", "CANCELLED"}, {"message", "The import was cancelled: nothing was changed"}}}};
                plan_.reset();
                done();
                return true;
            }
            switch (phase_) {
                case Phase::Read:
                    if (reader_.step(readBytes_)) {
                        phase_ = Phase::Rows;
                        if (!planner_.start(reader_.take())) phase_ = Phase::Match;
                    }
                    break;
                case Phase::Rows:
                    if (planner_.readRows(rows_)) {
                        phase_ = Phase::Match;
                        finishPlan_ = true;
                    }
                    break;
                case Phase::Match: {
                    // Three parts, each followed by a look at the deadline (each is a few hundred
                    // ms at a million rows): matching, the plan's answer, the applier's start.
                    if (finishPlan_) {   // every row is read: match the accounts, decide every change
                        finishPlan_ = false;
                        planner_.finish();
                        break;
                    }
                    if (!plan_) {
                        plan_ = std::make_shared<ImportPlan>(planner_.take());
                        if (foreign_) finishForeignPlan(*plan_, *foreign_, s_.dir);
                    }
                    if (result_.is_null()) {
                        const auto tj = Clock::now();
                        result_ = s_.planJson(*plan_);
                        phaseMs_[4] += std::chrono::duration<double, std::milli>(Clock::now() - tj).count();
                        phaseMs_[2] -= std::chrono::duration<double, std::milli>(Clock::now() - tj).count();
                        if (apply_ && plan_->ok()) break;
                    }
                    if (!apply_) {
                        done();
                        return true;
                    }
                    if (!plan_->ok()) {
                        result_["applied"] = false;
                        done();
                        return true;
                    }
                    // The redo steps end here: what they made is given back before the import makes its own.
                    s_.history.discardRedo(s_.dir);
                    tx_ = std::make_unique<Tx>(s_.dir);
                    applier_ = std::make_unique<ImportApplier>(plan_);
                    CmdResult r = applier_->begin(*tx_);
                    if (!r.ok) {
                        tx_->rollback();
                        result_["ok"] = false;
                        result_["errors"].push_back({{"code", r.error.code}, {"message", r.error.message}});
                        result_["applied"] = false;
                        done();
                        return true;
                    }
                    phase_ = Phase::Apply;
                    break;
                }
                case Phase::Apply:
                    if (applier_->step(*tx_, applyUnits_)) {
                        s_.history.commit(label_, *tx_);
                        s_.noteApplied(*plan_);
                        applied_ = true;
                        result_["applied"] = true;
                        done();
                        return true;
                    }
                    break;
                case Phase::Done: return true;
            }
            if (Clock::now() >= deadline) return false;
        }
    } catch (const std::bad_alloc&) {
        if (tx_) tx_->rollback();
        plan_.reset();
        result_ = json{{"ok", false}, {"error", {{"code", "OUT_OF_MEMORY"}, {"message", "Not enough memory to import this file"}}}};
        done();
        return true;
    }
}

}  // namespace roster
