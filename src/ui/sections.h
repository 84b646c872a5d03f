#pragma once
// Sections of the right-hand editor pane, each owned by its feature and holding its own state.
// EditorPanel owns one of each.
#include <string>
#include <vector>

#include "host.h"
#include "person_picker.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// attr_editor.cpp: bulk edit of one attribute for the selected people.
class BulkEdit {
public:
    void Draw(Session& s, UiState& st, Host& host);

private:
    uint32_t attr_ = kNone;
    std::string value_, error_;
};

// attr_editor.cpp: the person's attributes, edited inline (typed inputs, person picker for email
// references, date input).
class AttributesSection {
public:
    void Draw(Session& s, UiState& st, Host& host, uint32_t slot);

private:
    uint32_t slot_ = kNone;
    std::vector<std::string> bufs_, loaded_, errors_;
};

// accounts_editor.cpp: the person's accounts (split off, move to another person, mark as bot) and
// aliases; and actions on a multi-selection (merge the selected people).
class AccountsSection {
public:
    void Draw(Session& s, UiState& st, Host& host, uint32_t slot);
    static void DrawSelectionActions(Session& s, UiState& st, Host& host);

private:
    PersonPicker movePicker_;
    uint32_t moveIdent_ = kNone;
    bool openMove_ = false;
    int addInteg_ = -1;
    std::string addAccount_;
    std::string error_;
    uint32_t errorSlot_ = kNone;
};

}  // namespace roster::ui
