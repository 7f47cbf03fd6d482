// Null test of 16 stereo stems × 5 minutes against a mix: Routewise's null_test() against sox
// doing the same summing and residual (`sox -m` with per-input gains into `stat`), in one run.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "../tests/support/run_command.hpp"
#include "routewise/analysis/null_test.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/test_signal.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

namespace fs = std::filesystem;
constexpr int stem_count = 16;
constexpr double rate = 48000.0, seconds = 300.0;

struct Files {
  fs::path dir;
  std::string mix;
  std::vector<std::string> stems;
};

// 16 stereo pink-noise stems at −32 dBFS RMS; the mix is their sum plus a "missing reverb"
// (stem 3 again at −30 dB) so the residual is real and both tools have something to measure.
const Files& files() {
  static const Files f = [] {
    Files out;
    out.dir = fs::temp_directory_path() / "routewise_nulltest_bench";
    fs::create_directories(out.dir);
    const auto frames = static_cast<std::size_t>(rate * seconds);
    constexpr std::size_t chunk = 48000;
    std::vector<AudioFileWriter> stems;
    for (int s = 0; s < stem_count; ++s) {
      out.stems.push_back((out.dir / ("stem" + std::to_string(s) + ".wav")).string());
      stems.emplace_back(out.stems.back(), rate, 2);
    }
    out.mix = (out.dir / "mix.wav").string();
    AudioFileWriter mix(out.mix, rate, 2);
    std::vector<SignalGenerator> generators;
    for (int s = 0; s < stem_count * 2; ++s) {
      SignalSpec spec;
      spec.level_dbfs = -32.0;
      spec.seed = static_cast<std::uint32_t>(s + 1);
      generators.emplace_back(spec, rate);
    }
    std::vector<float> left(chunk), right(chunk), interleaved(chunk * 2), sum(chunk * 2);
    const auto extra = static_cast<float>(db_to_amplitude(-30.0));
    for (std::size_t done = 0; done < frames; done += chunk) {
      std::fill(sum.begin(), sum.end(), 0.0f);
      for (int s = 0; s < stem_count; ++s) {
        generators[2 * s].fill(left.data(), chunk);
        generators[2 * s + 1].fill(right.data(), chunk);
        const float gain = s == 3 ? 1.0f + extra : 1.0f;
        for (std::size_t i = 0; i < chunk; ++i) {
          interleaved[2 * i] = left[i];
          interleaved[2 * i + 1] = right[i];
          sum[2 * i] += gain * left[i];
          sum[2 * i + 1] += gain * right[i];
        }
        stems[s].write(interleaved.data(), chunk);
      }
      mix.write(sum.data(), chunk);
    }
    for (auto& s : stems) s.close();
    mix.close();
    return out;
  }();
  return f;
}

double number_after(const std::string& text, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(label + R"(:\s+(-?[0-9.e+-]+))"))) return NAN;
  return std::stod(m[1]);
}

void nulltest_vs_sox(benchmark::State& state) {
  const Files& f = files();
  double ours_s = 0.0, sox_s = 0.0, ours_rms = 0.0, ours_peak = 0.0, sox_rms = 0.0, sox_peak = 0.0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    const NullTestResult r = null_test(f.mix, f.stems);
    ours_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ours_rms = r.residual_rms_dbfs;
    ours_peak = r.residual_peak_dbfs;

    // The same job in sox: mix − Σ stems in one mixing pass, measured by `stat`. `stat` reports
    // RMS over both channels together; the comparison below uses each tool's own definition.
    std::string command = "sox -m -v 1 '" + f.mix + "'";
    for (const std::string& s : f.stems) command += " -v -1 '" + s + "'";
    command += " -n stat";
    start = std::chrono::steady_clock::now();
    const std::string output = testing::run_command(command).output;
    sox_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    sox_rms = amplitude_to_db(number_after(output, "RMS\\s+amplitude"));
    sox_peak = amplitude_to_db(std::max(std::fabs(number_after(output, "Maximum amplitude")),
                                        std::fabs(number_after(output, "Minimum amplitude"))));
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["routewise_s"] = ours_s / n;
  state.counters["sox_s"] = sox_s / n;
  state.counters["speedup"] = sox_s / ours_s;
  state.counters["rw_rms_dbfs"] = ours_rms;
  state.counters["sox_rms_dbfs"] = sox_rms;
  state.counters["rw_peak_dbfs"] = ours_peak;
  state.counters["sox_peak_dbfs"] = sox_peak;
  std::error_code ec;
  fs::remove_all(f.dir, ec);  // 2 GB of WAV files
}
BENCHMARK(nulltest_vs_sox)->Iterations(3)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace routewise

BENCHMARK_MAIN();
