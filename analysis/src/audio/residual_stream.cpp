// Pass two of the null test: the residual over the whole length, streamed.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>

#include "audio/stem_alignment.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/model/units.hpp"

namespace routewise {

void detail::parallel_for(unsigned workers, const std::function<void(unsigned)>& work) {
  std::vector<std::exception_ptr> errors(std::max(workers, 1u));
  auto guarded = [&](unsigned w) {
    try {
      work(w);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(guarded, w);
    guarded(0);
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

namespace {

// Frames of history kept around the shifted stem sum: the interpolator reaches 32 samples either
// side of the delay, and a little more is free.
constexpr long shift_reach = 40;

// Fills `out` with up to `frames` frames, reading again after a short read; fewer only at the end.
std::size_t read_full(AudioFileReader& reader, float* out, std::size_t frames) {
  const auto c = static_cast<std::size_t>(reader.info().channels);
  std::size_t at = 0;
  while (at < frames) {
    const std::size_t got = reader.read(out + at * c, frames - at);
    if (got == 0) break;
    at += got;
  }
  std::fill(out + at * c, out + frames * c, 0.0f);
  return at;
}

// Drops the first `count` frames of every channel.
void drop_front(detail::Planar& x, std::size_t count) {
  for (auto& channel : x)
    channel.erase(channel.begin(),
                  channel.begin() + static_cast<std::ptrdiff_t>(std::min(count, channel.size())));
}

}  // namespace

detail::StreamTotals detail::stream_residual(const std::string& mix_path,
                                             const std::vector<std::string>& stem_paths,
                                             const StemFit& fit, const ResidualSink& sink) {
  std::vector<AudioFileReader> files;  // the mix, then the stems in their order
  files.reserve(stem_paths.size() + 1);
  files.emplace_back(mix_path);
  check_like(files.front(), fit.rate, fit.channels, mix_path);
  for (const std::string& path : stem_paths) {
    files.emplace_back(path);
    check_like(files.back(), fit.rate, fit.channels, mix_path);
  }
  if (stem_paths.empty()) throw std::invalid_argument("null test: no stem files given");
  const std::size_t n = files.size();
  const auto c = static_cast<std::size_t>(fit.channels);
  // About 64 MB of decoded blocks in all (two slots), whatever the number of stems.
  const std::size_t block =
      std::clamp<std::size_t>((std::size_t{32} << 20) / (n * c * sizeof(float)), 4096, 1 << 17);
  const unsigned workers = static_cast<unsigned>(std::clamp<std::size_t>(
      std::thread::hardware_concurrency(), 1, std::min<std::size_t>(n, 16)));
  // Two slots: while one step is summed and judged, the files' next block is decoded into the
  // other, so neither waits for the other.
  struct Slot {
    std::vector<std::vector<float>> decoded;  // per file, interleaved
    std::vector<std::size_t> frames_read;     // per file, after this step
    std::vector<char> ended;                  // not vector<bool>: workers set their own
  };
  Slot slots[2];
  for (Slot& slot : slots) slot.decoded.assign(n, std::vector<float>(block * c));
  std::vector<std::size_t> frames_read(n, 0);
  std::vector<char> ended(n, 0);
  auto decode = [&](Slot& slot) {
    // Files are taken one at a time by whichever worker is free, so that 17 files on two cores
    // do not leave one core idle for a ninth.
    std::atomic<std::size_t> next{0};
    parallel_for(workers, [&](unsigned) {
      for (std::size_t k = next++; k < n; k = next++) {
        if (ended[k]) {
          std::fill(slot.decoded[k].begin(), slot.decoded[k].end(), 0.0f);
          continue;
        }
        const std::size_t got = read_full(files[k], slot.decoded[k].data(), block);
        frames_read[k] += got;
        if (got < block) ended[k] = 1;
      }
    });
    slot.frames_read = frames_read;
    slot.ended = ended;
  };
  // Histories: the mix from frame mix_base, the stem sum from sum_base, both up to `read`.
  Planar mix(c), sum(c), residual(c);
  std::size_t mix_base = 0, sum_base = 0, read = 0, done = 0;
  std::vector<double> mix_energy(c, 0.0);
  const double delay = fit.alignment.offset_samples;
  const auto whole = static_cast<long>(std::floor(delay));
  const auto gain = static_cast<float>(fit.gain);
  const ShiftKernel kernel = shift_kernel(delay);
  StreamTotals totals;
  decode(slots[0]);
  for (std::size_t step = 0;; ++step) {
    const Slot& now = slots[step % 2];
    const std::vector<std::vector<float>>& decoded = now.decoded;
    const bool all_ended =
        std::all_of(now.ended.begin(), now.ended.end(), [](char e) { return e; });
    std::exception_ptr ahead_error;
    std::jthread ahead;
    if (!all_ended)
      ahead = std::jthread([&, step] {
        try {
          decode(slots[(step + 1) % 2]);
        } catch (...) {
          ahead_error = std::current_exception();
        }
      });
    const std::size_t mix_at = read - mix_base, sum_at = read - sum_base;
    for (std::size_t ch = 0; ch < c; ++ch) {
      mix[ch].resize(mix_at + block);
      sum[ch].resize(sum_at + block);
    }
    // Summed in the stems' order, so the sum is the same to the bit whatever the number of
    // workers (a true null stays exact); each worker takes a time slice.
    parallel_for(workers, [&](unsigned w) {
      const std::size_t from = block * w / workers, to = block * (w + 1) / workers;
      if (c == 2) {  // the usual case: each decoded block read once for both channels
        float *m0 = mix[0].data() + mix_at, *m1 = mix[1].data() + mix_at;
        float *s0 = sum[0].data() + sum_at, *s1 = sum[1].data() + sum_at;
        const float* d = decoded[0].data();
        for (std::size_t t = from; t < to; ++t) {
          m0[t] = d[2 * t];
          m1[t] = d[2 * t + 1];
        }
        // The first stem copied is 0 + it: the same sum, one pass fewer.
        d = decoded[1].data();
        for (std::size_t t = from; t < to; ++t) {
          s0[t] = d[2 * t];
          s1[t] = d[2 * t + 1];
        }
        for (std::size_t k = 2; k < n; ++k) {
          d = decoded[k].data();
          for (std::size_t t = from; t < to; ++t) {
            s0[t] += d[2 * t];
            s1[t] += d[2 * t + 1];
          }
        }
        return;
      }
      for (std::size_t ch = 0; ch < c; ++ch) {
        float* m = mix[ch].data() + mix_at;
        float* s = sum[ch].data() + sum_at;
        for (std::size_t t = from; t < to; ++t) m[t] = decoded[0][t * c + ch];
        for (std::size_t t = from; t < to; ++t) s[t] = decoded[1][t * c + ch];
        for (std::size_t k = 2; k < n; ++k)
          for (std::size_t t = from; t < to; ++t) s[t] += decoded[k][t * c + ch];
      }
    });
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t t = 0; t < block; ++t)
        mix_energy[ch] += static_cast<double>(mix[ch][mix_at + t]) * mix[ch][mix_at + t];
    read += block;
    totals.mix_frames = now.frames_read[0];
    totals.sum_frames = *std::max_element(now.frames_read.begin() + 1, now.frames_read.end());
    // The residual is ready up to where the shifted sum's interpolator has all its samples; past
    // the files' end everything is silence.
    const std::size_t total = std::max(totals.mix_frames, totals.sum_frames);
    const long reach = static_cast<long>(read) + whole - shift_reach;
    const std::size_t ready =
        all_ended ? total
                  : std::max(done, std::min(read, static_cast<std::size_t>(std::max(reach, 0L))));
    if (ready > done) {
      const std::size_t count = ready - done;
      for (auto& channel : residual) channel.resize(count);
      parallel_for(workers, [&](unsigned w) {
        const std::size_t from = count * w / workers, to = count * (w + 1) / workers;
        if (from == to) return;
        for (std::size_t ch = 0; ch < c; ++ch) {
          float* r = residual[ch].data() + from;
          shift(sum[ch], kernel, static_cast<long>(done + from) - static_cast<long>(sum_base),
                to - from, r);
          const float* m = mix[ch].data() + (done + from - mix_base);
          for (std::size_t i = 0; i < to - from; ++i) r[i] = m[i] - gain * r[i];
        }
      });
      std::vector<std::span<const float>> spans;
      for (const auto& channel : residual) spans.emplace_back(channel.data(), count);
      sink(spans);
      done = ready;
    }
    if (all_ended && done == total) break;
    if (ahead.joinable()) ahead.join();
    if (ahead_error) std::rethrow_exception(ahead_error);
    // Keep the mix from the next frame to judge, and the sum from where its interpolator reaches.
    drop_front(mix, done - mix_base);
    mix_base = done;
    const long keep = static_cast<long>(done) - whole - shift_reach;
    const std::size_t new_sum_base =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::max(keep, 0L)), sum_base, read);
    drop_front(sum, new_sum_base - sum_base);
    sum_base = new_sum_base;
  }
  totals.mix_rms_dbfs = minus_inf_db;
  for (double e : mix_energy)
    if (e > 0.0 && totals.mix_frames > 0)
      totals.mix_rms_dbfs = std::max(totals.mix_rms_dbfs,
                                     10.0 * std::log10(e / static_cast<double>(totals.mix_frames)));
  for (const AudioFileReader& f : files)
    if (f.non_finite()) totals.damaged.push_back(describe(f.path(), f.non_finite(), fit.rate));
  return totals;
}

detail::Aligned detail::aligned_residual(const std::string& mix_path,
                                         const std::vector<std::string>& stem_paths,
                                         double search_window_ms, std::size_t analysis_frames,
                                         std::size_t kept_frames) {
  Aligned out;
  out.fit = fit_stems(mix_path, stem_paths, search_window_ms, analysis_frames);
  out.residual.resize(static_cast<std::size_t>(out.fit.channels));
  out.totals = stream_residual(
      mix_path, stem_paths, out.fit, [&](const std::vector<std::span<const float>>& block) {
        for (std::size_t ch = 0; ch < block.size(); ++ch) {
          auto& kept = out.residual[ch];
          const std::size_t take = std::min(block[ch].size(), kept_frames - kept.size());
          kept.insert(kept.end(), block[ch].begin(),
                      block[ch].begin() + static_cast<std::ptrdiff_t>(take));
        }
      });
  return out;
}

}  // namespace routewise
