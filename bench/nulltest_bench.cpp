// Null test of 16 stereo stems × 5 minutes against a mix, in the formats studios export (32-bit
// float WAV, 24-bit WAV, 24-bit FLAC): Routewise's null_test() against sox doing the same summing
// and residual (`sox -m` with per-input gains into `stat`), in one run, with each one's peak
// memory; beside them the bound, libsndfile decoding the same files once. Then the bounded-memory
// run: 16 stereo stems × 3 hours. ROUTEWISE_BENCH_KEEP_FILES=1 keeps the files (for profiling).
#include <benchmark/benchmark.h>
#include <sndfile.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "routewise/analysis/null_test.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/test_signal.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

namespace fs = std::filesystem;
constexpr int stem_count = 16;
constexpr double rate = 48000.0;

struct Format {
  const char* name;
  const char* extension;
  AudioEncoding encoding;
};
constexpr Format formats[] = {{"wav_float32", ".wav", AudioEncoding::float32},
                              {"wav_pcm24", ".wav", AudioEncoding::pcm24},
                              {"flac_pcm24", ".flac", AudioEncoding::pcm24}};

struct Files {
  fs::path dir;
  std::string mix;
  std::vector<std::string> stems;
  ~Files() {
    std::error_code ec;
    if (!std::getenv("ROUTEWISE_BENCH_KEEP_FILES")) fs::remove_all(dir, ec);  // gigabytes of audio
  }
};

// 16 stereo pink-noise stems at −32 dBFS RMS; the mix is their sum plus a "missing reverb"
// (stem 3 again at −30 dB) so the residual is real and both tools have something to measure.
// With `burst_s`, each minute holds only that many seconds of noise and silence after it (the
// three-hour set, which would not fit on disk as dense FLAC).
Files write_files(const Format& format, double seconds, double burst_s = 0.0) {
  Files out;
  out.dir = fs::temp_directory_path() / (std::string("routewise_nulltest_bench_") + format.name);
  fs::remove_all(out.dir);
  fs::create_directories(out.dir);
  const auto frames = static_cast<std::size_t>(rate * seconds);
  constexpr std::size_t chunk = 48000;  // one second
  std::vector<AudioFileWriter> stems;
  for (int s = 0; s < stem_count; ++s) {
    out.stems.push_back((out.dir / ("stem" + std::to_string(s) + format.extension)).string());
    stems.emplace_back(out.stems.back(), rate, 2, format.encoding);
  }
  out.mix = (out.dir / (std::string("mix") + format.extension)).string();
  AudioFileWriter mix(out.mix, rate, 2, format.encoding);
  std::vector<SignalGenerator> generators;
  for (int s = 0; s < stem_count * 2; ++s) {
    SignalSpec spec;
    spec.level_dbfs = -32.0;
    spec.seed = static_cast<std::uint32_t>(s + 1);
    generators.emplace_back(spec, rate);
  }
  std::vector<float> left(chunk), right(chunk), interleaved(chunk * 2), sum(chunk * 2);
  const auto extra = static_cast<float>(db_to_amplitude(-30.0));
  for (std::size_t done = 0, second = 0; done < frames; done += chunk, ++second) {
    const bool silent = burst_s > 0.0 && static_cast<double>(second % 60) >= burst_s;
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int s = 0; s < stem_count; ++s) {
      if (silent) {
        std::fill(interleaved.begin(), interleaved.end(), 0.0f);
        stems[s].write(interleaved.data(), chunk);
        continue;
      }
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
}

// What a child process took: wall-clock seconds and peak resident memory.
struct ChildRun {
  double seconds = 0.0;
  double peak_rss_mb = 0.0;
  std::string output;
};

ChildRun wait_child(pid_t pid, int read_fd, std::chrono::steady_clock::time_point start) {
  ChildRun run;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(read_fd, buffer, sizeof buffer)) > 0)
    run.output.append(buffer, static_cast<std::size_t>(n));
  ::close(read_fd);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // reported in KiB
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) run.output = "failed: " + run.output;
  return run;
}

// Routewise's null test in a child of its own, so its peak memory is its own; the child writes
// "rms peak" to the pipe.
ChildRun run_routewise(const Files& f) {
  int fds[2];
  if (::pipe(fds) != 0) return {0.0, 0.0, "failed: pipe"};
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    try {
      const NullTestResult r = null_test(f.mix, f.stems);
      char line[128];
      const int len = std::snprintf(line, sizeof line, "%.4f %.4f\n", r.residual_rms_dbfs,
                                    r.residual_peak_dbfs);
      if (::write(fds[1], line, static_cast<std::size_t>(len)) != len) code = 1;
    } catch (const std::exception& e) {
      (void)!::write(fds[1], e.what(), std::strlen(e.what()));
      code = 1;
    }
    ::_exit(code);
  }
  ::close(fds[1]);
  return wait_child(pid, fds[0], start);
}

