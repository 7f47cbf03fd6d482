#include "routewise/analysis/null_test.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "audio/fft_correlation.hpp"
#include "audio/stem_alignment.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/model/route_graph.hpp"
#include "routewise/model/units.hpp"

namespace routewise {

using detail::audible_top_hz;

namespace {

constexpr double octave_centres_hz[] = {31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000};

constexpr std::size_t spectrum_frame = 8192;

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

// Peak, energy and spectrum of each residual channel, fed block by block.
struct ChannelStats {
  float peak = 0.0f;
  double energy = 0.0;
  std::size_t frames = 0;
  detail::WelchSpectrum spectrum{spectrum_frame};
  void add(std::span<const float> x) {
    for (float v : x) {
      peak = std::max(peak, std::fabs(v));
      energy += static_cast<double>(v) * v;
    }
    frames += x.size();
    spectrum.add(x);
  }
};

double rms_db(double energy, std::size_t frames) {
  return frames == 0 || energy == 0.0 ? minus_inf_db
                                      : 10.0 * std::log10(energy / static_cast<double>(frames));
}

// The residual's band below 20 kHz, block by block: the lowpass needs `half` frames either side,
// so each block is filtered with the frames around it, and the output lags by `half`. Its peak
// leaves out the first and last kernel lengths, which have silence on one side: there two
// interpolators differ at every frequency, and that is the files' edge, not the mix.
struct AudibleBand {
  static constexpr long half = 127;
  static constexpr std::size_t edge = 128;
  double rate;
  std::vector<float> pending;        // residual frames not yet filtered, with `half` before them
  std::size_t filtered = 0;          // frames output so far
  std::vector<float> head;           // the first `edge` outputs
  std::array<float, edge> recent{};  // the latest `edge` outputs, output i at i % edge
  float peak = 0.0f;                 // of outputs neither among the first nor the latest `edge`
  double energy = 0.0;
  explicit AudibleBand(double r) : rate(r), pending(static_cast<std::size_t>(half), 0.0f) {}
  void output(std::span<const float> y) {
    for (float v : y) {
      energy += static_cast<double>(v) * v;
      if (filtered < edge) head.push_back(v);
      // Output filtered − edge leaves the latest; past the first `edge`, it counts.
      float& slot = recent[filtered % edge];
      if (filtered >= 2 * edge) peak = std::max(peak, std::fabs(slot));
      slot = v;
      ++filtered;
    }
  }
  // Filters what has `half` frames after it.
  void add(std::span<const float> x) {
    pending.insert(pending.end(), x.begin(), x.end());
    filter();
  }
  // And the rest, with silence after the end.
  void finish() {
    pending.resize(pending.size() + static_cast<std::size_t>(half), 0.0f);
    filter();
  }
  void filter() {
    const auto h = static_cast<std::size_t>(half);
    if (pending.size() <= 2 * h) return;
    const std::vector<float> y = detail::lowpass(pending, audible_top_hz, rate, half);
    output(std::span<const float>(y).subspan(h, pending.size() - 2 * h));
    pending.erase(pending.begin(), pending.end() - static_cast<std::ptrdiff_t>(2 * h));
  }
  // The peak over all but the first and last min(edge, frames / 4) outputs.
  float edge_free_peak() const {
    const std::size_t skip = std::min(edge, filtered / 4);
    float p = peak;
    auto consider = [&](std::size_t i, float v) {
      if (i >= skip && i + skip < filtered) p = std::max(p, std::fabs(v));
    };
    for (std::size_t i = 0; i < head.size(); ++i) consider(i, head[i]);
    for (std::size_t i = filtered - std::min(edge, filtered); i < filtered; ++i)
      consider(i, recent[i % edge]);
    return p;
  }
};

}  // namespace

NullTestResult null_test(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         const NullTestOptions& options) {
  if (!(options.search_window_ms >= 0.0 && options.search_window_ms <= 10000.0))
    throw std::invalid_argument("null test: search window must be 0..10000 ms");
  const detail::StemFit fit =
      detail::fit_stems(mix_path, stem_paths, options.search_window_ms,
                        std::max<std::size_t>(options.analysis_frames, 1024));
  const auto channels = static_cast<std::size_t>(fit.channels);
  std::vector<ChannelStats> stats;
  stats.reserve(channels);
  for (std::size_t ch = 0; ch < channels; ++ch) stats.emplace_back();
  // Channels are independent: a stereo residual's statistics take two cores.
  const unsigned workers = std::max(
      1u, std::min({std::thread::hardware_concurrency(), 2u, static_cast<unsigned>(channels)}));
  const auto each_channel = [&](const auto& add) {
    return [&, add](const std::vector<std::span<const float>>& block) {
      detail::parallel_for(workers, [&](unsigned w) {
        for (std::size_t ch = w; ch < channels; ch += workers) add(ch, block[ch]);
      });
    };
  };
  const detail::StreamTotals totals = detail::stream_residual(
      mix_path, stem_paths, fit,
      each_channel([&](std::size_t ch, std::span<const float> x) { stats[ch].add(x); }));
  NullTestResult result;
  result.sample_rate_hz = fit.rate;
  result.channels = fit.channels;
  result.frames = std::max(totals.mix_frames, totals.sum_frames);
  result.offset_samples = fit.alignment.offset_samples;
  result.gain_db = amplitude_to_db(std::fabs(fit.gain));
  result.polarity_inverted = fit.gain < 0.0;
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
  result.correlation = fit.alignment.correlation;
  result.mix_rms_dbfs = totals.mix_rms_dbfs;
  float peak = 0.0f;
  result.residual_rms_dbfs = minus_inf_db;
  // The residual's power spectrum, averaged over its channels.
  std::vector<double> power(spectrum_frame / 2 + 1, 0.0);
  for (const ChannelStats& channel : stats) {
    peak = std::max(peak, channel.peak);
    result.residual_rms_dbfs =
        std::max(result.residual_rms_dbfs, rms_db(channel.energy, channel.frames));
    const std::vector<double> p = channel.spectrum.power();
    for (std::size_t k = 0; k < p.size(); ++k) power[k] += p[k] / static_cast<double>(stats.size());
  }
  result.residual_peak_dbfs = amplitude_to_db(peak);
  result.bands = octave_bands(power, fit.rate);
  // A residual over the threshold may be all above hearing: two fractional-delay interpolators
  // differ near Nyquist. What lies above 20 kHz is reported apart (from the spectrum); when it is
  // most of the residual, the verdict is taken on the band below, filtered out for its peak.
  // A residual that nulls, or is mostly audible, costs nothing more; one mostly above hearing
  // is streamed a second time through the lowpass (the residual is never held whole).
  if (result.residual_peak_dbfs >= options.threshold_dbfs && fit.rate > 2.0 * audible_top_hz) {
    const auto [above, total] = power_above(power, audible_top_hz, fit.rate);
    result.above_20k_rms_dbfs = above > 0.0 ? 10.0 * std::log10(above) : minus_inf_db;
    if (total > 0.0 && above > 0.5 * total) {
      std::vector<AudibleBand> bands(channels, AudibleBand(fit.rate));
      detail::stream_residual(
          mix_path, stem_paths, fit,
          each_channel([&](std::size_t ch, std::span<const float> x) { bands[ch].add(x); }));
      float audible_peak = 0.0f;
      double audible_rms = minus_inf_db;
      for (AudibleBand& band : bands) {
        band.finish();
        audible_peak = std::max(audible_peak, band.edge_free_peak());
        audible_rms = std::max(audible_rms, rms_db(band.energy, band.filtered));
      }
      result.residual_peak_dbfs = amplitude_to_db(audible_peak);
      result.residual_rms_dbfs = audible_rms;
    }
  }
  // Damaged files do not null, whatever is left once their bad samples are read as silence.
  result.damaged = totals.damaged;
  result.nulls = result.residual_peak_dbfs < options.threshold_dbfs && result.damaged.empty();
  if (totals.mix_frames != totals.sum_frames)
    result.notes.push_back("the mix has " + std::to_string(totals.mix_frames) +
                           " frames and the stem sum " + std::to_string(totals.sum_frames) +
                           "; the shorter one is compared against silence");
  return result;
}

std::vector<std::string> explain_offset(const RouteGraph& graph, double offset_samples) {
  std::vector<std::string> out;
  const double fraction = offset_samples - std::floor(offset_samples);
  if (fraction < 0.01 || fraction > 0.99) return out;
  const auto name_of = [&](const std::string& id) {
    for (const Node& n : graph.nodes)
      if (n.id == id) return n.name;
    return id;
  };
  const auto consider = [&](double latency, const std::string& what, const char* kind) {
    const double part = latency - std::floor(latency);
    if (std::fabs(part - fraction) >= 0.01) return;
    char text[64];
    std::snprintf(text, sizeof text, "%.3f samples: the fractional part of ", offset_samples);
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.1f", latency);
    out.push_back(std::string(text) + what + "'s " + figure + "-sample " + kind +
                  " (delay compensation moves whole samples)");
  };
  for (const Edge& e : graph.edges)
    if (e.latency_samples)
      consider(*e.latency_samples,
               "'" + name_of(e.kind == EdgeKind::hardware_insert ? e.to : e.from) + "'",
               e.kind == EdgeKind::hardware_insert ? "round trip" : "latency");
  for (const Node& n : graph.nodes)
    for (const Plugin& p : n.plugins)
      if (!p.bypassed && p.latency_samples > 0.0)
        consider(p.latency_samples, "'" + p.name + "' on '" + n.name + "'", "latency");
  return out;
}

}  // namespace routewise
