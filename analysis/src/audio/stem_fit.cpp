// Pass one of the null test: where and how loud the stem sum sits in the mix. Also the file and
// signal helpers that both passes and bleed attribution share.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <thread>

#include "audio/fft_correlation.hpp"
#include "audio/stem_alignment.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/delay_line.hpp"

namespace routewise {
namespace {

// Σ h[k] · p[k] over `taps`, in eight partial sums so the compiler can vectorise (the sum's order
// is fixed, so every caller gets the same floats for the same input).
float lane_dot(const float* h, const float* p, long taps) {
  float acc = 0.0f, lanes[8] = {};
  long k = 0;
  for (; k + 8 <= taps; k += 8)
    for (long l = 0; l < 8; ++l) lanes[l] += h[k + l] * p[k + l];
  for (; k < taps; ++k) acc += h[k] * p[k];
  for (float lane : lanes) acc += lane;
  return acc;
}

}  // namespace

void detail::check_like(const AudioFileReader& reader, double rate, int channels,
                        const std::string& reference) {
  if (reader.info().sample_rate_hz != rate)
    throw std::invalid_argument(reader.path() + ": sample rate " +
                                std::to_string(reader.info().sample_rate_hz) + " Hz differs from " +
                                reference + " (" + std::to_string(rate) + " Hz)");
  if (reader.info().channels != channels)
    throw std::invalid_argument(reader.path() + ": " + std::to_string(reader.info().channels) +
                                " channel(s) where " + reference + " has " +
                                std::to_string(channels));
}

std::vector<float> detail::downmix(const Planar& x, std::size_t start, std::size_t count) {
  std::vector<float> mono(count, 0.0f);
  const float scale = 1.0f / static_cast<float>(x.size());
  for (const auto& channel : x)
    for (std::size_t i = 0; i < count && start + i < channel.size(); ++i)
      mono[i] += channel[start + i] * scale;
  return mono;
}

detail::ShiftKernel detail::shift_kernel(double delay) {
  ShiftKernel k;
  const double whole = std::floor(delay);
  k.whole = static_cast<long>(whole);
  if (delay - whole < 1e-9) return k;
  constexpr long centre = 32;
  const FractionalTaps f = fractional_delay_taps(static_cast<double>(centre) + (delay - whole));
  k.first = static_cast<long>(f.first_tap) + k.whole - centre;
  k.reversed.assign(f.taps.rbegin(), f.taps.rend());
  return k;
}

void detail::shift(const std::vector<float>& x, const ShiftKernel& kernel, long start,
                   std::size_t count, float* out) {
  const long size = static_cast<long>(x.size());
  auto sample = [&](long t) { return t >= 0 && t < size ? x[static_cast<std::size_t>(t)] : 0.0f; };
  if (kernel.reversed.empty()) {
    for (std::size_t i = 0; i < count; ++i)
      out[i] = sample(start + static_cast<long>(i) - kernel.whole);
    return;
  }
  const long taps = static_cast<long>(kernel.reversed.size());
  const float* h = kernel.reversed.data();  // oldest sample's tap first
  for (std::size_t i = 0; i < count; ++i) {
    const long newest = start + static_cast<long>(i) - kernel.first;
    float acc = 0.0f;
    if (newest - taps + 1 >= 0 && newest < size) {
      acc = lane_dot(h, x.data() + newest - (taps - 1), taps);  // oldest sample first
    } else {
      for (long k = 0; k < taps; ++k) acc += h[taps - 1 - k] * sample(newest - k);
    }
    out[i] = acc;
  }
}

void detail::shift(const std::vector<float>& x, double delay, long start, std::size_t count,
                   float* out) {
  shift(x, shift_kernel(delay), start, count, out);
}

// Flat to within 0.01 dB up to about a kilohertz below the cutoff and 74 dB down a kilohertz above
// it at 48 kHz with the default 255 taps; 63 taps (a 4 kHz transition) are enough for estimates.
std::vector<float> detail::lowpass(std::span<const float> x, double cutoff_hz, double rate,
                                   long half) {
  std::vector<float> h(static_cast<std::size_t>(2 * half + 1));
  const double fc = cutoff_hz / rate;  // of the sample rate
  double total = 0.0;
  for (long k = -half; k <= half; ++k) {
    const auto t = static_cast<double>(k);
    const double sinc =
        k == 0 ? 2.0 * fc : std::sin(2.0 * std::numbers::pi * fc * t) / (std::numbers::pi * t);
    const double w = 0.42 + 0.5 * std::cos(std::numbers::pi * t / (half + 1.0)) +
                     0.08 * std::cos(2.0 * std::numbers::pi * t / (half + 1.0));
    h[static_cast<std::size_t>(k + half)] = static_cast<float>(sinc * w);
    total += sinc * w;
  }
  for (float& v : h) v = static_cast<float>(v / total);
  std::vector<float> y(x.size(), 0.0f);
  const auto n = static_cast<long>(x.size());
  const auto taps = static_cast<long>(h.size());
  for (long i = 0; i < n; ++i) {
    // y[i] = Σ h[m] · x[i + half − m]; the kernel is symmetric, so the order of x is free.
    const long first = i - half;
    float acc = 0.0f;
    if (first >= 0 && first + taps <= n) {
      acc = lane_dot(h.data(), x.data() + first, taps);
    } else {
      for (long m = 0; m < taps; ++m)
        if (first + m >= 0 && first + m < n)
          acc += h[static_cast<std::size_t>(m)] * x[static_cast<std::size_t>(first + m)];
    }
    y[static_cast<std::size_t>(i)] = acc;
  }
  return y;
}

namespace {

using detail::Alignment;
using detail::Planar;

// What is left of the mix once the stem sum, delayed by `delay`, is taken out at its best gain:
// the search for the offset must not depend on a master gain the stems lack. Also gives the
// normalised correlation at that delay.
struct GainFit {
  double residual_energy, correlation;
};
GainFit gain_fit_at(const std::vector<float>& mix, const std::vector<float>& sum, double delay,
                    std::size_t start, std::size_t count) {
  std::vector<float> shifted(count);
  detail::shift(sum, delay, static_cast<long>(start), count, shifted.data());
  double mm = 0.0, ms = 0.0, ss = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double m = mix[start + i], x = shifted[i];
    mm += m * m;
    ms += m * x;
    ss += x * x;
  }
  return {ss > 0.0 ? std::max(0.0, mm - ms * ms / ss) : mm,
          mm > 0.0 && ss > 0.0 ? ms / std::sqrt(mm * ss) : 0.0};
}

// The start of the most energetic stretch of `length` frames, so silence at the top of a song
// does not starve the correlation.
std::size_t loudest_stretch(const std::vector<float>& x, std::size_t length) {
  if (x.size() <= length) return 0;
  std::size_t best = 0;
  double best_energy = -1.0;
  for (std::size_t start = 0; start + length <= x.size(); start += length / 2) {
    double energy = 0.0;
    for (std::size_t i = start; i < start + length; i += 4) energy += x[i] * x[i];
    if (energy > best_energy) {
      best_energy = energy;
      best = start;
    }
  }
  return best;
}

// Coarse offset from the cross-correlation peak, then the fractional offset that leaves the least
// residual (golden-section search), preferring the integer offset when it is as good.
Alignment align(const std::vector<float>& mix, const std::vector<float>& sum, std::size_t max_lag) {
  Alignment a;
  const std::vector<double> c = detail::cross_correlation(mix, sum, max_lag);
  const detail::Peak peak = detail::correlation_peak(c, max_lag);
  const std::size_t count = std::min<std::size_t>(mix.size(), 1 << 16);
  const std::size_t start = loudest_stretch(mix, count);
  auto energy = [&](double d) { return gain_fit_at(mix, sum, d, start, count).residual_energy; };
  const double fractional =
      detail::golden_section_min(energy, peak.lag_samples - 0.6, peak.lag_samples + 0.6, 1e-4, 30);
  const double integer = std::round(peak.lag_samples);
  a.offset_samples = energy(integer) <= energy(fractional) * 1.0001 ? integer : fractional;
  // Shown at the offset used, not at the whole-sample peak (0.95 for a perfect 0.4-sample null).
  a.correlation = gain_fit_at(mix, sum, a.offset_samples, start, count).correlation;
  return a;
}

// The gain every stem has in the mix, robust to a fault in some of them: the mix fitted as a
// least-squares mix of the stems (each at the common offset), then the median of their gains. A
// master fader scales them all alike; a leak or a missing part pulls only the stems it touches.
double common_gain(const std::vector<float>& mix, const std::vector<std::vector<float>>& parts,
                   double delay) {
  const std::size_t n = parts.size();
  if (n == 0) return std::nan("");
  const std::size_t count = std::min<std::size_t>(mix.size(), 1 << 16);
  const std::size_t start = loudest_stretch(mix, count);
  std::vector<std::vector<float>> shifted(n, std::vector<float>(count));
  for (std::size_t k = 0; k < n; ++k)
    detail::shift(parts[k], delay, static_cast<long>(start), count, shifted[k].data());
  // Normal equations A g = b, solved by Gaussian elimination with partial pivoting; a tiny ridge
  // keeps two identical stems solvable.
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  double trace = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t k = j; k < n; ++k) {
      double dot = 0.0;
      for (std::size_t i = 0; i < count; ++i)
        dot += static_cast<double>(shifted[j][i]) * shifted[k][i];
      a[j][k] = a[k][j] = dot;
    }
    double b = 0.0;
    for (std::size_t i = 0; i < count; ++i)
      b += static_cast<double>(shifted[j][i]) * mix[start + i];
    a[j][n] = b;
    trace += a[j][j];
  }
  if (!(trace > 0.0)) return std::nan("");
  std::vector<bool> silent(n);
  for (std::size_t j = 0; j < n; ++j) {
    silent[j] = a[j][j] < 1e-9 * trace;  // a stem with nothing in the stretch says nothing
    a[j][j] += 1e-12 * trace;
  }
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    if (a[col][col] == 0.0) return std::nan("");
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col) continue;
      const double f = a[r][col] / a[col][col];
      for (std::size_t c = col; c <= n; ++c) a[r][c] -= f * a[col][c];
    }
  }
  std::vector<double> gains;
  for (std::size_t j = 0; j < n; ++j)
    if (!silent[j]) gains.push_back(a[j][n] / a[j][j]);
  if (gains.empty()) return std::nan("");
  std::sort(gains.begin(), gains.end());
  const std::size_t mid = gains.size() / 2;
  return gains.size() % 2 ? gains[mid] : (gains[mid - 1] + gains[mid]) / 2.0;
}

