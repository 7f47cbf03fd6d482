#pragma once
// Renders a session to audio files: the mix (master output), optionally one file per stem bus,
// and the generated per-track sources, each aligned to the timeline the way a DAW export is
// (the latency the DAW reports is removed; latency it does not know about stays).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routewise/audio/meter.hpp"
#include "routewise/audio/render_engine.hpp"
#include "routewise/audio/test_signal.hpp"

namespace routewise {

struct RenderRequest {
  std::string out_dir;
  std::optional<std::string> sources_dir;  // files named after node ids or names
  SignalSpec signal;                       // for sources without a file; level from the session
  std::optional<double> seconds;           // default: longest source file, or 30 s
  EngineSettings engine;
  bool stems = false;
  // Stems through the master's own gain (trim, polarity, plugin gains, fader, mute), as DAWs'
  // "stems via master" export offers, so that they sum to the mix a ridden master makes.
  bool stems_via_master = false;
  std::string extension = ".wav";  // .wav, .aiff or .flac
};

struct RenderedFile {
  std::string role;  // "mix", "stem" or "source"
  std::string name;  // stem name or node name
  std::string node_id;
  std::string path;
  double removed_latency_samples = 0.0;
  MeterReading reading{};
};

struct RenderSummary {
  std::vector<RenderedFile> files;
  std::size_t frames = 0;
  std::vector<std::string> notes;
  std::vector<std::string> damaged;  // source files with NaN or infinite samples (read as 0)
  bool cancelled = false;
};

// Throws std::invalid_argument (session cannot be rendered, bad request) or AudioFileError.
// `progress` receives the fraction done about ten times a second; when `stop` returns true the
// render ends early with complete (shorter) files and `cancelled` set.
RenderSummary render_session(const RouteGraph& graph, const RenderRequest& request,
                             const std::function<void(double)>& progress = {},
                             const std::function<bool()>& stop = {});

// A name made safe for a file: letters, digits, '-', '_' and '.'; everything else becomes '_'.
std::string file_safe(const std::string& name);

// The file names (without extension) a node's source file may have, in order of preference: its
// id, its name, its name made file-safe.
std::vector<std::string> source_file_stems(const Node& node);
// The audio file in `dir` with one of those names (.wav, .flac, .aif, .aiff), if there is one.
// Throws std::filesystem::filesystem_error when `dir` cannot be listed.
std::optional<std::filesystem::path> find_source_file(const std::filesystem::path& dir,
                                                      const Node& node);

}  // namespace routewise
