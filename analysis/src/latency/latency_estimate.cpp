#include "routewise/analysis/latency_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>

#include "audio/fft_correlation.hpp"
#include "routewise/audio/delay_line.hpp"
#include "routewise/audio/test_signal.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

constexpr float stimulus_peak = 0.5f;  // −6 dBFS

std::vector<float> exponential_sweep(double rate) {
  const double seconds = 2.0, f1 = 20.0, f2 = 0.45 * rate;
  const auto frames = static_cast<std::size_t>(seconds * rate);
  const double k = std::log(f2 / f1);
  std::vector<float> x(frames);
  const auto fade = static_cast<std::size_t>(0.01 * rate);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    double v =
        std::sin(2.0 * std::numbers::pi * f1 * seconds / k * (std::exp(t * k / seconds) - 1.0));
    if (i < fade) v *= static_cast<double>(i) / static_cast<double>(fade);
    if (frames - i < fade) v *= static_cast<double>(frames - i) / static_cast<double>(fade);
    x[i] = static_cast<float>(stimulus_peak * v);
  }
  return x;
}

// The fractional part of the delay from the phase of the impulse response's spectrum: around
// the integer peak, H(ω)·e^{jω·centre} has phase −ω·τ for a delay of centre + τ. A weighted
// least-squares fit over the lower half of the band (where any fractional-delay filter,
// interpolator or converter is accurate, and where jack_delay measures too) gives τ to about
// 1/1000 sample; the broadband peak would be pulled by the band edge.
double refine_peak(const std::vector<double>& h, std::size_t centre) {
  constexpr std::size_t half = 128, span = 2 * half;
  const double polarity = h[centre] < 0.0 ? -1.0 : 1.0;  // an inverted return adds π to the phase
  double numerator = 0.0, denominator = 0.0;
  for (std::size_t k = 1; k <= span / 4; ++k) {
    const double omega = 2.0 * std::numbers::pi * static_cast<double>(k) / span;
    std::complex<double> sum = 0.0;
    for (std::size_t n = 0; n < span; ++n) {
      const std::size_t at = centre + n - half;
      if (at >= h.size()) continue;  // also catches positions before the start (wrapped)
      sum += polarity * h[at] *
             std::polar(1.0, -omega * (static_cast<double>(n) - static_cast<double>(half)));
    }
    const double weight = std::norm(sum);
    const double phase = std::arg(sum);
    numerator += weight * phase * omega;
    denominator += weight * omega * omega;
  }
  const double tau = denominator > 0.0 ? -numerator / denominator : 0.0;
  return static_cast<double>(centre) + tau;
}

}  // namespace

std::string_view to_string(LatencyMethod method) {
  return method == LatencyMethod::mls ? "mls" : "sweep";
}

std::vector<float> latency_stimulus(LatencyMethod method, double sample_rate_hz, int mls_order) {
  if (method == LatencyMethod::sweep) return exponential_sweep(sample_rate_hz);
  std::vector<float> x = mls_sequence(mls_order);
  for (float& v : x) v *= stimulus_peak;
  return x;
}

