#pragma once
// A per-channel delay of any non-negative length, integer or fractional, processed block-wise.
// Integer delays are exact copies; a fractional part is realised by a windowed-sinc FIR so that
// measured latencies such as 72.4 samples are reproduced to well below a sample.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace routewise {

class DelayLine {
 public:
  // About 5.8 minutes at 48 kHz: far beyond any real latency, small enough to allocate.
  static constexpr double max_delay_samples = 16777216.0;

  // Storage is allocated here, never in process(); `max_block_frames` bounds each process() call.
  DelayLine(double delay_samples, std::size_t max_block_frames);

  double delay_samples() const { return delay_samples_; }
  // out[i] = in delayed by delay_samples(). `in` and `out` may be the same buffer.
  void process(const float* in, float* out, std::size_t frames);

  // The same in two steps, so several readers can share one line: write a block, then read the
  // delayed block, or (integer delays only) look at it in place, contiguous.
  void write(const float* in, std::size_t frames);
  void read(float* out, std::size_t frames) const;
  bool is_integer() const { return taps_.empty(); }
  const float* delayed(std::size_t frames) const;

  // write() without the copy: a block is produced straight into the line at write_window()
  // (max_block_frames contiguous floats), then commit(frames) makes it the block written last.
  float* write_window() { return ring() + write_; }
  void commit(std::size_t frames);

 private:
  static constexpr std::size_t cache_line_floats = 64 / sizeof(float);
  // The ring starts on a cache line (it is allocated one line longer): a block read or written
  // as vectors then never splits a load across two lines, which costs twice as much.
  float* ring() { return ring_.data() + line_offset(); }
  const float* ring() const { return ring_.data() + line_offset(); }
  std::size_t line_offset() const {
    const auto address = reinterpret_cast<std::uintptr_t>(ring_.data());
    return (64 - address % 64) % 64 / sizeof(float);
  }

  double delay_samples_;
  std::size_t base_ = 0;     // integer part of the delay before the first FIR tap
  std::vector<float> taps_;  // empty for an integer delay
  std::vector<float> ring_;  // size_ (a power of two) plus a mirror of the first max_block_
  std::size_t size_ = 0;
  std::size_t max_block_ = 0;
  std::size_t mask_ = 0;
  std::size_t write_ = 0;
  std::size_t block_start_ = 0;  // ring position of the block written last
};

// The windowed-sinc taps used for a fractional delay of `delay_samples` (≥ 0): tap k weighs the
// input delayed by first_tap + k samples. Shared with test signal generators and measurement.
struct FractionalTaps {
  std::size_t first_tap = 0;
  std::vector<float> taps;
};
FractionalTaps fractional_delay_taps(double delay_samples, std::size_t max_taps = 64);

}  // namespace routewise
