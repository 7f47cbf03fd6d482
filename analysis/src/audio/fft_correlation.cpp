#include "audio/fft_correlation.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <numbers>

namespace routewise::detail {
namespace {

struct PlanDeleter {
  void operator()(fftw_plan_s* plan) const { fftw_destroy_plan(plan); }
};
using Plan = std::unique_ptr<fftw_plan_s, PlanDeleter>;
struct FreeDeleter {
  void operator()(void* p) const { fftw_free(p); }
};
template <typename T>
using FftwBuffer = std::unique_ptr<T[], FreeDeleter>;

template <typename T>
FftwBuffer<T> allocate(std::size_t count) {
  auto* p = static_cast<T*>(fftw_malloc(sizeof(T) * count));
  if (!p) throw std::bad_alloc();
  return FftwBuffer<T>(p);
}

std::size_t next_power_of_two(std::size_t n) {
  std::size_t size = 1;
  while (size < n) size <<= 1;
  return size;
}

}  // namespace

struct Correlator::Plans {
  explicit Plans(std::size_t size)
      : time(allocate<double>(size)),
        freq(allocate<fftw_complex>(size / 2 + 1)),
        forward(
            fftw_plan_dft_r2c_1d(static_cast<int>(size), time.get(), freq.get(), FFTW_ESTIMATE)),
        inverse(
            fftw_plan_dft_c2r_1d(static_cast<int>(size), freq.get(), time.get(), FFTW_ESTIMATE)) {}
  FftwBuffer<double> time;
  FftwBuffer<fftw_complex> freq;
  Plan forward, inverse;
};

Correlator::Correlator(std::size_t length, std::size_t max_lag)
    : size_(next_power_of_two(length + max_lag + 1)),
      max_lag_(max_lag),
      plans_(std::make_unique<Plans>(size_)) {}

Correlator::~Correlator() = default;

Correlator::Spectrum Correlator::spectrum(std::span<const float> x) {
  const std::size_t bins = size_ / 2 + 1;
  double* time = plans_->time.get();
  std::fill(time, time + size_, 0.0);
  std::copy(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(std::min(x.size(), size_)), time);
  fftw_execute(plans_->forward.get());
  Spectrum out(bins);
  for (std::size_t k = 0; k < bins; ++k) out[k] = {plans_->freq[k][0], plans_->freq[k][1]};
  return out;
}

std::vector<double> Correlator::correlate(const Spectrum& a, const Spectrum& b) {
  const std::size_t bins = size_ / 2 + 1;
  fftw_complex* freq = plans_->freq.get();
  for (std::size_t k = 0; k < bins; ++k) {
    const std::complex<double> z = a[k] * std::conj(b[k]);
    freq[k][0] = z.real();
    freq[k][1] = z.imag();
  }
  fftw_execute(plans_->inverse.get());
  const double* time = plans_->time.get();
  std::vector<double> c(2 * max_lag_ + 1);
  const double scale = 1.0 / static_cast<double>(size_);
  for (std::size_t i = 0; i <= 2 * max_lag_; ++i) {
    // Lag k sits at index k for k ≥ 0 and at size + k for k < 0; the padding keeps the circular
    // correlation from wrapping.
    const long k = static_cast<long>(i) - static_cast<long>(max_lag_);
    const std::size_t at =
        k >= 0 ? static_cast<std::size_t>(k) : size_ - static_cast<std::size_t>(-k);
    c[i] = time[at] * scale;
  }
  return c;
}

std::vector<double> cross_correlation(std::span<const float> a, std::span<const float> b,
                                      std::size_t max_lag) {
  Correlator correlator(std::max(a.size(), b.size()), max_lag);
  return correlator.correlate(correlator.spectrum(a), correlator.spectrum(b));
}

Peak correlation_peak(const std::vector<double>& c, std::size_t max_lag) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < c.size(); ++i)
    if (std::fabs(c[i]) > std::fabs(c[best])) best = i;
  Peak peak{static_cast<double>(best) - static_cast<double>(max_lag), c[best]};
  if (best > 0 && best + 1 < c.size()) {
    const double y0 = std::fabs(c[best - 1]), y1 = std::fabs(c[best]), y2 = std::fabs(c[best + 1]);
    const double denominator = y0 - 2.0 * y1 + y2;
    if (denominator < 0.0) peak.lag_samples += 0.5 * (y0 - y2) / denominator;
  }
  return peak;
}

struct WelchSpectrum::Plans {
  explicit Plans(std::size_t frame)
      : time(allocate<double>(frame)),
        freq(allocate<fftw_complex>(frame / 2 + 1)),
        forward(
            fftw_plan_dft_r2c_1d(static_cast<int>(frame), time.get(), freq.get(), FFTW_ESTIMATE)) {}
  FftwBuffer<double> time;
  FftwBuffer<fftw_complex> freq;
  Plan forward;
};

WelchSpectrum::WelchSpectrum(std::size_t frame)
    : frame_(frame),
      window_(frame),
      power_(frame / 2 + 1, 0.0),
      plans_(std::make_unique<Plans>(frame)) {
  pending_.reserve(frame);
  for (std::size_t i = 0; i < frame; ++i) {
    window_[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                      static_cast<double>(frame));
    window_energy_ += window_[i] * window_[i];
  }
}

WelchSpectrum::~WelchSpectrum() = default;
WelchSpectrum::WelchSpectrum(WelchSpectrum&&) noexcept = default;

void WelchSpectrum::transform(const float* x) {
  double* time = plans_->time.get();
  for (std::size_t i = 0; i < frame_; ++i) time[i] = x[i] * window_[i];
  fftw_execute(plans_->forward.get());
  const fftw_complex* spectrum = plans_->freq.get();
  for (std::size_t k = 0; k < power_.size(); ++k)
    power_[k] += spectrum[k][0] * spectrum[k][0] + spectrum[k][1] * spectrum[k][1];
  ++frames_;
}

void WelchSpectrum::add(std::span<const float> x) {
  std::size_t at = 0;
  if (!pending_.empty()) {
    const std::size_t take = std::min(frame_ - pending_.size(), x.size());
    pending_.insert(pending_.end(), x.begin(), x.begin() + static_cast<std::ptrdiff_t>(take));
    at = take;
    if (pending_.size() < frame_) return;
    transform(pending_.data());
    pending_.clear();
  }
  for (; at + frame_ <= x.size(); at += frame_) transform(x.data() + at);
  pending_.assign(x.begin() + static_cast<std::ptrdiff_t>(at), x.end());
}

std::vector<double> WelchSpectrum::power() const {
  std::vector<double> out(power_.size(), 0.0);
  if (frames_ == 0) return out;
  // Parseval with a window: Σ_k |X_k|² = N · Σ_t (x·w)²; one-sided bins count twice except DC
  // and Nyquist.
  const double scale =
      1.0 / (static_cast<double>(frames_) * static_cast<double>(frame_) * window_energy_);
  const std::size_t bins = out.size();
  for (std::size_t k = 0; k < bins; ++k)
    out[k] = power_[k] * scale * (k == 0 || k == bins - 1 ? 1.0 : 2.0);
  return out;
}

std::vector<double> power_spectrum(std::span<const float> x, std::size_t frame) {
  WelchSpectrum welch(frame);
  welch.add(x);
  return welch.power();
}

}  // namespace routewise::detail