LatencyEstimate estimate_latency(const std::vector<float>& stimulus,
                                 const std::vector<float>& recording,
                                 std::size_t max_latency_samples) {
  if (stimulus.empty()) throw std::invalid_argument("latency: empty stimulus");
  if (recording.size() < stimulus.size())
    throw std::invalid_argument("latency: the recording (" + std::to_string(recording.size()) +
                                " frames) is shorter than the stimulus (" +
                                std::to_string(stimulus.size()) + ")");
  double recorded_energy = 0.0;
  for (float v : recording) recorded_energy += static_cast<double>(v) * v;
  if (recorded_energy < 1e-12)
    throw std::invalid_argument("latency: the recording is silent: nothing came back on the input");

  // Deconvolution: ir = IFFT(R·S* / (|S|² + ε)), which whitens the stimulus so the impulse is
  // as sharp for the sweep as for the MLS; ε keeps bands the stimulus does not cover from
  // amplifying noise. correlate(a, b) is IFFT(a·conj(b)), so a = R / (|S|² + ε) and b = S.
  const std::size_t lags = std::min(max_latency_samples, recording.size() - 1);
  detail::Correlator full(std::max(recording.size(), stimulus.size()), lags);
  const auto fs = full.spectrum(stimulus);
  const auto fr = full.spectrum(recording);
  double fs_peak = 0.0;
  for (const auto& v : fs) fs_peak = std::max(fs_peak, std::norm(v));
  detail::Correlator::Spectrum numerator(fs.size());
  for (std::size_t k = 0; k < fs.size(); ++k)
    numerator[k] = fr[k] / (std::norm(fs[k]) + 1e-3 * fs_peak);
  // c[k + lags] = Σ_t ir[t] at lag k, where ir = IFFT(R·S*/(|S|²+ε)).
  const std::vector<double> c = full.correlate(numerator, fs);
  // A return cannot precede what was sent: the peak is searched at lags ≥ 0, but the refinement
  // window reaches into negative lags too, so a zero latency is not biased by a cut-off window.
  std::vector<double> response(c.begin() + static_cast<std::ptrdiff_t>(lags), c.end());

  std::size_t best = 0;
  for (std::size_t i = 1; i < response.size(); ++i)
    if (std::fabs(response[i]) > std::fabs(response[best])) best = i;
  LatencyEstimate e;
  e.inverted = response[best] < 0.0;
  e.latency_samples = refine_peak(c, best + lags) - static_cast<double>(lags);
  // Noise floor: RMS of the response away from the peak (±64 samples excluded).
  double noise = 0.0;
  std::size_t counted = 0;
  for (std::size_t i = 0; i < response.size(); ++i) {
    if (i + 64 > best && i < best + 64) continue;
    noise += response[i] * response[i];
    ++counted;
  }
  const double peak = std::fabs(response[best]);
  const double floor = counted ? std::sqrt(noise / static_cast<double>(counted)) : 0.0;
  e.snr_db = floor > 0.0 ? 20.0 * std::log10(peak / floor) : 200.0;
  // Second-highest peak outside the main lobe: a strong echo makes the answer ambiguous.
  double runner_up = 0.0;
  for (std::size_t i = 0; i < response.size(); ++i)
    if (i + 8 <= best || i >= best + 8) runner_up = std::max(runner_up, std::fabs(response[i]));
  const double clarity = peak > 0.0 ? 1.0 - runner_up / peak : 0.0;
  e.confidence = std::clamp(clarity * std::min(1.0, e.snr_db / 40.0), 0.0, 1.0);
  e.gain_db = amplitude_to_db(peak);
  return e;
}

double sine_null_residual_db(const std::vector<float>& sent, const std::vector<float>& returned,
                             double latency_samples) {
  if (!(latency_samples >= 0.0)) throw std::invalid_argument("latency must be ≥ 0");
  // Line the sent sine up with the return: delay it by 32 + the fractional part (the same
  // windowed-sinc interpolation the engine uses) and read the return 32 samples early.
  const auto whole = static_cast<std::size_t>(std::floor(latency_samples));
  const double fraction = latency_samples - static_cast<double>(whole);
  std::vector<float> reference = sent;
  DelayLine line(fraction + 32.0, reference.size());
  line.process(reference.data(), reference.data(), reference.size());
  // Compare where both are steady: skip the first and last 10% of the sent signal.
  const std::size_t start = sent.size() / 10 + 32, end = sent.size() - sent.size() / 10;
  if (end <= start || end + whole >= returned.size() + 32)
    throw std::invalid_argument("sine null: the recording is too short for this latency");
  // Invert and sum: the return scaled by its least-squares gain (whose sign is the polarity), so
  // a loop with gain or an inverted loop still nulls when the timing is right.
  double cross = 0.0, back_energy = 0.0, energy = 0.0;
  for (std::size_t i = start; i < end; ++i) {
    const double back = returned[i + whole - 32];
    cross += reference[i] * back;
    back_energy += back * back;
    energy += static_cast<double>(reference[i]) * reference[i];
  }
  if (energy <= 0.0 || back_energy <= 0.0)
    throw std::invalid_argument("sine null: the sent or returned signal is silent");
  const double gain = cross / back_energy;
  double residual = 0.0;
  for (std::size_t i = start; i < end; ++i) {
    const double d = reference[i] - gain * returned[i + whole - 32];
    residual += d * d;
  }
  return residual > 0.0 ? 10.0 * std::log10(residual / energy) : -200.0;
}

}  // namespace routewise