// Where the loudest `length` frames of the mix start (stretches start every length / 2 frames,
// energy from every fourth sample of the first channel), and how many frames the mix has: one
// pass over the mix, nothing kept, in ranges read at once on every core.
struct Loudest {
  std::size_t start = 0, frames = 0;
};

// Adds the energy of frames [from, to) (to the end for the last range) into per-segment sums;
// returns the frame after the last one read.
std::size_t scan_range(AudioFileReader& mix, std::size_t from, std::size_t to, bool last,
                       std::size_t half, std::vector<double>& segments) {
  const auto c = static_cast<std::size_t>(mix.info().channels);
  if (from > 0) mix.seek(static_cast<std::int64_t>(from));
  std::vector<float> chunk(65536 * c);
  std::size_t at = from;
  while (last || at < to) {
    const std::size_t want = last ? 65536 : std::min<std::size_t>(65536, to - at);
    const std::size_t got = mix.read(chunk.data(), want);
    if (got == 0) break;
    // Segment by segment, every fourth frame from each segment's start.
    for (std::size_t t = at; t < at + got;) {
      const std::size_t segment = t / half, segment_end = (segment + 1) * half;
      if (segment >= segments.size()) segments.resize(segment + 1, 0.0);
      const std::size_t offset = t - segment * half;
      std::size_t i = t + (4 - offset % 4) % 4;
      const std::size_t end = std::min(segment_end, at + got);
      double energy = 0.0;
      for (; i < end; i += 4) {
        const float v = chunk[(i - at) * c];
        energy += v * v;
      }
      segments[segment] += energy;
      t = end;
    }
    at += got;
  }
  return at;
}

