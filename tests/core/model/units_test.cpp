#include "routewise/model/units.hpp"

#include <gtest/gtest.h>

namespace routewise {

TEST(Units, AmplitudeToDbAtTheEdges) {
  EXPECT_EQ(amplitude_to_db(0.0), minus_inf_db);
  EXPECT_DOUBLE_EQ(amplitude_to_db(1.0), 0.0);
  EXPECT_NEAR(amplitude_to_db(0.5), -6.0206, 1e-4);
  EXPECT_NEAR(amplitude_to_db(-0.5), -6.0206, 1e-4);
  EXPECT_NEAR(amplitude_to_db(2.0), 6.0206, 1e-4);
}

TEST(Units, DbToAmplitudeAtTheEdges) {
  EXPECT_EQ(db_to_amplitude(minus_inf_db), 0.0);
  EXPECT_DOUBLE_EQ(db_to_amplitude(0.0), 1.0);
  EXPECT_NEAR(db_to_amplitude(-20.0), 0.1, 1e-12);
  EXPECT_TRUE(std::isinf(db_to_amplitude(1e308)));
}

TEST(Units, PowerSumOfEqualLevelsAddsTenLogN) {
  const double levels[] = {-12, -12, -12, -12, -12, -12, -12, -12};
  EXPECT_NEAR(power_sum_db(levels, 8), -12 + 10 * std::log10(8.0), 1e-9);
}

TEST(Units, PowerSumIgnoresSilenceAndEmptyIsSilent) {
  const double levels[] = {minus_inf_db, -6.0};
  EXPECT_NEAR(power_sum_db(levels, 2), -6.0, 1e-12);
  EXPECT_EQ(power_sum_db(levels, 0), minus_inf_db);
  EXPECT_EQ(power_sum_db(levels, 1), minus_inf_db);
}

TEST(Units, SamplesAndMilliseconds) {
  EXPECT_DOUBLE_EQ(samples_to_ms(48, 48000), 1.0);
  EXPECT_DOUBLE_EQ(ms_to_samples(1.0, 44100), 44.1);
  EXPECT_DOUBLE_EQ(samples_to_ms(0, 96000), 0.0);
}

}  // namespace routewise
