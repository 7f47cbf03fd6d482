#include "mix_kernels.hpp"

#include <cstring>

// GCC and Clang build one copy of a plain loop per listed target and pick the best at load time
// (ifunc).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define ROUTEWISE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ROUTEWISE_VECTOR_CLONES
#endif

namespace routewise::kernels {
namespace {

// Buffers are read and written through memcpy, which compiles to unaligned vector moves: a
// delay line's window need not be 64-byte aligned, and a lowered alignment on a vector type is
// honoured differently by GCC and Clang. `Bytes`: one register of the vector unit the code is
// built for (64 for AVX-512, 32 for AVX2, 16 for SSE2). A wider type than the unit has is split
// and spilled to the stack: the AVX2 build of a 64-byte version rendered the benchmark session at
// 17x real time, this one at 95x.
template <std::size_t Bytes>
[[gnu::always_inline]] inline void sum_into(float* __restrict dst,
                                            const float* const* __restrict sources,
                                            const float* __restrict gains, std::size_t count,
                                            std::size_t frames, bool accumulate) {
  typedef float vec __attribute__((vector_size(Bytes)));  // NOLINT(modernize-use-using)
  // The sum stays in registers across all terms: each source is read once and the destination
  // written once, instead of a read-modify-write of the destination per term. Eight registers
  // are summed into side by side, so the adds do not wait on each other's latency: eight
  // registers' worth of frames per term (a whole 128-frame block with AVX-512), or four terms at
  // a time over shorter spans.
  constexpr std::size_t width = Bytes / sizeof(float);
  std::size_t i = 0;
  for (; i + 8 * width <= frames; i += 8 * width) {
    vec a[8] = {};
    if (accumulate)
      for (std::size_t v = 0; v < 8; ++v) std::memcpy(&a[v], dst + i + v * width, sizeof a[v]);
    for (std::size_t k = 0; k < count; ++k) {
      const float* s = sources[k] + i;
      for (std::size_t v = 0; v < 8; ++v) {
        vec x;
        std::memcpy(&x, s + v * width, sizeof x);
        a[v] += gains[k] * x;
      }
    }
    for (std::size_t v = 0; v < 8; ++v) std::memcpy(dst + i + v * width, &a[v], sizeof a[v]);
  }
  for (; i + 2 * width <= frames; i += 2 * width) {
    vec a[4][2] = {};
    if (accumulate)
      for (std::size_t v = 0; v < 2; ++v)
        std::memcpy(&a[0][v], dst + i + v * width, sizeof a[0][v]);
    std::size_t k = 0;
    for (; k + 4 <= count; k += 4)
      for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t v = 0; v < 2; ++v) {
          vec x;
          std::memcpy(&x, sources[k + t] + i + v * width, sizeof x);
          a[t][v] += gains[k + t] * x;
        }
    for (; k < count; ++k)
      for (std::size_t v = 0; v < 2; ++v) {
        vec x;
        std::memcpy(&x, sources[k] + i + v * width, sizeof x);
        a[0][v] += gains[k] * x;
      }
    for (std::size_t v = 0; v < 2; ++v) {
      const vec sum = (a[0][v] + a[1][v]) + (a[2][v] + a[3][v]);
      std::memcpy(dst + i + v * width, &sum, sizeof sum);
    }
  }
  for (; i < frames; ++i) {
    float a = accumulate ? dst[i] : 0.0f;
    for (std::size_t k = 0; k < count; ++k) a += gains[k] * sources[k][i];
    dst[i] = a;
  }
}

template <std::size_t Bytes>
[[gnu::always_inline]] inline void sums_into(float* const* dsts, const std::size_t* ends,
                                             const unsigned char* accumulate, std::size_t count,
                                             const float* const* sources, const float* gains,
                                             std::size_t frames) {
  std::size_t first = 0;
  for (std::size_t p = 0; p < count; ++p) {
    sum_into<Bytes>(dsts[p], sources + first, gains + first, ends[p] - first, frames,
                    accumulate[p] != 0);
    first = ends[p];
  }
}

// One build of the sums per vector unit, chosen by what the CPU running us has.
#if defined(__x86_64__) && defined(__GNUC__)
#define ROUTEWISE_SUMS_PARAMETERS                                                                  \
  float *const *dsts, const std::size_t *ends, const unsigned char *accumulate, std::size_t count, \
      const float *const *sources, const float *gains, std::size_t frames
#define ROUTEWISE_SUMS_ARGUMENTS dsts, ends, accumulate, count, sources, gains, frames
__attribute__((target("avx512f"))) void sums_avx512(ROUTEWISE_SUMS_PARAMETERS) {
  sums_into<64>(ROUTEWISE_SUMS_ARGUMENTS);
}
__attribute__((target("avx2,fma"))) void sums_avx2(ROUTEWISE_SUMS_PARAMETERS) {
  sums_into<32>(ROUTEWISE_SUMS_ARGUMENTS);
}
void sums_sse2(ROUTEWISE_SUMS_PARAMETERS) {
  sums_into<16>(ROUTEWISE_SUMS_ARGUMENTS);
}
#endif

}  // namespace

void weighted_sum(float* dst, const float* const* sources, const float* gains, std::size_t count,
                  std::size_t frames, bool accumulate) {
  // One sum is one piece.
  const std::size_t end = count;
  const auto flag = static_cast<unsigned char>(accumulate);
  weighted_sums(&dst, &end, &flag, 1, sources, gains, frames);
}

bool cpu_has(VectorUnit unit) {
#if defined(__x86_64__) && defined(__GNUC__)
  switch (unit) {
    case VectorUnit::avx512:
      return __builtin_cpu_supports("avx512f");
    case VectorUnit::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case VectorUnit::sse2:
      return true;
  }
  return false;
#else
  return unit == VectorUnit::sse2;  // stands for the portable build here
#endif
}

void weighted_sums(VectorUnit unit, float* const* dsts, const std::size_t* ends,
                   const unsigned char* accumulate, std::size_t count, const float* const* sources,
                   const float* gains, std::size_t frames) {
#if defined(__x86_64__) && defined(__GNUC__)
  switch (unit) {
    case VectorUnit::avx512:
      sums_avx512(ROUTEWISE_SUMS_ARGUMENTS);
      return;
    case VectorUnit::avx2:
      sums_avx2(ROUTEWISE_SUMS_ARGUMENTS);
      return;
    case VectorUnit::sse2:
      sums_sse2(ROUTEWISE_SUMS_ARGUMENTS);
      return;
  }
#else
  (void)unit;
  sums_into<16>(dsts, ends, accumulate, count, sources, gains, frames);
#endif
}

void weighted_sums(float* const* dsts, const std::size_t* ends, const unsigned char* accumulate,
                   std::size_t count, const float* const* sources, const float* gains,
                   std::size_t frames) {
  const VectorUnit unit = cpu_has(VectorUnit::avx512) ? VectorUnit::avx512
                          : cpu_has(VectorUnit::avx2) ? VectorUnit::avx2
                                                      : VectorUnit::sse2;
  weighted_sums(unit, dsts, ends, accumulate, count, sources, gains, frames);
}

ROUTEWISE_VECTOR_CLONES
void scale(float* __restrict dst, const float* __restrict src, float gain, std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) dst[i] = gain * src[i];
}

}  // namespace routewise::kernels
