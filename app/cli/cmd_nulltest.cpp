// routewise nulltest --mix MIX STEM...: do the stems sum to the mix, and what bleeds where?
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audio_format.hpp"
#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/analysis/null_test.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/render_session.hpp"

namespace routewise::cli {
namespace {

namespace fs = std::filesystem;

struct NullTestCliOptions {
  std::string mix;
  std::vector<std::string> stems;
  std::string sources;
  std::string session;
  double window_ms = 50.0;
  double threshold_dbfs = -60.0;
  double bleed_threshold_db = -60.0;
  std::string format = "text";
};

// Source files in a directory, named and grouped by the session's node with the same id or name.
std::vector<BleedInput> source_inputs(const std::string& dir, const RouteGraph* graph) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && has_audio_extension(entry.path().string()))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<BleedInput> inputs;
  for (const fs::path& file : files) {
    BleedInput input{file.stem().string(), "", file.string()};
    if (graph)
      for (const Node& node : graph->nodes)
        if (const auto stems = source_file_stems(node);
            std::find(stems.begin(), stems.end(), input.name) != stems.end()) {
          input.name = node.name;
          input.group = node.stem.value_or("");
          break;
        }
    inputs.push_back(input);
  }
  return inputs;
}

std::string verdict_text(const NullTestResult& r, double threshold) {
  if (!r.damaged.empty())
    return fmt::format("DOES NOT NULL ({} file{} with NaN or infinite samples, read as silence)",
                       r.damaged.size(), r.damaged.size() == 1 ? "" : "s");
  const std::string after = r.gain_db == 0.0 && !r.polarity_inverted
                                ? ""
                                : fmt::format(" after a {:+.2f} dB{} gain", r.gain_db,
                                              r.polarity_inverted ? ", inverted" : "");
  return r.nulls ? fmt::format("NULLS{} (residual peak {} dBFS < {} dBFS)", after,
                               db_text(r.residual_peak_dbfs, 1), db_text(threshold, 1))
                 : fmt::format("DOES NOT NULL{} (residual peak {} dBFS ≥ {} dBFS)", after,
                               db_text(r.residual_peak_dbfs, 1), db_text(threshold, 1));
}

void print_text(const NullTestCliOptions& o, const NullTestResult& r, const BleedReport* bleed) {
  std::cout << fmt::format("Null test: {} stem{} against {} ({:g} Hz, {} ch, {:.2f} s)\n",
                           o.stems.size(), o.stems.size() == 1 ? "" : "s", o.mix, r.sample_rate_hz,
                           r.channels, static_cast<double>(r.frames) / r.sample_rate_hz);
  std::cout << fmt::format(
      "  offset       the mix lags the stem sum by {:.3f} samples ({:.3f} ms), correlation "
      "{:.4f}\n",
      r.offset_samples, r.offset_samples * 1000.0 / r.sample_rate_hz, r.correlation);
  std::cout << fmt::format("  levels       mix RMS {} dBFS; residual peak {} dBFS, RMS {} dBFS\n",
                           db_text(r.mix_rms_dbfs, 1), db_text(r.residual_peak_dbfs, 1),
                           db_text(r.residual_rms_dbfs, 1));
  std::cout << "  octave bands";
  for (const BandLevel& b : r.bands)
    std::cout << fmt::format(" {:g} Hz {}", b.centre_hz, db_text(b.rms_dbfs, 1));
  std::cout << " (residual, dBFS RMS)\n";
  if (r.above_20k_rms_dbfs)
    std::cout << fmt::format(
        "  above 20 kHz residual RMS {} dBFS (inaudible; the verdict is on the band below)\n",
        db_text(*r.above_20k_rms_dbfs, 1));
  for (const std::string& note : r.notes) std::cout << "  note         " << note << "\n";
  for (const std::string& line : r.damaged) std::cout << "  damaged      " << line << "\n";
  std::cout << "  verdict      " << verdict_text(r, o.threshold_dbfs) << "\n";
  if (!bleed) return;
  for (const std::string& line : bleed->damaged)
    if (std::find(r.damaged.begin(), r.damaged.end(), line) == r.damaged.end())
      std::cout << "  damaged      " << line << "\n";
  std::cout << "\nBleed (each stem fitted as a least-squares mix of the " << bleed->sources.size()
            << " sources; gains in dB):\n";
  for (std::size_t row = 0; row < bleed->rows.size(); ++row) {
    std::vector<std::pair<double, std::string>> present;
    for (std::size_t j = 0; j < bleed->sources.size(); ++j)
      if (bleed->gain_db[row][j] > o.bleed_threshold_db)
        present.emplace_back(bleed->gain_db[row][j], bleed->sources[j]);
    std::sort(present.rbegin(), present.rend());
    std::cout << fmt::format("  {:<10} unexplained {} dB;", bleed->rows[row],
                             db_text(bleed->unexplained_db[row], 1));
    if (present.empty())
      std::cout << " no source above " << db_text(o.bleed_threshold_db, 0) << " dB";
    for (const auto& [gain, name] : present)
      std::cout << fmt::format(" {} {}", name, db_text(gain, 1));
    std::cout << "\n";
  }
  if (bleed->bleeds.empty()) {
    std::cout << "\nNo bleed: every stem holds only its own sources, and the mix nothing else.\n";
    return;
  }
  std::cout << "\n";
  for (const std::string& line : bleed_sentences(*bleed)) std::cout << "BLEED: " << line << "\n";
}

