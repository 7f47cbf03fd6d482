#include "routewise/analysis/null_test.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <stdexcept>

#include "audio/fft_correlation.hpp"
#include "audio/stem_alignment.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/delay_line.hpp"
#include "routewise/model/units.hpp"

namespace routewise {

using detail::Alignment;
using detail::Planar;

namespace {

std::size_t frames_of(const detail::Planar& x) {
  return x.empty() ? 0 : x.front().size();
}

}  // namespace

void detail::add_file(const std::string& path, double rate, int channels,
                      const std::string& reference, Planar& sum, std::vector<std::string>& damaged,
                      Stretch stretch) {
  if (stretch.mono) stretch.mono->assign(stretch.count, 0.0f);
  AudioFileReader reader(path);
  if (reader.info().sample_rate_hz != rate)
    throw std::invalid_argument(path + ": sample rate " +
                                std::to_string(reader.info().sample_rate_hz) + " Hz differs from " +
                                reference + " (" + std::to_string(rate) + " Hz)");
  if (reader.info().channels != channels)
    throw std::invalid_argument(path + ": " + std::to_string(reader.info().channels) +
                                " channel(s) where " + reference + " has " +
                                std::to_string(channels));
  const auto c = static_cast<std::size_t>(channels);
  sum.resize(c);
  const std::size_t before = sum[0].size();
  // Size from the header once, so the buffers are not regrown and copied chunk by chunk; a lying
  // header is bounded by the file's size (a frame takes at least a byte per channel).
  std::error_code ec;
  const auto file_bytes = std::filesystem::file_size(path, ec);
  const std::size_t declared =
      ec ? 0
         : std::min<std::size_t>(
               static_cast<std::size_t>(std::max<std::int64_t>(reader.info().frames, 0)),
               static_cast<std::size_t>(file_bytes) / c);
  for (auto& channel : sum)
    if (channel.size() < declared) channel.resize(declared, 0.0f);
  std::vector<float> chunk(65536 * c);
  std::size_t at = 0;
  while (const std::size_t got = reader.read(chunk.data(), 65536)) {
    if (sum[0].size() < at + got)
      for (auto& channel : sum) channel.resize(at + got, 0.0f);
    for (std::size_t ch = 0; ch < c; ++ch) {
      float* out = sum[ch].data() + at;
      for (std::size_t i = 0; i < got; ++i) out[i] += chunk[i * c + ch];
    }
    // Only the part of this chunk inside the stretch is looked at.
    const std::size_t from = std::max(at, stretch.start);
    const std::size_t to = std::min(at + got, stretch.start + stretch.count);
    if (stretch.mono)
      for (std::size_t t = from; t < to; ++t) {
        float v = 0.0f;
        for (std::size_t ch = 0; ch < c; ++ch) v += chunk[(t - at) * c + ch];
        (*stretch.mono)[t - stretch.start] = v / static_cast<float>(c);
      }
    at += got;
  }
  if (reader.non_finite()) damaged.push_back(describe(path, reader.non_finite(), rate));
  // A header may claim more frames than the file holds: keep only what was really read.
  const std::size_t actual = std::max(before, at);
  if (sum[0].size() > actual)
    for (auto& channel : sum) channel.resize(actual);
}

std::vector<float> detail::downmix(const Planar& x, std::size_t start, std::size_t count) {
  std::vector<float> mono(count, 0.0f);
  const float scale = 1.0f / static_cast<float>(x.size());
  for (const auto& channel : x)
    for (std::size_t i = 0; i < count && start + i < channel.size(); ++i)
      mono[i] += channel[start + i] * scale;
  return mono;
}

// out[i] = x(start + i − delay): an integer shift, or a windowed-sinc interpolation when the
// delay has a fractional part. Samples outside x are silence.
void detail::shift(const std::vector<float>& x, double delay, std::size_t start, std::size_t count,
                   float* out) {
  const double whole = std::floor(delay);
  const auto n = static_cast<long>(whole);
  const long size = static_cast<long>(x.size());
  auto sample = [&](long t) { return t >= 0 && t < size ? x[static_cast<std::size_t>(t)] : 0.0f; };
  if (delay - whole < 1e-9) {
    for (std::size_t i = 0; i < count; ++i) out[i] = sample(static_cast<long>(start + i) - n);
    return;
  }
  constexpr long centre = 32;
  const FractionalTaps f = fractional_delay_taps(static_cast<double>(centre) + (delay - whole));
  const long first = static_cast<long>(f.first_tap) + n - centre;
  const long taps = static_cast<long>(f.taps.size());
  const std::vector<float> reversed(f.taps.rbegin(), f.taps.rend());
  for (std::size_t i = 0; i < count; ++i) {
    const long newest = static_cast<long>(start + i) - first;
    float acc = 0.0f;
    if (newest - taps + 1 >= 0 && newest < size) {
      // Eight partial sums over the taps in their order, so the compiler can vectorise.
      const float* p = x.data() + newest - (taps - 1);  // oldest sample first
      const float* h = reversed.data();
      float lanes[8] = {};
      long k = 0;
      for (; k + 8 <= taps; k += 8)
        for (long l = 0; l < 8; ++l) lanes[l] += h[k + l] * p[k + l];
      for (; k < taps; ++k) acc += h[k] * p[k];
      for (float lane : lanes) acc += lane;
    } else {
      for (long k = 0; k < taps; ++k)
        acc += f.taps[static_cast<std::size_t>(k)] * sample(newest - k);
    }
    out[i] = acc;
  }
}

namespace {

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

// What is left of the mix once the stem sum, delayed by `delay`, is taken out at its best gain:
// the search for the offset must not depend on a master gain the stems lack. Also gives the
// normalised correlation at that delay.
struct GainFit {
  double residual_energy, correlation;
};
GainFit gain_fit_at(const std::vector<float>& mix, const std::vector<float>& sum, double delay,
                    std::size_t start, std::size_t count) {
  std::vector<float> shifted(count);
  detail::shift(sum, delay, start, count, shifted.data());
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

constexpr double octave_centres_hz[] = {31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000};

constexpr std::size_t spectrum_frame = 8192;

// The residual's power spectrum, averaged over its channels (Welch, Hann frames).
std::vector<double> mean_power(const detail::Planar& residual) {
  std::vector<double> power(spectrum_frame / 2 + 1, 0.0);
  for (const auto& channel : residual) {
    const std::vector<double> p = detail::power_spectrum(channel, spectrum_frame);
    for (std::size_t k = 0; k < p.size(); ++k)
      power[k] += p[k] / static_cast<double>(residual.size());
  }
  return power;
}

// Of that power: the part at or above `hz`, and all of it.
std::pair<double, double> power_above(const std::vector<double>& power, double hz, double rate) {
  double above = 0.0, total = 0.0;
  for (std::size_t k = 0; k < power.size(); ++k) {
    total += power[k];
    if (static_cast<double>(k) * rate / static_cast<double>(spectrum_frame) >= hz)
      above += power[k];
  }
  return {above, total};
}

std::vector<BandLevel> octave_bands(const std::vector<double>& power, double rate) {
  constexpr std::size_t frame = spectrum_frame;
  std::vector<BandLevel> bands;
  for (double centre : octave_centres_hz) {
    if (centre * std::sqrt(2.0) > rate / 2.0) break;
    double sum = 0.0;
    for (std::size_t k = 0; k < power.size(); ++k) {
      const double f = static_cast<double>(k) * rate / static_cast<double>(frame);
      if (f >= centre / std::sqrt(2.0) && f < centre * std::sqrt(2.0)) sum += power[k];
    }
    bands.push_back({centre, sum > 0.0 ? 10.0 * std::log10(sum) : minus_inf_db});
  }
  return bands;
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
    detail::shift(parts[k], delay, start, count, shifted[k].data());
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

constexpr double audible_top_hz = 20000.0;

// x through a linear-phase lowpass at `cutoff_hz`: a Blackman-windowed sinc of 255 taps (flat to
// within 0.01 dB up to about a kilohertz below the cutoff, 74 dB down a kilohertz above it at
// 48 kHz), centred so that nothing is delayed.
// `half` sets the length: 127 for the verdict; 31 (a 4 kHz transition) is enough for estimates.
std::vector<float> below(const std::vector<float>& x, double cutoff_hz, double rate,
                         long half = 127) {
  std::vector<float> h(2 * half + 1);
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
      const float* p = x.data() + first;
      float lanes[8] = {};
      long m = 0;
      for (; m + 8 <= taps; m += 8)
        for (long l = 0; l < 8; ++l) lanes[l] += h[static_cast<std::size_t>(m + l)] * p[m + l];
      for (; m < taps; ++m) acc += h[static_cast<std::size_t>(m)] * p[m];
      for (float lane : lanes) acc += lane;
    } else {
      for (long m = 0; m < taps; ++m)
        if (first + m >= 0 && first + m < n)
          acc += h[static_cast<std::size_t>(m)] * x[static_cast<std::size_t>(first + m)];
    }
    y[static_cast<std::size_t>(i)] = acc;
  }
  return y;
}

double rms_db(const std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) sum += static_cast<double>(v) * v;
  return x.empty() || sum == 0.0 ? minus_inf_db
                                 : 10.0 * std::log10(sum / static_cast<double>(x.size()));
}

}  // namespace

