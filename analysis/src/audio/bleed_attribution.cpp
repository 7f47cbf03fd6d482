#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <stdexcept>

#include "audio/fft_correlation.hpp"
#include "audio/stem_alignment.hpp"
#include "routewise/analysis/null_test.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/model/units.hpp"
#include "text_compare.hpp"

namespace routewise {
namespace {

std::vector<float> load_mono(const BleedInput& input, double rate, const std::string& reference,
                             std::size_t frames, std::vector<std::string>& damaged,
                             std::size_t* length = nullptr) {
  AudioFileReader reader(input.path);
  if (reader.info().sample_rate_hz != rate)
    throw std::invalid_argument(input.path + ": sample rate " +
                                std::to_string(reader.info().sample_rate_hz) + " Hz differs from " +
                                reference + " (" + std::to_string(rate) + " Hz)");
  // Sources may be mono or stereo whatever the stems are; each is reduced to its channel average.
  // Only the first `frames` are fitted and kept; the rest is read for damage, never held.
  const auto c = static_cast<std::size_t>(reader.info().channels);
  std::vector<float> mono(frames, 0.0f), chunk(65536 * c);
  const float scale = 1.0f / static_cast<float>(c);
  std::size_t at = 0;
  while (const std::size_t got = reader.read(chunk.data(), 65536)) {
    for (std::size_t i = 0; i < got && at + i < frames; ++i)
      for (std::size_t ch = 0; ch < c; ++ch) mono[at + i] += chunk[i * c + ch] * scale;
    at += got;
  }
  if (reader.non_finite()) damaged.push_back(describe(input.path, reader.non_finite(), rate));
  if (length) *length = at;
  return mono;
}

// Solves the symmetric positive semi-definite system g·x = b by Cholesky with a tiny ridge, so
// that silent or duplicate sources give zero rather than a failure.
std::vector<double> solve(std::vector<std::vector<double>> g, std::vector<double> b) {
  const std::size_t n = b.size();
  double trace = 0.0;
  for (std::size_t i = 0; i < n; ++i) trace += g[i][i];
  const double ridge = 1e-9 * (trace > 0.0 ? trace / static_cast<double>(n) : 1.0);
  for (std::size_t i = 0; i < n; ++i) g[i][i] += ridge;
  for (std::size_t j = 0; j < n; ++j) {
    double d = g[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= g[j][k] * g[j][k];
    g[j][j] = std::sqrt(std::max(d, ridge));
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = g[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= g[i][k] * g[j][k];
      g[i][j] = s / g[j][j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < i; ++k) b[i] -= g[i][k] * b[k];
    b[i] /= g[i][i];
  }
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t k = i + 1; k < n; ++k) b[i] -= g[k][i] * b[k];
    b[i] /= g[i][i];
  }
  return b;
}

// Eight independent partial sums so the compiler can vectorise without reassociating.
double dot(const float* a, const float* b, std::size_t n) {
  double lanes[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (std::size_t k = 0; k < 8; ++k) lanes[k] += static_cast<double>(a[i + k]) * b[i + k];
  double sum = 0.0;
  for (; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
  for (double lane : lanes) sum += lane;
  return sum;
}

// x delayed by `lag` samples, a fraction included (silence shifted in).
std::vector<float> delayed(const std::vector<float>& x, double lag) {
  std::vector<float> out(x.size(), 0.0f);
  detail::shift(x, lag, 0, x.size(), out.data());
  return out;
}

// x delayed by lag + h less x delayed by lag − h (h = 0.05 sample), over its first `count`
// frames: a path's change with its lag, to a factor 2h.
constexpr double lag_step = 0.05;
std::vector<float> lag_difference(const std::vector<float>& x, double lag, std::size_t count) {
  std::vector<float> ahead(count), behind(count);
  detail::shift(x, lag + lag_step, 0, count, ahead.data());
  detail::shift(x, lag - lag_step, 0, count, behind.data());
  for (std::size_t t = 0; t < count; ++t) ahead[t] -= behind[t];
  return ahead;
}

// The lag where the band-limited correlation peaks, between its samples: the correlation is
// interpolated with a Blackman-windowed sinc over ±64 lags and its largest magnitude found by
// golden-section search within a sample of the whole-lag peak. Whole lags alone read a bleed at
// 12.37 samples 1 dB hot and leave most of a 0.4-sample path unexplained.
// With `near` (a lag), the search stays within a sample of it: one path of several.
double fractional_peak(const std::vector<double>& c, std::size_t max_lag,
                       std::optional<double> near = std::nullopt) {
  std::size_t best = 0;
  if (near) {
    best = static_cast<std::size_t>(std::clamp(std::lround(*near + static_cast<double>(max_lag)),
                                               0L, static_cast<long>(c.size()) - 1));
  } else {
    for (std::size_t k = 1; k < c.size(); ++k)
      if (std::fabs(c[k]) > std::fabs(c[best])) best = k;
  }
  constexpr double half_width = 64.0;
  const auto at = [&](double tau) {  // tau: position in c
    double v = 0.0;
    const long lo = static_cast<long>(std::ceil(tau - half_width));
    const long hi = static_cast<long>(std::floor(tau + half_width));
    for (long k = std::max(lo, 0L); k <= hi && k < static_cast<long>(c.size()); ++k) {
      const double x = tau - static_cast<double>(k);
      const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
      const double w = 0.42 + 0.5 * std::cos(std::numbers::pi * x / half_width) +
                       0.08 * std::cos(2.0 * std::numbers::pi * x / half_width);
      v += c[static_cast<std::size_t>(k)] * sinc * w;
    }
    return std::fabs(v);
  };
  double tau =
      detail::golden_section_min([&](double t) { return -at(t); }, static_cast<double>(best) - 1.0,
                                 static_cast<double>(best) + 1.0, 1e-4, 40);
  // Within 0.005 sample of a whole lag (or as good as it) the lag is whole, so that an exact copy
  // is fitted bit-exactly rather than through an interpolator's ripple.
  const double whole = std::round(tau);
  if (std::fabs(tau - whole) < 0.005 || at(static_cast<double>(best)) >= at(tau) * (1.0 - 1e-9))
    tau = std::fabs(tau - whole) < 0.005 ? whole : static_cast<double>(best);
  return tau - static_cast<double>(max_lag);
}

// First difference, then a lowpass at 0.8 of Nyquist (31 taps, Blackman-windowed sinc): the
// difference whitens typical audio (most energy low) so correlation peaks are sharp, and the
// lowpass takes away the top of the band, where a fractional delay cannot be interpolated well
// (the difference lifts exactly that band). Both are linear and applied to every signal alike,
// so the gains and lags found are those of the originals.
std::vector<float> differenced(std::vector<float> x) {
  for (std::size_t i = x.size(); i-- > 1;) x[i] -= x[i - 1];
  if (!x.empty()) x[0] = 0.0f;
  return detail::lowpass(x, 0.4, 1.0, 15);  // 0.4 of the rate: 0.8 of Nyquist
}

struct Fit {
  std::vector<double> gain_db;      // per source: the energy sum over its regressors
  std::vector<double> lag_samples;  // per source: the lag of its strongest regressor
  std::vector<bool> inverted;       // per source: its strongest regressor's gain is negative
  double unexplained_db = 0.0;
};

// Least squares of y on the sources, each at the lag where it correlates best; then, while the
// remainder still correlates clearly with a source at another lag (a parallel path with a
// different delay, such as an uncompensated bus), that lag is added as a further regressor.
// `reported_gain` (linear): a path weaker than this is never reported, so its lag is not refined.
// `nuisance`: further regressors fitted beside the sources and reported nowhere.
// The first and last max_lag + 64 frames of the files (`length` of the row's frames hold audio)
// are left out of every sum: there a lagged regressor reaches past its file's start or end,
// where the row may hold what the export trimmed or rendered on, so the fit would depend on the
// edges (and on the files' length, against which the edges weigh).
Fit fit_row(const std::vector<float>& row, std::size_t length,
            const std::vector<std::vector<float>>& inputs,
            const std::vector<detail::Correlator::Spectrum>& spectra,
            detail::Correlator& correlator, std::size_t max_lag, double reported_gain,
            const std::vector<std::vector<float>>& nuisance = {}) {
  const std::size_t edge = std::min(max_lag + 64, std::min(length, row.size()) / 4);
  const std::size_t end = std::min(length, row.size()) - edge;
  const auto from_skip = [edge, end](std::vector<float> x) {
    std::fill(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(std::min(edge, x.size())), 0.0f);
    if (end < x.size()) std::fill(x.begin() + static_cast<std::ptrdiff_t>(end), x.end(), 0.0f);
    return x;
  };
  const std::vector<float> y = from_skip(row);
  const auto delayed = [&](const std::vector<float>& x, double lag) {
    return from_skip(routewise::delayed(x, lag));
  };
  struct Regressor {
    std::size_t source;
    double lag;
    std::vector<float> x;
    bool settled = false;  // its fractional lag moved less than 0.001 sample when found again
  };
  const std::size_t frames = y.size();
  std::vector<Regressor> regressors;
  std::vector<double> energy(inputs.size());
  for (std::size_t j = 0; j < inputs.size(); ++j)
    energy[j] = dot(inputs[j].data(), inputs[j].data(), frames);
  auto add_regressors = [&](const std::vector<float>& target, bool only_significant) {
    const auto target_spectrum = correlator.spectrum(target);
    const double target_energy = dot(target.data(), target.data(), frames);
    std::size_t added = 0;
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      if (energy[j] <= 0.0) continue;
      const std::vector<double> c = correlator.correlate(target_spectrum, spectra[j]);
      const detail::Peak peak = detail::correlation_peak(c, max_lag);
      // Chance correlation of independent signals is about 1/√frames; ten times that is real.
      const double rho = std::fabs(peak.value) / std::sqrt(energy[j] * target_energy + 1e-300);
      const bool significant = rho >= 10.0 / std::sqrt(static_cast<double>(frames));
      if (only_significant && !significant) continue;
      // A source that is not there has no lag worth a fraction (nor an interpolated regressor).
      const double lag = significant ? fractional_peak(c, max_lag) : std::round(peak.lag_samples);
      const bool known = std::any_of(regressors.begin(), regressors.end(), [&](const Regressor& r) {
        return r.source == j && std::fabs(r.lag - lag) < 0.5;
      });
      if (known) continue;
      regressors.push_back({j, lag, delayed(inputs[j], lag), false});
      ++added;
    }
    return added;
  };
  constexpr auto no_source = static_cast<std::size_t>(-1);
  for (const auto& x : nuisance) regressors.push_back({no_source, 0.0, from_skip(x), true});
  add_regressors(y, false);
  std::vector<double> g;
  std::vector<float> remainder(frames);
  double error = 0.0;
  const double y_energy = dot(y.data(), y.data(), frames);
  std::vector<std::vector<double>> gram;  // grows with the regressors; old entries are kept
  std::vector<double> b;
  // A regressor moved to another lag: its samples, its column of the normal equations.
  const auto set_lag = [&](std::size_t i, double lag) {
    Regressor& r = regressors[i];
    r.lag = lag;
    r.x = delayed(inputs[r.source], lag);
    b[i] = dot(r.x.data(), y.data(), frames);
    for (std::size_t j = 0; j < regressors.size(); ++j)
      gram[i][j] = gram[j][i] = dot(r.x.data(), regressors[j].x.data(), frames);
  };
  // The gains solved again, and what they leave.
  const auto refit = [&] {
    g = solve(gram, b);
    for (std::size_t t = 0; t < frames; ++t) {
      double fit = 0.0;
      for (std::size_t i = 0; i < regressors.size(); ++i) fit += g[i] * regressors[i].x[t];
      remainder[t] = static_cast<float>(y[t] - fit);
    }
    error = dot(remainder.data(), remainder.data(), frames);
  };
  // A fractional lag found against the whole row is pulled by the other paths in it: each is
  // found again against what is left with its own contribution put back, twice.
  const auto refine = [&] {
    for (int pass = 0; pass < 2 && y_energy > 0.0 && error >= 1e-8 * y_energy; ++pass) {
      bool moved = false;
      for (std::size_t i = 0; i < regressors.size(); ++i) {
        Regressor& r = regressors[i];
        if (r.source == no_source) continue;
        const double contribution = g[i] * g[i] * energy[r.source];
        // Only paths that matter (within 40 dB of the row, and loud enough to be reported): each
        // costs two transforms of the row.
        if (r.settled || r.lag == std::round(r.lag) || contribution < 1e-4 * y_energy ||
            std::fabs(g[i]) < reported_gain)
          continue;
        std::vector<float> own(frames);
        for (std::size_t t = 0; t < frames; ++t)
          own[t] = static_cast<float>(remainder[t] + g[i] * r.x[t]);
        const double lag = fractional_peak(
            correlator.correlate(correlator.spectrum(own), spectra[r.source]), max_lag, r.lag);
        if (std::fabs(lag - r.lag) < 1e-3) {
          r.settled = true;
          continue;
        }
        set_lag(i, lag);
        moved = true;
      }
      if (!moved) break;
      refit();
    }
  };
  // The correlation's peak, interpolated, reads a fractional lag to about 0.001 sample; a path
  // that large leaves -60 dB of itself unexplained. The fractional lags that matter are finished
  // together by Gauss-Newton: each path's derivative with respect to its lag is fitted beside
  // all the regressors, and its coefficient over the path's gain is the lag's correction. Held
  // one at a time instead, paths that share a source's shape (and the offset regressor) trade
  // their errors and stop 0.0003 sample short.
  const auto polish = [&] {
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < regressors.size(); ++i) {
      const Regressor& r = regressors[i];
      if (r.source == no_source || r.lag == std::round(r.lag)) continue;
      if (g[i] * g[i] * energy[r.source] < 1e-4 * y_energy || std::fabs(g[i]) < reported_gain)
        continue;
      active.push_back(i);
    }
    if (active.empty()) return false;
    const std::size_t m = regressors.size(), k = active.size();
    std::vector<std::vector<float>> slope(k);
    for (std::size_t a = 0; a < k; ++a) {
      const std::vector<float>& x = inputs[regressors[active[a]].source];
      slope[a] = from_skip(lag_difference(x, regressors[active[a]].lag, x.size()));
      for (float& v : slope[a]) v = static_cast<float>(v / (2.0 * lag_step));
    }
    std::vector<std::vector<double>> big(m + k, std::vector<double>(m + k, 0.0));
    std::vector<double> rhs(m + k, 0.0);
    for (std::size_t i = 0; i < m; ++i) {
      rhs[i] = b[i];
      for (std::size_t j = 0; j < m; ++j) big[i][j] = gram[i][j];
    }
    for (std::size_t a = 0; a < k; ++a) {
      rhs[m + a] = dot(slope[a].data(), y.data(), frames);
      for (std::size_t j = 0; j < m; ++j)
        big[m + a][j] = big[j][m + a] = dot(slope[a].data(), regressors[j].x.data(), frames);
      for (std::size_t c = 0; c <= a; ++c)
        big[m + a][m + c] = big[m + c][m + a] = dot(slope[a].data(), slope[c].data(), frames);
    }
    const std::vector<double> coef = solve(big, rhs);
    bool moved = false;
    for (std::size_t a = 0; a < k; ++a) {
      const std::size_t i = active[a];
      if (coef[i] == 0.0) continue;
      const double step = std::clamp(coef[m + a] / coef[i], -0.05, 0.05);
      if (std::fabs(step) < 1e-7) continue;
      set_lag(i, regressors[i].lag + step);
      moved = true;
    }
    if (!moved) return false;
    refit();
    return true;
  };
  for (int round = 0; round < 4; ++round) {
    const std::size_t m = regressors.size();
    const std::size_t known = b.size();
    gram.resize(m);
    for (auto& row : gram) row.resize(m);
    b.resize(m);
    for (std::size_t i = known; i < m; ++i) {
      b[i] = dot(regressors[i].x.data(), y.data(), frames);
      for (std::size_t j = 0; j <= i; ++j)
        gram[i][j] = gram[j][i] = dot(regressors[i].x.data(), regressors[j].x.data(), frames);
    }
    refit();
    // Before another path is looked for, the fractional lags found so far are made exact, or
    // a lag a little off would be patched with a regressor at the next whole sample.
    refine();
    for (int pass = 0; pass < 4 && polish(); ++pass) {
    }
    if (y_energy <= 0.0 || error < 1e-8 * y_energy || round == 3) break;
    if (add_regressors(remainder, true) == 0) break;
  }
  Fit fit;
  fit.gain_db.assign(inputs.size(), minus_inf_db);
  fit.lag_samples.assign(inputs.size(), 0.0);
  fit.inverted.assign(inputs.size(), false);
  std::vector<double> power(inputs.size(), 0.0), strongest(inputs.size(), 0.0);
  for (std::size_t i = 0; i < regressors.size(); ++i) {
    const std::size_t j = regressors[i].source;
    if (j == no_source) continue;
    power[j] += g[i] * g[i];
    if (std::fabs(g[i]) > strongest[j]) {
      strongest[j] = std::fabs(g[i]);
      fit.lag_samples[j] = regressors[i].lag;
      fit.inverted[j] = g[i] < 0.0;
    }
  }
  for (std::size_t j = 0; j < inputs.size(); ++j)
    if (power[j] > 0.0) fit.gain_db[j] = 10.0 * std::log10(power[j]);
  fit.unexplained_db =
      y_energy > 0.0 && error > 0.0 ? 10.0 * std::log10(error / y_energy) : minus_inf_db;
  return fit;
}

}  // namespace

BleedReport attribute_bleed(const std::vector<BleedInput>& stems,
                            const std::vector<BleedInput>& sources, const std::string& mix_path,
                            const BleedOptions& options) {
  if (stems.empty()) throw std::invalid_argument("bleed attribution: no stem files given");
  if (sources.empty()) throw std::invalid_argument("bleed attribution: no source files given");
  const std::size_t frames = std::max<std::size_t>(options.analysis_frames, 4096);
  // Sources (and stems, for their sum) are read past the fitted frames by the search window and
  // the interpolator's reach, so a lagged regressor has real samples to the window's end: cut at
  // the window, a 0.4-sample path left -70 dB of itself "unexplained" there, more the shorter
  // the window.
  const double rate = AudioFileReader(stems.front().path).info().sample_rate_hz;
  const auto max_lag =
      static_cast<std::size_t>(std::max(options.search_window_ms, 0.0) * rate / 1000.0);
  const std::size_t loaded = frames + max_lag + 128;
  std::vector<std::vector<float>> rows;
  double residual_offset = 0.0;
  BleedReport report;
  std::vector<float> stem_sum(loaded, 0.0f);  // differenced, like everything fitted
  std::size_t length = frames;  // of audio in every row: the shortest stem's or the mix's
  for (const BleedInput& stem : stems) {
    std::size_t read = 0;
    rows.push_back(
        differenced(load_mono(stem, rate, stems.front().path, loaded, report.damaged, &read)));
    length = std::min(length, read);
    for (std::size_t t = 0; t < loaded; ++t) stem_sum[t] += rows.back()[t];
    rows.back().resize(frames);
    report.rows.push_back(stem.name);
  }
  if (!mix_path.empty()) {
    std::vector<std::string> paths;
    for (const BleedInput& stem : stems) paths.push_back(stem.path);
    const detail::Aligned aligned =
        detail::aligned_residual(mix_path, paths, 50.0, 1 << 18, loaded);
    rows.push_back(differenced(detail::downmix(aligned.residual, 0, loaded)));
    rows.back().resize(frames);
    length = std::min(length, aligned.totals.mix_frames);
    residual_offset = aligned.fit.alignment.offset_samples;
    report.rows.emplace_back("residual");
    // The stems were read again for the residual; each damaged file is named once.
    for (const std::string& line : aligned.totals.damaged)
      if (std::find(report.damaged.begin(), report.damaged.end(), line) == report.damaged.end())
        report.damaged.push_back(line);
  }
  std::vector<std::vector<float>> inputs;
  for (const BleedInput& source : sources) {
    inputs.push_back(
        differenced(load_mono(source, rate, stems.front().path, loaded, report.damaged)));
    report.sources.push_back(source.group.empty() ? source.name : source.group + "/" + source.name);
  }

  detail::Correlator correlator(loaded, max_lag);
  std::vector<detail::Correlator::Spectrum> source_spectra;
  for (const auto& s : inputs) source_spectra.push_back(correlator.spectrum(s));

  // The residual is mix − stems at the null test's offset, which a fault correlated with the
  // stems pulls by a few ten-thousandths of a sample (the faulty demo: 0.3997 for 0.4); that
  // leaves the stem sum 60 dB down in the residual, which no source explains. The stem sum's
  // derivative at the offset is fitted beside the sources to take it, and is reported nowhere.
  std::vector<std::vector<float>> offset_error;
  if (!mix_path.empty()) offset_error.push_back(lag_difference(stem_sum, residual_offset, frames));
  const std::size_t n = inputs.size();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const bool is_residual = !mix_path.empty() && r + 1 == rows.size();
    const Fit fit = fit_row(rows[r], length, inputs, source_spectra, correlator, max_lag,
                            std::pow(10.0, options.threshold_db / 20.0),
                            is_residual ? offset_error : std::vector<std::vector<float>>{});
    report.unexplained_db.push_back(fit.unexplained_db);
    report.gain_db.emplace_back();
    report.lag_samples.emplace_back();
    const bool residual_row = !mix_path.empty() && r + 1 == rows.size();
    for (std::size_t j = 0; j < n; ++j) {
      const double gain_db = fit.gain_db[j];
      report.gain_db.back().push_back(gain_db);
      report.lag_samples.back().push_back(fit.lag_samples[j]);
      const bool off_group =
          residual_row ||
          (!sources[j].group.empty() && !same_ignoring_case(sources[j].group, report.rows[r]));
      // The residual is mix − stems: a source in it with its sign turned is one the stems hold
      // more of than the mix does (an extra copy in some stem), not one the mix has on its own.
      if (off_group && gain_db > options.threshold_db)
        report.bleeds.push_back(
            {report.rows[r], report.sources[j], gain_db, residual_row && fit.inverted[j]});
    }
  }
  std::stable_sort(report.bleeds.begin(), report.bleeds.end(),
                   [](const auto& a, const auto& b) { return a.gain_db > b.gain_db; });
  return report;
}

