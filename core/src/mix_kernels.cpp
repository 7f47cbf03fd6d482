#include "mix_kernels.hpp"

#include <cstring>

// GCC and Clang build one copy per listed target and pick the best at load time (ifunc).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define ROUTEWISE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ROUTEWISE_VECTOR_CLONES
#endif

namespace routewise::kernels {
namespace {
// Sixteen floats: one AVX-512 register, two AVX2 or four SSE ones, per the clone being built.
// Buffers are read and written through memcpy, which compiles to unaligned vector moves: a delay
// line's window is not 64-byte aligned, and a lowered alignment on the type itself is honoured
// differently by GCC and Clang.
typedef float floats16 __attribute__((vector_size(64)));  // NOLINT(modernize-use-using)

// Inlined into each clone below, so that it is built for that clone's vector unit.
[[gnu::always_inline]] inline void sum_into(float* __restrict dst,
                                            const float* const* __restrict sources,
                                            const float* __restrict gains, std::size_t count,
                                            std::size_t frames, bool accumulate) {
  // The sum stays in registers across all terms: each source is read once and the destination
  // written once, instead of a read-modify-write of the destination per term. Eight registers
  // are summed into side by side, so the adds do not wait on each other's latency: a whole
  // 128-frame block per term, or four terms at a time over shorter spans.
  constexpr std::size_t width = 16;
  std::size_t i = 0;
  for (; i + 8 * width <= frames; i += 8 * width) {
    floats16 a[8] = {};
    if (accumulate)
      for (std::size_t v = 0; v < 8; ++v) std::memcpy(&a[v], dst + i + v * width, sizeof a[v]);
    for (std::size_t k = 0; k < count; ++k) {
      const float* s = sources[k] + i;
      for (std::size_t v = 0; v < 8; ++v) {
        floats16 x;
        std::memcpy(&x, s + v * width, sizeof x);
        a[v] += gains[k] * x;
      }
    }
    for (std::size_t v = 0; v < 8; ++v) std::memcpy(dst + i + v * width, &a[v], sizeof a[v]);
  }
  for (; i + 2 * width <= frames; i += 2 * width) {
    floats16 a[4][2] = {};
    if (accumulate)
      for (std::size_t v = 0; v < 2; ++v)
        std::memcpy(&a[0][v], dst + i + v * width, sizeof a[0][v]);
    std::size_t k = 0;
    for (; k + 4 <= count; k += 4)
      for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t v = 0; v < 2; ++v) {
          floats16 x;
          std::memcpy(&x, sources[k + t] + i + v * width, sizeof x);
          a[t][v] += gains[k + t] * x;
        }
    for (; k < count; ++k)
      for (std::size_t v = 0; v < 2; ++v) {
        floats16 x;
        std::memcpy(&x, sources[k] + i + v * width, sizeof x);
        a[0][v] += gains[k] * x;
      }
    for (std::size_t v = 0; v < 2; ++v) {
      const floats16 sum = (a[0][v] + a[1][v]) + (a[2][v] + a[3][v]);
      std::memcpy(dst + i + v * width, &sum, sizeof sum);
    }
  }
  for (; i < frames; ++i) {
    float a = accumulate ? dst[i] : 0.0f;
    for (std::size_t k = 0; k < count; ++k) a += gains[k] * sources[k][i];
    dst[i] = a;
  }
}

}  // namespace

ROUTEWISE_VECTOR_CLONES
void weighted_sum(float* dst, const float* const* sources, const float* gains, std::size_t count,
                  std::size_t frames, bool accumulate) {
  sum_into(dst, sources, gains, count, frames, accumulate);
}

ROUTEWISE_VECTOR_CLONES
void weighted_sums(float* const* dsts, const std::size_t* ends, const unsigned char* accumulate,
                   std::size_t count, const float* const* sources, const float* gains,
                   std::size_t frames) {
  std::size_t first = 0;
  for (std::size_t p = 0; p < count; ++p) {
    sum_into(dsts[p], sources + first, gains + first, ends[p] - first, frames, accumulate[p] != 0);
    first = ends[p];
  }
}

ROUTEWISE_VECTOR_CLONES
void scale(float* __restrict dst, const float* __restrict src, float gain, std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) dst[i] = gain * src[i];
}

}  // namespace routewise::kernels