// For a long mix, the energy of each segment estimated from its first `probe` frames: a sixteenth
// of the decoding, and the mix is decoded in full once more in pass two anyway.
void probe_range(AudioFileReader& mix, std::size_t from, std::size_t to, std::size_t half,
                 std::size_t probe, std::vector<double>& segments) {
  const auto c = static_cast<std::size_t>(mix.info().channels);
  std::vector<float> chunk(probe * c);
  for (std::size_t start = from; start < to; start += half) {
    mix.seek(static_cast<std::int64_t>(start));
    const std::size_t got = mix.read(chunk.data(), probe);
    double energy = 0.0;
    for (std::size_t i = 0; i < got; i += 4) energy += chunk[i * c] * chunk[i * c];
    if (start / half >= segments.size()) segments.resize(start / half + 1, 0.0);
    segments[start / half] += energy * static_cast<double>(half) / static_cast<double>(probe);
  }
}

Loudest scan_loudest(const std::string& path, std::size_t length) {
  AudioFileReader first(path);
  const std::size_t half = std::max<std::size_t>(length / 2, 1);
  const auto declared = static_cast<std::size_t>(std::max<std::int64_t>(first.info().frames, 0));
  // Probed when the mix is many stretches long (at 2^18-frame stretches, past 87 s at 48 kHz).
  const std::size_t probe = declared >= 16 * length && half >= 65536 ? half / 16 : 0;
  const unsigned workers = declared >= (std::size_t{1} << 22)
                               ? std::max(1u, std::min(std::thread::hardware_concurrency(), 8u))
                               : 1u;
  std::vector<std::vector<double>> segments(workers);
  std::vector<std::size_t> ends(workers, 0);
  auto scan = [&](unsigned w) {
    // Range bounds on segment boundaries, so each segment is summed by one worker.
    const std::size_t from = declared / workers * w / half * half;
    const std::size_t to = declared / workers * (w + 1) / half * half;
    const bool last = w + 1 == workers;
    std::optional<AudioFileReader> own;
    AudioFileReader& reader = w == 0 ? first : own.emplace(path);
    if (probe > 0) {
      probe_range(reader, from, last ? declared / half * half : to, half, probe, segments[w]);
      ends[w] = declared;
    } else {
      ends[w] = scan_range(reader, from, to, last, half, segments[w]);
    }
  };
  try {
    detail::parallel_for(workers, scan);
  } catch (const AudioFileError&) {
    // A header that claims more frames than the file holds: read it once from the start.
    AudioFileReader again(path);
    segments.assign(1, {});
    ends.assign(1, scan_range(again, 0, 0, true, half, segments[0]));
  }
  std::vector<double> total;
  for (const auto& part : segments) {
    if (total.size() < part.size()) total.resize(part.size(), 0.0);
    for (std::size_t k = 0; k < part.size(); ++k) total[k] += part[k];
  }
  Loudest out{0, ends.back()};
  const std::size_t at = out.frames;
  if (at <= length) return out;
  double best = -1.0;
  const std::size_t per = length / half;  // segments in a stretch: 2 (1 for a one-frame one)
  for (std::size_t k = 0; (k + per) * half <= at; ++k) {
    double energy = 0.0;
    for (std::size_t j = 0; j < per && k + j < total.size(); ++j) energy += total[k + j];
    if (energy > best) {
      best = energy;
      out.start = k * half;
    }
  }
  return out;
}

