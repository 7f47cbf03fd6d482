#include "mix_kernels.hpp"

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
// may_alias and aligned(4) make it a plain view of any float buffer (a delay line's window is
// not 64-byte aligned). A typedef, not `using`: Clang drops the lowered alignment on an alias.
typedef float floats16  // NOLINT(modernize-use-using): see above
    __attribute__((vector_size(64), aligned(4), may_alias));
}  // namespace

ROUTEWISE_VECTOR_CLONES
void weighted_sum(float* __restrict dst, const float* const* __restrict sources,
                  const float* __restrict gains, std::size_t count, std::size_t frames) {
  // The sum stays in registers across all terms: each source is read once and the destination
  // written once, instead of a read-modify-write of the destination per term. Eight registers
  // are summed into side by side, so the adds do not wait on each other's latency: a whole
  // 128-frame block per term, or four terms at a time over shorter spans.
  auto view = [&](std::size_t k, std::size_t i) {
    return reinterpret_cast<const floats16*>(sources[k] + i);
  };
  std::size_t i = 0;
  for (; i + 128 <= frames; i += 128) {
    floats16 a[8] = {};
    for (std::size_t k = 0; k < count; ++k) {
      const floats16* s = view(k, i);
      for (std::size_t v = 0; v < 8; ++v) a[v] += gains[k] * s[v];
    }
    auto* d = reinterpret_cast<floats16*>(dst + i);
    for (std::size_t v = 0; v < 8; ++v) d[v] = a[v];
  }
  for (; i + 32 <= frames; i += 32) {
    floats16 a[4][2] = {};
    std::size_t k = 0;
    for (; k + 4 <= count; k += 4)
      for (std::size_t t = 0; t < 4; ++t) {
        const floats16* s = view(k + t, i);
        a[t][0] += gains[k + t] * s[0];
        a[t][1] += gains[k + t] * s[1];
      }
    for (; k < count; ++k) {
      const floats16* s = view(k, i);
      a[0][0] += gains[k] * s[0];
      a[0][1] += gains[k] * s[1];
    }
    auto* d = reinterpret_cast<floats16*>(dst + i);
    d[0] = (a[0][0] + a[1][0]) + (a[2][0] + a[3][0]);
    d[1] = (a[0][1] + a[1][1]) + (a[2][1] + a[3][1]);
  }
  for (; i < frames; ++i) {
    float a = 0.0f;
    for (std::size_t k = 0; k < count; ++k) a += gains[k] * sources[k][i];
    dst[i] = a;
  }
}

ROUTEWISE_VECTOR_CLONES
void scale(float* __restrict dst, const float* __restrict src, float gain, std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) dst[i] = gain * src[i];
}

}  // namespace routewise::kernels
