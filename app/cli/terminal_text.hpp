#pragma once
// Untrusted text (names from session files and from the DAW) made safe to print on a terminal.

#include <string>
#include <string_view>

namespace routewise::cli {

// Control characters — C0 and DEL as bytes, C1 as UTF-8 (U+0080..U+009F) — shown as \xNN or
// \u00NN instead of reaching the terminal, where ESC [2J or ESC ]0;title BEL would act.
std::string printable(std::string_view text);

}  // namespace routewise::cli