std::vector<std::string> bleed_sentences(const BleedReport& report) {
  const auto db = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return std::string(text);
  };
  // The stems that hold a source the residual shows as extra: said once, with the residual line.
  std::vector<const BleedReport::Bleed*> merged;
  std::vector<std::string> out;
  for (const auto& b : report.bleeds) {
    if (b.row != "residual" || !b.in_stems_extra) continue;
    std::string where;
    for (const auto& other : report.bleeds)
      if (other.row != "residual" && other.source == b.source) {
        where += (where.empty() ? "" : ", ") + other.row + " stem contains it at " +
                 db(other.gain_db) + " dB";
        merged.push_back(&other);
      }
    out.push_back(where.empty()
                      ? "the stems hold " + b.source + " at " + db(b.gain_db) +
                            " dB more than the mix does"
                      : b.source + " is in the stems twice: " + where + " (the mix has it once)");
  }
  std::vector<std::string> lines;
  std::size_t extra = 0;
  for (const auto& b : report.bleeds) {
    if (std::find(merged.begin(), merged.end(), &b) != merged.end()) continue;
    if (b.row == "residual" && b.in_stems_extra)
      lines.push_back(out[extra++]);
    else if (b.row == "residual")
      lines.push_back("the mix contains " + b.source + " at " + db(b.gain_db) +
                      " dB that is in no stem");
    else
      lines.push_back(b.row + " stem contains " + b.source + " at " + db(b.gain_db) + " dB");
  }
  return lines;
}

}  // namespace routewise
