#pragma once
// Cross-correlation and power spectra through FFTW (private to the analysis library).

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace routewise::detail {

// Correlates many signals of at most `length` samples over lags within ±max_lag, transforming
// each signal once. FFTW plans are made here; FFTW's planner is not thread-safe, so one thread
// at a time may construct correlators.
class Correlator {
 public:
  using Spectrum = std::vector<std::complex<double>>;
  Correlator(std::size_t length, std::size_t max_lag);
  ~Correlator();
  Correlator(const Correlator&) = delete;
  Correlator& operator=(const Correlator&) = delete;
  Spectrum spectrum(std::span<const float> x);
  // c[k + max_lag] = Σ_t a[t] · b[t − k]
  std::vector<double> correlate(const Spectrum& a, const Spectrum& b);

 private:
  struct Plans;  // FFTW buffers and plans, made once
  std::size_t size_, max_lag_;
  std::unique_ptr<Plans> plans_;
};

// c[k + max_lag] = Σ_t a[t] · b[t − k] for k in [−max_lag, max_lag]: how strongly `a` contains
// `b` delayed by k samples.
std::vector<double> cross_correlation(std::span<const float> a, std::span<const float> b,
                                      std::size_t max_lag);

struct Peak {
  double lag_samples = 0.0;  // sub-sample, by parabolic interpolation around the largest |c|
  double value = 0.0;        // c at the integer peak (signed)
};
Peak correlation_peak(const std::vector<double>& correlation, std::size_t max_lag);

// One-sided power spectrum of `x` averaged over Hann-windowed frames of `frame` samples (Welch,
// no overlap), scaled so that summing bins gives the mean square of the signal.
std::vector<double> power_spectrum(std::span<const float> x, std::size_t frame);

// The same spectrum fed block by block, so a signal of any length is never held whole. A
// trailing part frame is left out, as above. Construct on one thread at a time (FFTW's planner).
class WelchSpectrum {
 public:
  explicit WelchSpectrum(std::size_t frame);
  ~WelchSpectrum();
  WelchSpectrum(WelchSpectrum&&) noexcept;
  void add(std::span<const float> x);
  std::vector<double> power() const;

 private:
  void transform(const float* x);
  struct Plans;
  std::size_t frame_;
  std::vector<double> window_;
  double window_energy_ = 0.0;
  std::vector<double> power_;
  std::size_t frames_ = 0;
  std::vector<float> pending_;  // the part frame waiting for more samples
  std::unique_ptr<Plans> plans_;
};

}  // namespace routewise::detail