namespace detail {

Aligned aligned_residual(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         double search_window_ms, std::size_t analysis_frames) {
  if (stem_paths.empty()) throw std::invalid_argument("null test: no stem files given");
  Aligned out;
  Planar mix;
  {
    AudioFileReader reader(mix_path);
    out.rate = reader.info().sample_rate_hz;
    add_file(mix_path, out.rate, reader.info().channels, mix_path, mix, out.damaged);
  }
  const int channels = static_cast<int>(mix.size());
  out.mix_frames = frames_of(mix);
  const auto max_lag = static_cast<std::size_t>(search_window_ms * out.rate / 1000.0);
  const std::size_t length = std::min(analysis_frames, out.mix_frames);
  // The loudest stretch of the first channel is a good enough place to correlate.
  const std::size_t start = loudest_stretch(mix.front(), length);
  const std::vector<float> mix_part = downmix(mix, start, length);
  // The stem stretch extends by the window on both sides so that every lag sees real samples.
  const std::size_t sum_start = start > max_lag ? start - max_lag : 0;
  const std::size_t stretch = length + 2 * max_lag;
  Planar sum(mix.size());
  std::vector<std::vector<float>> parts(stem_paths.size());  // each stem over the stretch
  for (std::size_t k = 0; k < stem_paths.size(); ++k)
    add_file(stem_paths[k], out.rate, channels, mix_path, sum, out.damaged,
             {sum_start, stretch, &parts[k]});
  out.mix_rms_dbfs = minus_inf_db;
  for (const auto& channel : mix) out.mix_rms_dbfs = std::max(out.mix_rms_dbfs, rms_db(channel));
  out.sum_frames = frames_of(sum);
  std::vector<float> sum_part = downmix(sum, sum_start, stretch);
  // Offset and gain are fitted in the audible band: above it, two fractional-delay interpolators
  // (the DAW's, ours) differ, and white-ish material there would pull both (0.075 dB, 0.0025
  // sample on white noise).
  const auto audible = [&](const std::vector<float>& x) {
    return out.rate > 2.0 * audible_top_hz ? below(x, audible_top_hz, out.rate, 31) : x;
  };
  for (auto& part : parts) part = audible(part);
  const std::vector<float> mix_low = audible(mix_part);
  out.alignment = align(mix_low, audible(sum_part), max_lag + (start - sum_start));
  const double common = common_gain(mix_low, parts, out.alignment.offset_samples);
  // Lags were found between the two stretches; the stem stretch starts earlier by this much.
  out.alignment.offset_samples += static_cast<double>(start - sum_start);
  const std::size_t frames = std::max(out.mix_frames, out.sum_frames);
  out.residual.assign(mix.size(), std::vector<float>(frames));
  double cross = 0.0, energy = 0.0;
  for (std::size_t c = 0; c < mix.size(); ++c) {
    float* r = out.residual[c].data();
    shift(sum[c], out.alignment.offset_samples, 0, frames, r);
    if (std::isfinite(common)) continue;  // the whole sum's gain is needed only without it
    for (std::size_t i = 0; i < frames && i < mix[c].size(); ++i) {
      cross += static_cast<double>(mix[c][i]) * r[i];
      energy += static_cast<double>(r[i]) * r[i];
    }
  }
  // A master fader or master-bus gain the stems do not carry is one gain over the whole stem sum,
  // reported as itself, not as a residual (see common_gain; the whole sum's gain only where that
  // cannot be fitted). Within 0.05 dB of unity (what faults in some stems move the estimate by)
  // it is left at 1, so a true null stays bit-exact.
  const double gain = std::isfinite(common) ? common : energy > 0.0 ? cross / energy : 1.0;
  if (std::isfinite(gain) && gain != 0.0 && std::fabs(20.0 * std::log10(std::fabs(gain))) >= 0.05)
    out.gain = gain;
  else if (std::isfinite(gain) && gain < 0.0)
    out.gain = -1.0;
  for (std::size_t c = 0; c < mix.size(); ++c) {
    float* r = out.residual[c].data();
    const auto g = static_cast<float>(out.gain);
    for (std::size_t i = 0; i < frames; ++i)
      r[i] = (i < mix[c].size() ? mix[c][i] : 0.0f) - g * r[i];
  }
  return out;
}

}  // namespace detail

