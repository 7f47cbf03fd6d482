#include "routewise/model/diagnostic.hpp"

namespace routewise {

std::string format_diagnostic(const std::string& file, const Diagnostic& d) {
  std::string out = file;
  if (!d.where.empty()) out += (out.empty() ? "" : ": ") + d.where;
  out += (out.empty() ? "" : ": ") + d.message;
  return out;
}

}  // namespace routewise
