#pragma once
// The engine's inner loops: contiguous float buffers, no aliasing, built for the widest vector
// unit the CPU has (AVX-512, AVX2 or baseline SSE2, asked of the CPU on each call).

#include <cstddef>

namespace routewise::kernels {

// dst[i] = Σ_k gains[k] · sources[k][i]  (zero when count is 0), or dst[i] += that when
// `accumulate`
void weighted_sum(float* dst, const float* const* sources, const float* gains, std::size_t count,
                  std::size_t frames, bool accumulate = false);
// weighted_sum() for `count` sums in a row, in one call: sum p writes (or adds to, when
// accumulate[p]) dsts[p] the terms from ends[p - 1] (0 for the first) to ends[p].
void weighted_sums(float* const* dsts, const std::size_t* ends, const unsigned char* accumulate,
                   std::size_t count, const float* const* sources, const float* gains,
                   std::size_t frames);
// The vector units the sums are built for. The call above uses the best the CPU has; naming one
// is for tests, on a CPU that has it.
enum class VectorUnit { sse2, avx2, avx512 };
bool cpu_has(VectorUnit unit);
void weighted_sums(VectorUnit unit, float* const* dsts, const std::size_t* ends,
                   const unsigned char* accumulate, std::size_t count, const float* const* sources,
                   const float* gains, std::size_t frames);
// dst[i] = gain · src[i]
void scale(float* dst, const float* src, float gain, std::size_t frames);

}  // namespace routewise::kernels
