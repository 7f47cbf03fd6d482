// routewise render SESSION: the session rendered as audio by Routewise's engine, mix and stems.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "audio_format.hpp"
#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/render_session.hpp"
#include "stop_signal.hpp"
#include "table.hpp"

namespace routewise::cli {
namespace {

struct RenderOptions {
  std::string session;
  std::string out;
  std::string sources;
  std::string signal = "pink";
  double seconds = 0.0;
  double rate = 0.0;
  std::size_t block = 128;
  std::string pan_law = "-3";
  std::string format = "wav";
  bool stems = false;
  bool stems_via_master = false;
};

}  // namespace

void show_progress(const char* label, double fraction) {
  if (::isatty(STDERR_FILENO) != 1) return;
  std::cerr << fmt::format("\r{}: {:3.0f}%", label, fraction * 100.0)
            << (fraction >= 1.0 ? "\n" : "") << std::flush;
}

void add_render_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "render",
      "Render a session with Routewise's engine: sources (files or generated signals) through\n"
      "trim, plugin stand-ins (gain, latency), fader, pan, mute/solo, sends, inserts and delay\n"
      "compensation. Writes OUT/mix.wav, OUT/stems/STEM.wav (--stems) and the generated sources\n"
      "(OUT/sources/ID.wav), aligned to the timeline like a DAW export. Two stems whose file\n"
      "names meet get -2, -3, … (a note says so). A source file with NaN or infinite samples is\n"
      "rendered with silence there, named, and the exit code is 1; 0 otherwise, 2 on errors.");
  auto opts = std::make_shared<RenderOptions>();
  cmd->add_option("SESSION", opts->session, "route-map JSON or DAW session file")->required();
  cmd->add_option("--out", opts->out, "output directory (created when missing)")->required();
  cmd->add_option("--sources", opts->sources,
                  "directory of per-track recordings named by node id or name (.wav, .flac, "
                  ".aif); without it every track gets a generated signal");
  cmd->add_option("--signal", opts->signal,
                  "generated source signal: pink, white, sine[:HZ], impulse, mls[:ORDER], each "
                  "optionally @DBFS; a track's source level in the session wins")
      ->capture_default_str();
  cmd->add_option("--seconds", opts->seconds,
                  "length (default: the longest source file, or 30 s of generated signal)")
      ->check(CLI::Range(0.001, 86400.0));
  cmd->add_option("--rate", opts->rate, "sample rate in Hz (default: the session's)");
  cmd->add_option("--block", opts->block, "block size in samples (32..4096)")
      ->capture_default_str();
  cmd->add_option("--pan-law", opts->pan_law, "pan law for mono sources: -3, -6 or 0 dB")
      ->check(CLI::IsMember({"-3", "-6", "0"}))
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "audio file format")
      ->check(CLI::IsMember({"wav", "aiff", "flac"}))
      ->capture_default_str();
  cmd->add_flag("--stems", opts->stems, "also write one file per stem bus");
  cmd->add_flag("--stems-via-master", opts->stems_via_master,
                "stems through the master's gain (trim, polarity, plugins, fader), so that they "
                "sum to the mix a ridden master makes");
  cmd->callback([opts, &exit_code] {
    exit_code = exit_input_error;
    auto graph = load_input(opts->session, std::cerr);
    if (!graph) return;
    const ParsedSignal signal = parse_signal(opts->signal);
    if (!signal.spec) {
      std::cerr << "render: --signal: " << signal.error << "\n";
      return;
    }
    RenderRequest request;
    request.out_dir = opts->out;
    if (!opts->sources.empty()) request.sources_dir = opts->sources;
    request.signal = *signal.spec;
    if (opts->seconds > 0.0) request.seconds = opts->seconds;
    request.engine.sample_rate_hz = opts->rate > 0.0 ? opts->rate : graph->session.sample_rate_hz;
    request.engine.block_frames = opts->block;
    request.engine.pan_law = *pan_law_from_string(opts->pan_law);
    request.stems = opts->stems || opts->stems_via_master;
    request.stems_via_master = opts->stems_via_master;
    request.extension = "." + opts->format;
    install_stop_handlers();
    RenderSummary summary;
    try {
      summary = render_session(
          *graph, request, [](double f) { show_progress("render", f); }, stop_requested);
    } catch (const std::exception& e) {
      std::cerr << opts->session << ": " << e.what() << "\n";
      return;
    }
    for (const std::string& note : summary.notes) std::cerr << "note: " << note << "\n";
    for (const std::string& line : summary.damaged) std::cerr << "damaged: " << line << "\n";
    if (summary.cancelled) {
      std::cerr << "render: stopped; the files written so far are complete up to that point\n";
      return;
    }
    Table table({"file", "node", "latency removed", "peak dBFS", "RMS dBFS", "true peak dBTP",
                 "LUFS-I", "LRA"});
    std::size_t sources = 0;
    for (const RenderedFile& f : summary.files) {
      if (f.role == "source") {
        ++sources;
        continue;
      }
      table.add({f.path, f.name, fmt::format("{:g}", f.removed_latency_samples),
                 db_text(f.reading.peak_dbfs), db_text(f.reading.rms_dbfs),
                 db_text(f.reading.true_peak_dbtp), db_text(f.reading.integrated_lufs),
                 db_text(f.reading.loudness_range_lu)});
    }
    std::cout << fmt::format("Rendered {:.1f} s at {:g} Hz, {}-sample blocks",
                             static_cast<double>(summary.frames) / request.engine.sample_rate_hz,
                             request.engine.sample_rate_hz, request.engine.block_frames);
    if (sources > 0)
      std::cout << fmt::format("; {} generated sources in {}/sources", sources, opts->out);
    std::cout << "\n\n" << table.render();
    // The files are complete, but what they hold is not what the sources should have given.
    exit_code = summary.damaged.empty() ? exit_ok : exit_findings;
  });
}

}  // namespace routewise::cli