// sox: mix − Σ stems in one mixing pass, measured by `stat` (which writes to stderr).
ChildRun run_sox(const Files& f) {
  std::vector<std::string> args = {"sox", "-m", "-v", "1", f.mix};
  for (const std::string& s : f.stems) args.insert(args.end(), {"-v", "-1", s});
  args.insert(args.end(), {"-n", "stat"});
  int fds[2];
  if (::pipe(fds) != 0) return {0.0, 0.0, "failed: pipe"};
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDERR_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp("sox", argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return wait_child(pid, fds[0], start);
}

double number_after(const std::string& text, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(label + R"(:\s+(-?[0-9.e+-]+))"))) return NAN;
  return std::stod(m[1]);
}

// libsndfile alone reading every file once into floats: on one core, and the files spread over
// all cores (the bound for any tool that must decode them).
double decode_once(const Files& f, unsigned threads) {
  std::vector<std::string> all = f.stems;
  all.push_back(f.mix);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<float> buffer(65536 * 2);
      for (std::size_t k = t; k < all.size(); k += threads) {
        SF_INFO info{};
        SNDFILE* file = sf_open(all[k].c_str(), SFM_READ, &info);
        if (!file) continue;
        while (sf_readf_float(file, buffer.data(), 65536) > 0) {
        }
        sf_close(file);
      }
    });
  pool.clear();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void nulltest_vs_sox(benchmark::State& state) {
  const Format& format = formats[state.range(0)];
  state.SetLabel(format.name);
  const Files f = write_files(format, 300.0);
  double ours_s = 0.0, sox_s = 0.0, ours_rss = 0.0, sox_rss = 0.0;
  double ours_rms = NAN, ours_peak = NAN, sox_rms = NAN, sox_peak = NAN;
  for (auto _ : state) {
    const ChildRun ours = run_routewise(f);
    if (ours.output.starts_with("failed")) {
      state.SkipWithError(ours.output.c_str());
      return;
    }
    ours_s += ours.seconds;
    ours_rss = std::max(ours_rss, ours.peak_rss_mb);
    std::sscanf(ours.output.c_str(), "%lf %lf", &ours_rms, &ours_peak);
    const ChildRun sox = run_sox(f);
    sox_s += sox.seconds;
    sox_rss = std::max(sox_rss, sox.peak_rss_mb);
    // `stat` reports RMS over both channels together; equal levels make it comparable.
    sox_rms = amplitude_to_db(number_after(sox.output, "RMS\\s+amplitude"));
    sox_peak = amplitude_to_db(std::max(std::fabs(number_after(sox.output, "Maximum amplitude")),
                                        std::fabs(number_after(sox.output, "Minimum amplitude"))));
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["routewise_s"] = ours_s / n;
  state.counters["sox_s"] = sox_s / n;
  state.counters["speedup"] = sox_s / ours_s;
  state.counters["rw_rss_mb"] = ours_rss;
  state.counters["sox_rss_mb"] = sox_rss;
  state.counters["decode_1core_s"] = decode_once(f, 1);
  state.counters["decode_all_cores_s"] =
      decode_once(f, std::max(1u, std::thread::hardware_concurrency()));
  state.counters["rw_rms_dbfs"] = ours_rms;
  state.counters["sox_rms_dbfs"] = sox_rms;
  state.counters["rw_peak_dbfs"] = ours_peak;
  state.counters["sox_peak_dbfs"] = sox_peak;
}
BENCHMARK(nulltest_vs_sox)
    ->DenseRange(0, 2)
    ->ArgName("format")
    ->Iterations(3)
    ->Unit(benchmark::kSecond);

// 16 stereo stems × 3 hours (FLAC, 24-bit): what a film reel or a live set exports. Memory must
// stay bounded (target: peak RSS < 512 MB) whatever the length.
void nulltest_three_hours(benchmark::State& state) {
  const Files f = write_files(formats[2], 3.0 * 3600.0, 1.0);
  ChildRun ours;
  for (auto _ : state) {
    ours = run_routewise(f);
    if (ours.output.starts_with("failed")) {
      state.SkipWithError(ours.output.c_str());
      return;
    }
  }
  double rms = NAN, peak = NAN;
  std::sscanf(ours.output.c_str(), "%lf %lf", &rms, &peak);
  state.counters["routewise_s"] = ours.seconds;
  state.counters["rw_rss_mb"] = ours.peak_rss_mb;
  state.counters["rw_rms_dbfs"] = rms;
  state.counters["rw_peak_dbfs"] = peak;
}
BENCHMARK(nulltest_three_hours)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace routewise

BENCHMARK_MAIN();