NullTestResult null_test(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         const NullTestOptions& options) {
  if (!(options.search_window_ms >= 0.0 && options.search_window_ms <= 10000.0))
    throw std::invalid_argument("null test: search window must be 0..10000 ms");
  detail::Aligned aligned =
      detail::aligned_residual(mix_path, stem_paths, options.search_window_ms,
                               std::max<std::size_t>(options.analysis_frames, 1024));
  NullTestResult result;
  result.sample_rate_hz = aligned.rate;
  result.channels = static_cast<int>(aligned.residual.size());
  result.frames = frames_of(aligned.residual);
  result.offset_samples = aligned.alignment.offset_samples;
  result.gain_db = amplitude_to_db(std::fabs(aligned.gain));
  result.polarity_inverted = aligned.gain < 0.0;
  if (result.gain_db != 0.0 || result.polarity_inverted) {
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.2f", std::fabs(result.gain_db));
    std::string what;
    if (result.gain_db != 0.0)
      what = std::string("the mix is ") + figure + " dB " +
             (result.gain_db < 0.0 ? "below" : "above") + " the stem sum";
    if (result.polarity_inverted)
      what += what.empty() ? "the mix is the stem sum inverted" : ", and inverted";
    result.notes.push_back(what +
                           ": the master fader, master-bus processing or a polarity switch is not "
                           "in the stems (the residual is taken after that gain)");
  }
  result.correlation = aligned.alignment.correlation;
  result.mix_rms_dbfs = aligned.mix_rms_dbfs;
  float peak = 0.0f;
  result.residual_rms_dbfs = minus_inf_db;
  for (const auto& channel : aligned.residual) {
    for (float v : channel) peak = std::max(peak, std::fabs(v));
    result.residual_rms_dbfs = std::max(result.residual_rms_dbfs, rms_db(channel));
  }
  result.residual_peak_dbfs = amplitude_to_db(peak);
  const std::vector<double> power = mean_power(aligned.residual);
  result.bands = octave_bands(power, aligned.rate);
  // A residual over the threshold may be all above hearing: two fractional-delay interpolators
  // differ near Nyquist. What lies above 20 kHz is reported apart (from the spectrum); when it is
  // most of the residual, the verdict is taken on the band below, filtered out for its peak.
  // A residual that nulls, or is mostly audible, costs nothing more.
  if (result.residual_peak_dbfs >= options.threshold_dbfs && aligned.rate > 2.0 * audible_top_hz) {
    const auto [above, total] = power_above(power, audible_top_hz, aligned.rate);
    result.above_20k_rms_dbfs = above > 0.0 ? 10.0 * std::log10(above) : minus_inf_db;
    if (total > 0.0 && above > 0.5 * total) {
      float audible_peak = 0.0f;
      double audible_rms = minus_inf_db;
      for (const auto& channel : aligned.residual) {
        const std::vector<float> low = below(channel, audible_top_hz, aligned.rate);
        // The first and last kernel lengths have silence on one side: there two interpolators
        // differ at every frequency, and that is the files' edge, not the mix.
        const std::size_t edge = std::min<std::size_t>(128, channel.size() / 4);
        for (std::size_t i = edge; i + edge < channel.size(); ++i)
          audible_peak = std::max(audible_peak, std::fabs(low[i]));
        audible_rms = std::max(audible_rms, rms_db(low));
      }
      result.residual_peak_dbfs = amplitude_to_db(audible_peak);
      result.residual_rms_dbfs = audible_rms;
    }
  }
  // Damaged files do not null, whatever is left once their bad samples are read as silence.
  result.damaged = aligned.damaged;
  result.nulls = result.residual_peak_dbfs < options.threshold_dbfs && result.damaged.empty();
  if (aligned.mix_frames != aligned.sum_frames)
    result.notes.push_back("the mix has " + std::to_string(aligned.mix_frames) +
                           " frames and the stem sum " + std::to_string(aligned.sum_frames) +
                           "; the shorter one is compared against silence");
  return result;
}

}  // namespace routewise
