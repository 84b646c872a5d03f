#pragma once
// The clipboard: what ImGui copies goes to the system clipboard; the page's paste events
// (roster_api "paste") hand over the text ImGui pastes.
#include <string>

namespace roster::platform {

class Clipboard {
public:
    void copy(const std::string& text);               // also into the system clipboard
    void pasted(std::string text) { text_ = std::move(text); }   // a paste event in the page
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

}  // namespace roster::platform
