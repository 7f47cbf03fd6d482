// routewise meter FILE...: peak, RMS, true peak and loudness of audio files.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <vector>

#include "audio_format.hpp"
#include "commands.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/meter.hpp"
#include "table.hpp"
#include "terminal_text.hpp"

namespace routewise::cli {
namespace {

struct MeterOptions {
  std::vector<std::string> files;
  double rms_window_ms = 300.0;
  std::string format = "text";
};

struct MeteredFile {
  MeterReading reading;
  double sample_rate_hz;
  NonFiniteSamples non_finite;
};

MeteredFile meter_file(const std::string& path, double rms_window_ms) {
  AudioFileReader reader(path);
  const int channels = reader.info().channels;
  Meter meter({reader.info().sample_rate_hz, channels, rms_window_ms, true, true});
  constexpr std::size_t chunk = 4800;
  std::vector<float> interleaved(chunk * static_cast<std::size_t>(channels));
  std::vector<std::vector<float>> planar(channels, std::vector<float>(chunk));
  std::vector<const float*> pointers;
  for (const auto& p : planar) pointers.push_back(p.data());
  while (const std::size_t got = reader.read(interleaved.data(), chunk)) {
    for (std::size_t i = 0; i < got; ++i)
      for (int c = 0; c < channels; ++c) planar[c][i] = interleaved[i * channels + c];
    meter.add(pointers.data(), got);
  }
  return {meter.reading(), reader.info().sample_rate_hz, reader.non_finite()};
}

}  // namespace

void add_meter_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "meter",
      "Meter audio files: sample peak, RMS (whole file and loudest window), true peak (4x\n"
      "oversampled, BS.1770), momentary/short-term maximum and integrated loudness (LUFS) and\n"
      "loudness range (LU, EBU Tech 3342). Exit 1 when a file holds NaN or infinite samples\n"
      "(counted and named; the meters read the rest), 2 when one cannot be read.");
  auto opts = std::make_shared<MeterOptions>();
  cmd->add_option("FILE", opts->files, "WAV, AIFF or FLAC files")->required();
  cmd->add_option("--rms-window", opts->rms_window_ms, "RMS window in ms")
      ->check(CLI::Range(1.0, 60000.0))
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opts, &exit_code] {
    exit_code = exit_ok;
    Table table({"file", "seconds", "peak dBFS", "RMS dBFS", "max RMS dBFS", "true peak dBTP",
                 "M max", "S max", "LUFS-I", "LRA"});
    nlohmann::json json = nlohmann::json::array();
    for (const std::string& path : opts->files) {
      try {
        const MeteredFile metered = meter_file(path, opts->rms_window_ms);
        const MeterReading& r = metered.reading;
        const double seconds = static_cast<double>(r.frames) / metered.sample_rate_hz;
        if (metered.non_finite) {
          // Not silence, whatever the meters read: the file is damaged, and that is a finding.
          std::cerr << printable(describe(path, metered.non_finite, metered.sample_rate_hz))
                    << " (the readings are of the rest)\n";
          if (exit_code == exit_ok) exit_code = exit_findings;
        }
        if (const auto overs = describe_overs(r))
          std::cerr << "note: " << printable(path) << " peaks at " << *overs << "\n";
        table.add({path, fmt::format("{:.2f}", seconds), db_text(r.peak_dbfs), db_text(r.rms_dbfs),
                   db_text(r.max_rms_dbfs), db_text(r.true_peak_dbtp),
                   db_text(r.momentary_max_lufs), db_text(r.short_term_max_lufs),
                   db_text(r.integrated_lufs), db_text(r.loudness_range_lu)});
        json.push_back({{"file", path},
                        {"seconds", seconds},
                        {"peak_dbfs", json_db(r.peak_dbfs)},
                        {"rms_dbfs", json_db(r.rms_dbfs)},
                        {"max_rms_dbfs", json_db(r.max_rms_dbfs)},
                        {"true_peak_dbtp", json_db(r.true_peak_dbtp)},
                        {"momentary_max_lufs", json_db(r.momentary_max_lufs)},
                        {"short_term_max_lufs", json_db(r.short_term_max_lufs)},
                        {"integrated_lufs", json_db(r.integrated_lufs)},
                        {"loudness_range_lu", json_db(r.loudness_range_lu)},
                        {"non_finite_samples", metered.non_finite.count}});
      } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        exit_code = exit_input_error;
      }
    }
    std::cout << (opts->format == "json" ? json.dump(2) + "\n" : table.render());
  });
}

}  // namespace routewise::cli
