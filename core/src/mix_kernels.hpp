#pragma once
// The engine's inner loops: contiguous float buffers, no aliasing, built for the widest vector
// unit the CPU has (AVX-512, AVX2 or baseline SSE2, chosen once at load time).

#include <cstddef>

namespace routewise::kernels {

// dst[i] = Σ_k gains[k] · sources[k][i]  (zero when count is 0)
void weighted_sum(float* dst, const float* const* sources, const float* gains, std::size_t count,
                  std::size_t frames);
// dst[i] = gain · src[i]
void scale(float* dst, const float* src, float gain, std::size_t frames);

}  // namespace routewise::kernels
