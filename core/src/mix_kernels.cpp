#include "mix_kernels.hpp"

// GCC and Clang build one copy per listed target and pick the best at load time (ifunc).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define ROUTEWISE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ROUTEWISE_VECTOR_CLONES
#endif

namespace routewise::kernels {

ROUTEWISE_VECTOR_CLONES
void accumulate(float* __restrict dst, const float* __restrict src, float gain,
                std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) dst[i] += gain * src[i];
}

ROUTEWISE_VECTOR_CLONES
void accumulate2(float* __restrict left, float* __restrict right, const float* __restrict src,
                 float gain_left, float gain_right, std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) {
    left[i] += gain_left * src[i];
    right[i] += gain_right * src[i];
  }
}

ROUTEWISE_VECTOR_CLONES
void node_stage(float* __restrict in, const float* __restrict source, float* __restrict pre,
                float* __restrict out, float trim, float pre_gain, float out_gain, bool keep_in,
                bool keep_pre, std::size_t frames) {
  // Only the taps something reads are stored: most nodes need just their output.
  if (source) {
    for (std::size_t i = 0; i < frames; ++i) in[i] += source[i];
  }
  if (keep_pre) {
    for (std::size_t i = 0; i < frames; ++i) pre[i] = in[i] * pre_gain;
  }
  for (std::size_t i = 0; i < frames; ++i) out[i] = in[i] * out_gain;
  if (keep_in) {
    for (std::size_t i = 0; i < frames; ++i) in[i] *= trim;
  }
}

ROUTEWISE_VECTOR_CLONES
void input_stage(float* __restrict in, const float* __restrict source, float trim,
                 std::size_t frames) {
  if (source) {
    for (std::size_t i = 0; i < frames; ++i) in[i] = (in[i] + source[i]) * trim;
  } else {
    for (std::size_t i = 0; i < frames; ++i) in[i] *= trim;
  }
}

ROUTEWISE_VECTOR_CLONES
void output_stage(float* __restrict pre, float* __restrict out, float pre_gain, float out_gain,
                  std::size_t frames) {
  for (std::size_t i = 0; i < frames; ++i) {
    pre[i] *= pre_gain;
    out[i] = pre[i] * out_gain;
  }
}

}  // namespace routewise::kernels
