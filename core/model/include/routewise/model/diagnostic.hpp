#pragma once
// A problem found while reading input, located by file and a path inside it.

#include <string>
#include <vector>

namespace routewise {

struct Diagnostic {
  std::string where;    // "nodes[3].sends[1].target", "line 12", "/Session/Routes/Route[4]"
  std::string message;  // what is wrong, in one sentence
  bool operator==(const Diagnostic&) const = default;
};

// "file: where: message" (parts left out when empty).
std::string format_diagnostic(const std::string& file, const Diagnostic& d);

struct Diagnostics {
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  bool ok() const { return errors.empty(); }
};

}  // namespace routewise
