#pragma once
// The engine's inner loops: contiguous float buffers, no aliasing, built for the widest vector
// unit the CPU has (AVX-512, AVX2 or baseline SSE2, chosen once at load time).

#include <cstddef>

namespace routewise::kernels {

// dst[i] += gain · src[i]
void accumulate(float* dst, const float* src, float gain, std::size_t frames);
// left[i] += gain_left · src[i]; right[i] += gain_right · src[i]
void accumulate2(float* left, float* right, const float* src, float gain_left, float gain_right,
                 std::size_t frames);
// One channel of a node with no plugin latency: x = in + source (source may be null);
// out = x·out_gain, and when kept, pre = x·pre_gain and in = x·trim (the pre-FX tap).
void node_stage(float* in, const float* source, float* pre, float* out, float trim, float pre_gain,
                float out_gain, bool keep_in, bool keep_pre, std::size_t frames);
// in = (in + source)·trim (source may be null)
void input_stage(float* in, const float* source, float trim, std::size_t frames);
// pre *= pre_gain; out = pre·out_gain
void output_stage(float* pre, float* out, float pre_gain, float out_gain, std::size_t frames);

}  // namespace routewise::kernels
