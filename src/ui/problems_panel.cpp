#include "problems_panel.h"

#include <imgui.h>

namespace roster::ui {

void ProblemsPanel::Draw(Session& s, UiState& st, Host& host) {
    (void)s; (void)st; (void)host;
    ImGui::TextDisabled("This panel is being built.");
}

uint64_t ProblemsPanel::navCount(const Session& s) { (void)s; return 0; }

}  // namespace roster::ui
