#pragma once
// The Attributes view: list, add, rename, change type (with a conversion report), delete.
#include <string>
#include <vector>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class AttributesPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);

private:
    void refresh(const Session& s);
    void drawAddForm(Session& s, UiState& st, Host& host);
    void drawTypeModal(Session& s, UiState& st, Host& host);
    void drawDeleteModal(Session& s, UiState& st, Host& host);

    uint64_t countsRev_ = 0;
    std::vector<uint32_t> counts_;                    // values per attribute index
    std::vector<std::vector<std::string>> usedBy_;    // org units per attribute index
    std::string newKey_, newLabel_, addError_;
    int newType_ = 0;
    uint32_t editingLabel_ = kNone;
    std::string labelBuf_;
    bool labelFocus_ = false;
    // Pending type change / deletion (modal)
    uint32_t typeAttr_ = kNone;
    int typeTo_ = 0;
    std::vector<uint32_t> typeFailures_;
    bool openType_ = false;
    uint32_t deleteAttr_ = kNone;
    bool openDelete_ = false;
    std::string error_;
};

}  // namespace roster::ui
