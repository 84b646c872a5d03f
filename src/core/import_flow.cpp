#include "import_flow.h"

namespace roster {

std::string ImportFlow::versionLabel(const std::string& source) {
    std::string label = "Before import";
    if (!source.empty()) label += " of " + source;
    return label;
}

bool ImportFlow::keepVersionBefore(const ImportPlan& plan, const std::string& source) {
    const bool changes = plan.changesSomething();
    if (!changes || s_.dir.userCount() == 0 || s_.readOnly || !keep_) return false;
    return keep_(versionLabel(source));
}

json ImportFlow::apply(ImportBytes bytes, const json& opts, const std::string& source) {
    ImportMode mode;
    json error;
    if (!s_.canImport(bytes.view(), opts, mode, error)) return error;
    if (s_.dir.userCount() == 0) {
        // Nothing to keep a version of: read and apply in one pass, taking owned bytes over.
        return s_.applyImport(std::move(bytes), opts);
    }
    // The file is planned once, the version kept, then that same plan applied.
    std::shared_ptr<ImportPlan> plan;
    json preview = s_.previewImport(bytes.view(), opts, &plan);
    if (!plan) return preview;   // bad arguments
    keepVersionBefore(*plan, source);
    return s_.applyPlan(plan, Session::importLabel(plan->mode), &preview);
}

json ImportFlow::pendingJson() const {
    if (!pending_) return nullptr;
    json j = s_.planJson(*pending_);
    j["fileName"] = name_;
    return j;
}

void ImportFlow::stage(std::string name, std::string bytes) {
    cancel();
    name_ = std::move(name);
    bytes_ = std::move(bytes);
    mode_ = ImportMode::Update;
    opts_ = ImportOptions{};
}

json ImportFlow::open(std::string name, std::string bytes, ImportMode mode) {
    stage(std::move(name), std::move(bytes));
    return recheck(mode);
}

json ImportFlow::recheck(ImportMode mode) {
    ImportOptions o = opts_;
    o.mode = mode;
    return recheck(o);
}

json ImportFlow::recheck(const ImportOptions& opts) {
    setPendingOptions(opts);
    pending_ = std::make_shared<ImportPlan>(planImport(s_.dir, bytes_, opts_));
    return pendingJson();
}

std::shared_ptr<ImportJob> ImportFlow::checkJob(ImportMode mode, const std::string& title) {
    ImportOptions o = opts_;
    o.mode = mode;
    return std::make_shared<ImportJob>(s_, std::string_view(bytes_), o, title, false);
}

bool ImportFlow::takeChecked(ImportJob& job, ImportMode mode) {
    if (job.wasCancelled() || !job.plan()) return false;
    pending_ = job.plan();
    mode_ = mode;
    opts_.mode = mode;
    return true;
}

bool ImportFlow::appliesAsJob() const {
    if (!pending_) return false;
    const auto& c = pending_->counts;
    return c.added + c.updated + c.removed >= kJobRows || pending_->rows >= kJobRows;
}

std::shared_ptr<ImportJob> ImportFlow::applyJob() {
    if (!pending_) return nullptr;
    keepVersionBefore(*pending_, name_);
    return std::make_shared<ImportJob>(s_, pending_, undoLabel());
}

json ImportFlow::finishApply(ImportJob& job) {
    if (!job.applied()) return nullptr;
    json r = job.result();
    cancel();
    return r;
}

json ImportFlow::confirm() {
    if (!pending_) return errorJson("NOT_FOUND", "No import is waiting for confirmation");
    if (stale()) recheck(mode_);
    keepVersionBefore(*pending_, name_);
    json j = s_.applyPlan(pending_, undoLabel());
    if (j.value("applied", false)) cancel();
    return j;
}

json ImportFlow::cancel() {
    const bool had = pending_ != nullptr;
    pending_.reset();
    std::string().swap(bytes_);
    name_.clear();
    return json{{"ok", true}, {"cancelled", had}};
}

}  // namespace roster
