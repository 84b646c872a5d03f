#include "clipboard.h"

#include "browser.h"

namespace roster::platform {

void Clipboard::copy(const std::string& text) {
    text_ = text;
    roster_js_copy_text(text.c_str());
}

}  // namespace roster::platform