// Frames [start, start + count) of a file, one vector per channel, silence past its end; the
// file's own channel average into `mono` too, when given.
Planar read_stretch(AudioFileReader& reader, std::size_t start, std::size_t count,
                    std::vector<float>* mono = nullptr) {
  const auto c = static_cast<std::size_t>(reader.info().channels);
  Planar out(c, std::vector<float>(count, 0.0f));
  if (mono) mono->assign(count, 0.0f);
  try {
    reader.seek(static_cast<std::int64_t>(start));
  } catch (const AudioFileError&) {
    return out;  // past the end: nothing there to fit (pass two reads what there is)
  }
  std::vector<float> chunk(65536 * c);
  std::size_t at = 0;
  while (at < count) {
    const std::size_t got = reader.read(chunk.data(), std::min<std::size_t>(65536, count - at));
    if (got == 0) break;
    for (std::size_t i = 0; i < got; ++i) {
      float v = 0.0f;
      for (std::size_t ch = 0; ch < c; ++ch) {
        const float s = chunk[i * c + ch];
        out[ch][at + i] = s;
        v += s;
      }
      if (mono) (*mono)[at + i] = v / static_cast<float>(c);
    }
    at += got;
  }
  return out;
}

}  // namespace

detail::StemFit detail::fit_stems(const std::string& mix_path,
                                  const std::vector<std::string>& stem_paths,
                                  double search_window_ms, std::size_t analysis_frames) {
  if (stem_paths.empty()) throw std::invalid_argument("null test: no stem files given");
  AudioFileReader mix(mix_path);
  StemFit fit;
  fit.rate = mix.info().sample_rate_hz;
  fit.channels = mix.info().channels;
  std::vector<AudioFileReader> stems;
  stems.reserve(stem_paths.size());
  for (const std::string& path : stem_paths) {
    stems.emplace_back(path);
    check_like(stems.back(), fit.rate, fit.channels, mix_path);
  }
  const auto max_lag = static_cast<std::size_t>(search_window_ms * fit.rate / 1000.0);
  const Loudest loudest = scan_loudest(mix_path, analysis_frames);
  const std::size_t length = std::min(analysis_frames, loudest.frames);
  const std::size_t start = loudest.start;
  const Planar mix_stretch = read_stretch(mix, start, length);
  const std::vector<float> mix_part = downmix(mix_stretch, 0, length);
  // The stem stretch extends by the window on both sides so that every lag sees real samples.
  const std::size_t sum_start = start > max_lag ? start - max_lag : 0;
  const std::size_t stretch = length + 2 * max_lag;
  // Each stem's stretch and channel average, read at once on every core; summed in their order.
  const unsigned workers = std::max(1u, std::min(std::thread::hardware_concurrency(), 16u));
  std::vector<Planar> stretches(stems.size());
  std::vector<std::vector<float>> parts(stems.size());
  const auto audible = [&](const std::vector<float>& x) {
    return fit.rate > 2.0 * audible_top_hz ? lowpass(x, audible_top_hz, fit.rate, 31) : x;
  };
  // Offset and gain are fitted in the audible band: above it, two fractional-delay interpolators
  // (the DAW's, ours) differ, and white-ish material there would pull both (0.075 dB, 0.0025
  // sample on white noise).
  parallel_for(workers, [&](unsigned w) {
    for (std::size_t k = w; k < stems.size(); k += workers) {
      stretches[k] = read_stretch(stems[k], sum_start, stretch, &parts[k]);
      parts[k] = audible(parts[k]);
    }
  });
  Planar sum(static_cast<std::size_t>(fit.channels), std::vector<float>(stretch, 0.0f));
  for (const Planar& one : stretches)
    for (std::size_t ch = 0; ch < sum.size(); ++ch)
      for (std::size_t i = 0; i < stretch; ++i) sum[ch][i] += one[ch][i];
  stretches.clear();
  const std::vector<float> sum_part = downmix(sum, 0, stretch);
  const std::vector<float> mix_low = audible(mix_part);
  fit.alignment = align(mix_low, audible(sum_part), max_lag + (start - sum_start));
  const double common = common_gain(mix_low, parts, fit.alignment.offset_samples);
  // Lags were found between the two stretches; the stem stretch starts earlier by this much.
  fit.alignment.offset_samples += static_cast<double>(start - sum_start);
  // A master fader or master-bus gain the stems do not carry is one gain over the whole stem sum,
  // reported as itself, not as a residual (see common_gain; where that cannot be fitted, the
  // whole sum's gain over the stretch). Within 0.05 dB of unity (what faults in some stems move
  // the estimate by) it is left at 1, so a true null stays bit-exact.
  double gain = common;
  if (!std::isfinite(gain)) {
    double cross = 0.0, energy = 0.0;
    std::vector<float> shifted(length);
    for (std::size_t c = 0; c < sum.size(); ++c) {
      shift(sum[c], fit.alignment.offset_samples, static_cast<long>(start - sum_start), length,
            shifted.data());
      for (std::size_t i = 0; i < length; ++i) {
        cross += static_cast<double>(mix_stretch[c][i]) * shifted[i];
        energy += static_cast<double>(shifted[i]) * shifted[i];
      }
    }
    gain = energy > 0.0 ? cross / energy : 1.0;
  }
  if (std::isfinite(gain) && gain != 0.0 && std::fabs(20.0 * std::log10(std::fabs(gain))) >= 0.05)
    fit.gain = gain;
  else if (std::isfinite(gain) && gain < 0.0)
    fit.gain = -1.0;
  return fit;
}

}  // namespace routewise
