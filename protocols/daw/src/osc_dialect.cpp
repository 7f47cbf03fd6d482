// The dialects by the names the command line and the settings use.
#include "routewise/daw/osc_dialect.hpp"

namespace routewise {

const OscDialect* dialect_named(std::string_view name) {
  if (name == "ardour") return &ardour_dialect();
  if (name == "reaper") return &reaper_dialect();
  return nullptr;
}

}  // namespace routewise
