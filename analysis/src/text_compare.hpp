#pragma once
// Text comparison shared inside analysis/ (names typed by a user against names in a session).

#include <algorithm>
#include <cctype>
#include <string_view>

namespace routewise {

// Equal ASCII letters regardless of case ("Vox Bus" and "vox bus").
inline bool same_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

}  // namespace routewise
