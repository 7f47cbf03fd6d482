// The engine's sums, in every build this CPU can run (AVX-512, AVX2, SSE2), against a plain
// double-precision sum: all block lengths the engine allows a call (whole vectors, the shorter
// spans, the odd samples at the end), any number of terms, writing or adding to the destination.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "mix_kernels.hpp"

namespace routewise::kernels {
namespace {

TEST(MixKernels, EveryVectorUnitSumsLikeThePlainLoop) {
  std::uint32_t state = 11;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
  };
  // Sources deliberately off the vector alignment, as a delay line's window can be.
  std::vector<float> storage(41 * 300 + 3);
  for (float& v : storage) v = next();
  int units_run = 0;
  for (const VectorUnit unit : {VectorUnit::sse2, VectorUnit::avx2, VectorUnit::avx512}) {
    if (!cpu_has(unit)) continue;
    ++units_run;
    for (const std::size_t frames : {std::size_t{1}, std::size_t{7}, std::size_t{32},
                                     std::size_t{100}, std::size_t{128}, std::size_t{300}})
      for (const std::size_t count : {0, 1, 3, 4, 9, 40}) {
        std::vector<const float*> sources;
        std::vector<float> gains;
        for (std::size_t k = 0; k < count; ++k) {
          sources.push_back(storage.data() + 1 + (k * 7 % 41) * 300 % (storage.size() - 300));
          gains.push_back(next());
        }
        // Two pieces into one destination: the first writes, the second adds.
        std::vector<float> dst(frames + 1, 99.0f);
        const std::size_t half = count / 2;
        float* dsts[] = {dst.data(), dst.data()};
        const std::size_t ends[] = {half, count};
        const unsigned char accumulate[] = {0, 1};
        weighted_sums(unit, dsts, ends, accumulate, 2, sources.data(), gains.data(), frames);
        for (std::size_t i = 0; i < frames; ++i) {
          double expected = 0.0;
          for (std::size_t k = 0; k < count; ++k) expected += double{gains[k]} * sources[k][i];
          ASSERT_NEAR(dst[i], expected, 1e-5) << "unit " << static_cast<int>(unit) << ", " << frames
                                              << " frames, " << count << " terms, sample " << i;
        }
        EXPECT_EQ(dst[frames], 99.0f) << "wrote past the end";
      }
  }
  EXPECT_GE(units_run, 1);
}

}  // namespace
}  // namespace routewise::kernels