nlohmann::json to_json(const NullTestResult& r, const BleedReport* bleed) {
  nlohmann::json j = {{"sample_rate_hz", r.sample_rate_hz},
                      {"channels", r.channels},
                      {"frames", r.frames},
                      {"offset_samples", r.offset_samples},
                      {"correlation", r.correlation},
                      {"gain_db", r.gain_db},
                      {"polarity_inverted", r.polarity_inverted},
                      {"mix_rms_dbfs", json_db(r.mix_rms_dbfs)},
                      {"residual_peak_dbfs", json_db(r.residual_peak_dbfs)},
                      {"residual_rms_dbfs", json_db(r.residual_rms_dbfs)},
                      {"above_20k_rms_dbfs",
                       r.above_20k_rms_dbfs ? json_db(*r.above_20k_rms_dbfs) : nlohmann::json()},
                      {"nulls", r.nulls},
                      {"notes", r.notes},
                      {"damaged", r.damaged}};
  for (const BandLevel& b : r.bands)
    j["bands"].push_back({{"centre_hz", b.centre_hz}, {"rms_dbfs", json_db(b.rms_dbfs)}});
  if (bleed) {
    nlohmann::json matrix = nlohmann::json::array();
    for (std::size_t row = 0; row < bleed->rows.size(); ++row) {
      nlohmann::json gains = nlohmann::json::object();
      for (std::size_t s = 0; s < bleed->sources.size(); ++s)
        gains[bleed->sources[s]] = {{"gain_db", json_db(bleed->gain_db[row][s])},
                                    {"lag_samples", bleed->lag_samples[row][s]}};
      matrix.push_back({{"row", bleed->rows[row]},
                        {"unexplained_db", json_db(bleed->unexplained_db[row])},
                        {"sources", gains}});
    }
    j["bleed"]["matrix"] = matrix;
    j["bleed"]["bleeds"] = nlohmann::json::array();
    for (const auto& b : bleed->bleeds)
      j["bleed"]["bleeds"].push_back({{"row", b.row},
                                      {"source", b.source},
                                      {"gain_db", json_db(b.gain_db)},
                                      {"in_stems_extra", b.in_stems_extra}});
    j["bleed"]["damaged"] = bleed->damaged;
  }
  return j;
}

}  // namespace

void add_nulltest_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "nulltest",
      "Sum the stems, find the time offset to the mix (sub-sample), subtract, and report the\n"
      "residual (peak, RMS, octave bands) with a verdict. With --sources, also fit each stem as a\n"
      "least-squares mix of the per-track sources and report bleed: sources in a stem they do\n"
      "not belong to (groups from --session), and sources in the mix but in no stem.\n"
      "A file with NaN or infinite samples is named (how many, the first at which time), read as\n"
      "silence there, and never nulls.\n"
      "Exit code 0 when the stems null and nothing bleeds, 1 otherwise, 2 on input errors.");
  auto opts = std::make_shared<NullTestCliOptions>();
  cmd->add_option("--mix", opts->mix, "the exported mix")->required();
  cmd->add_option("STEM", opts->stems, "the exported stems (named by file name)")->required();
  cmd->add_option("--window", opts->window_ms, "offset search window, ± ms")
      ->check(CLI::Range(0.0, 10000.0))
      ->capture_default_str();
  cmd->add_option("--threshold", opts->threshold_dbfs, "a residual peak below this nulls (dBFS)")
      ->check(CLI::Range(-200.0, 0.0))
      ->capture_default_str();
  cmd->add_option("--sources", opts->sources, "directory of per-track source files (bleed)");
  cmd->add_option("--session", opts->session,
                  "session whose stem tags say which stem each source belongs to");
  cmd->add_option("--bleed-threshold", opts->bleed_threshold_db,
                  "off-group contributions above this are bleed (dB)")
      ->check(CLI::Range(-200.0, 0.0))
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opts, &exit_code] {
    exit_code = exit_input_error;
    std::optional<RouteGraph> graph;
    if (!opts->session.empty()) {
      graph = load_input(opts->session, std::cerr);
      if (!graph) return;
    }
    try {
      NullTestResult result =
          null_test(opts->mix, opts->stems, {opts->window_ms, opts->threshold_dbfs, 1 << 18});
      if (graph)
        for (std::string& line : explain_offset(*graph, result.offset_samples))
          result.notes.push_back(std::move(line));
      std::optional<BleedReport> bleed;
      if (!opts->sources.empty()) {
        std::vector<BleedInput> stems;
        for (const std::string& s : opts->stems)
          stems.push_back({fs::path(s).stem().string(), "", s});
        const auto sources = source_inputs(opts->sources, graph ? &*graph : nullptr);
        if (sources.empty()) {
          std::cerr << opts->sources << ": no .wav, .flac, .aif or .aiff files\n";
          return;
        }
        BleedOptions bo;
        bo.threshold_db = opts->bleed_threshold_db;
        bleed = attribute_bleed(stems, sources, opts->mix, bo);
      }
      if (opts->format == "json")
        std::cout << to_json(result, bleed ? &*bleed : nullptr).dump(2) << "\n";
      else
        print_text(*opts, result, bleed ? &*bleed : nullptr);
      const bool clean =
          result.nulls && (!bleed || (bleed->bleeds.empty() && bleed->damaged.empty()));
      exit_code = clean ? exit_ok : exit_findings;
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
    }
  });
}

}  // namespace routewise::cli
