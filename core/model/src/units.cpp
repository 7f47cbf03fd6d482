#include "routewise/model/units.hpp"

namespace routewise {

double power_sum_db(const double* levels_db, std::size_t count) {
  double power = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isinf(levels_db[i])) power += std::pow(10.0, levels_db[i] / 10.0);
  }
  return power == 0.0 ? minus_inf_db : 10.0 * std::log10(power);
}

}  // namespace routewise
