#include "routewise/audio/delay_line.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>

namespace routewise {

FractionalTaps fractional_delay_taps(double delay_samples, std::size_t max_taps) {
  if (!(delay_samples >= 0.0 && delay_samples <= DelayLine::max_delay_samples))
    throw std::invalid_argument("delay must be a number of samples in 0..2^24");
  const auto whole = static_cast<std::size_t>(std::floor(delay_samples));
  // Centre the kernel on the delay; near zero delay the kernel shrinks because it cannot look
  // into the future (a causal filter).
  const std::size_t half = std::min(max_taps / 2, whole + 1);
  const std::size_t count = 2 * half;
  FractionalTaps result;
  result.first_tap = whole + 1 - half;
  result.taps.resize(count);
  double sum = 0.0;
  for (std::size_t k = 0; k < count; ++k) {
    const double x = static_cast<double>(result.first_tap + k) - delay_samples;
    const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
    // Kaiser window (β = 8.6, about 80 dB side lobes) over the kernel span, centred on the
    // fractional delay.
    const double r = x / static_cast<double>(half);
    const double window =
        std::fabs(r) >= 1.0
            ? 0.0
            : std::cyl_bessel_i(0.0, 8.6 * std::sqrt(1.0 - r * r)) / std::cyl_bessel_i(0.0, 8.6);
    result.taps[k] = static_cast<float>(sinc * window);
    sum += sinc * window;
  }
  for (float& t : result.taps) t = static_cast<float>(t / sum);  // unity gain at DC
  return result;
}

DelayLine::DelayLine(double delay_samples, std::size_t max_block_frames)
    : delay_samples_(delay_samples) {
  if (!(delay_samples >= 0.0 && delay_samples <= max_delay_samples))
    throw std::invalid_argument("delay of " + std::to_string(delay_samples) +
                                " samples is outside 0.." + std::to_string(max_delay_samples));
  if (max_block_frames == 0 || max_block_frames > 1 << 20)
    throw std::invalid_argument("delay line block size must be 1..1048576 frames");
  const double whole = std::floor(delay_samples);
  std::size_t reach = 0;
  if (delay_samples - whole > 1e-9) {
    FractionalTaps f = fractional_delay_taps(delay_samples);
    base_ = f.first_tap;
    taps_ = std::move(f.taps);
    reach = base_ + taps_.size();
  } else {
    base_ = static_cast<std::size_t>(whole);
    reach = base_ + 1;
  }
  // Room for several blocks: the mirror is refreshed only when a block is written at the ring's
  // start, once per trip around it.
  const std::size_t room = std::min<std::size_t>(8 * max_block_frames, 1 << 16);
  std::size_t size = 1;
  while (size < reach + max_block_frames || size < room) size <<= 1;
  // The first max_block_frames samples are mirrored past the end, so any block-sized window of
  // the ring can be read as one contiguous piece.
  size_ = size;
  max_block_ = max_block_frames;
  ring_.assign(size + max_block_frames + cache_line_floats, 0.0f);
  mask_ = size - 1;
}

namespace {

// Copies `frames` samples from a ring starting at `at` to a linear buffer, in at most two
// contiguous pieces (the ring may wrap once).
void from_ring(const float* ring, std::size_t size, std::size_t at, float* out,
               std::size_t frames) {
  const std::size_t first = std::min(frames, size - at);
  std::memcpy(out, ring + at, first * sizeof(float));
  std::memcpy(out + first, ring, (frames - first) * sizeof(float));
}

}  // namespace

void DelayLine::write(const float* in, std::size_t frames) {
  std::memcpy(write_window(), in, frames * sizeof(float));
  commit(frames);
}

void DelayLine::commit(std::size_t frames) {
  // The window may run past the ring's end into the mirror: that part belongs at the start.
  // Then the mirror (the ring's first max_block_ samples, repeated past its end so that any
  // window reads as one piece) gets what this block put there, and nothing more.
  float* ring = this->ring();
  if (write_ + frames > size_) {
    const std::size_t wrapped = write_ + frames - size_;
    std::memcpy(ring, ring + size_, wrapped * sizeof(float));
  }
  if (write_ < max_block_) {
    const std::size_t end = std::min({write_ + frames, size_, max_block_});
    std::memcpy(ring + size_ + write_, ring + write_, (end - write_) * sizeof(float));
  }
  block_start_ = write_;
  write_ = (write_ + frames) & mask_;
}

const float* DelayLine::delayed(std::size_t frames) const {
  (void)frames;  // ≤ max_block_frames by contract; the mirror makes the window contiguous
  return ring() + ((block_start_ - base_) & mask_);
}

void DelayLine::read(float* out, std::size_t frames) const {
  if (taps_.empty()) {
    from_ring(ring(), size_, (block_start_ - base_) & mask_, out, frames);
    return;
  }
  const float* ring = this->ring();
  const std::size_t count = taps_.size();
  for (std::size_t i = 0; i < frames; ++i) {
    const std::size_t newest = block_start_ + i - base_;
    float acc = 0.0f;
    for (std::size_t k = 0; k < count; ++k) acc += taps_[k] * ring[(newest - k) & mask_];
    out[i] = acc;
  }
}

void DelayLine::process(const float* in, float* out, std::size_t frames) {
  // The whole block is written first, so `in == out` works and reads see this block's samples.
  write(in, frames);
  read(out, frames);
}

}  // namespace routewise
