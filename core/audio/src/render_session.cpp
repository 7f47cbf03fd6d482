#include "routewise/audio/render_session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>

#include "routewise/audio/audio_file.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

namespace fs = std::filesystem;

struct Source {
  NodeIndex node;
  std::optional<AudioData> file;            // when read from --sources
  std::vector<SignalGenerator> generators;  // otherwise, one per channel
  std::unique_ptr<AudioFileWriter> writer;  // generated sources are written out
};

struct Export {
  RenderedFile file;
  NodeIndex node;
  float gain = 1.0f;     // the master's, for stems via master
  std::size_t skip = 0;  // reported latency removed from the start
  std::size_t written = 0;
  std::unique_ptr<AudioFileWriter> writer;
  std::unique_ptr<Meter> meter;
};

// File names already given out in one folder, compared without case because macOS and Windows
// volumes do: two stems whose file-safe names meet ("Drums 1", "Drums?1", "drums_1") would
// otherwise overwrite each other's file.
class UniqueNames {
 public:
  // `wanted`, or `wanted-2`, `wanted-3`, … when it is taken; a note says so.
  std::string take(const std::string& wanted, const std::string& what,
                   std::vector<std::string>& notes) {
    std::string name = wanted;
    for (int n = 2; !used_.insert(folded(name)).second; ++n)
      name = wanted + "-" + std::to_string(n);
    if (name != wanted)
      notes.push_back(what + " is written as '" + name + "': its file-safe name '" + wanted +
                      "' is already taken");
    return name;
  }

 private:
  static std::string folded(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  std::set<std::string> used_;
};

}  // namespace

std::optional<fs::path> find_source_file(const fs::path& dir, const Node& node) {
  for (const std::string& stem : source_file_stems(node))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().stem() == stem &&
          has_audio_extension(entry.path().string()))
        return entry.path();
  return std::nullopt;
}

std::vector<std::string> source_file_stems(const Node& node) {
  return {node.id, node.name, file_safe(node.name)};
}

std::string file_safe(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
  return out.empty() ? "_" : out;
}

RenderSummary render_session(const RouteGraph& graph, const RenderRequest& request,
                             const std::function<void(double)>& progress,
                             const std::function<bool()>& stop) {
  if (request.seconds && !(*request.seconds > 0.0 && *request.seconds <= 24 * 3600.0))
    throw std::invalid_argument("render length must be more than 0 s and at most 24 h");
  const fs::path out_dir(request.out_dir);
  RenderSummary summary;
  // What is written out: the (first) master and, on request, every stem bus. Only these are
  // observed; the rest of the session renders in shared scratch.
  struct Planned {
    std::string role, name, node_id;
    fs::path path;
  };
  std::vector<Planned> planned;
  const auto master = std::find_if(graph.nodes.begin(), graph.nodes.end(),
                                   [](const Node& n) { return n.kind == NodeKind::master; });
  if (master == graph.nodes.end())
    throw std::invalid_argument("the session has no master node to render the mix from");
  planned.push_back({"mix", master->name, master->id, out_dir / ("mix" + request.extension)});
  UniqueNames stem_names, source_names;
  if (request.stems) {
    if (graph.session.stems.empty()) summary.notes.emplace_back("the session defines no stems");
    for (const auto& [stem, bus] : graph.session.stems) {
      const bool exists = std::any_of(graph.nodes.begin(), graph.nodes.end(),
                                      [&bus = bus](const Node& n) { return n.id == bus; });
      if (!exists) {
        summary.notes.push_back("stem '" + stem + "' names bus '" + bus +
                                "', which does not exist");
        continue;
      }
      const std::string name =
          stem_names.take(file_safe(stem), "stem '" + stem + "'", summary.notes);
      planned.push_back({"stem", stem, bus, out_dir / "stems" / (name + request.extension)});
    }
  }
  std::vector<std::string> exported;
  for (const Planned& p : planned) exported.push_back(p.node_id);
  RenderEngine engine(graph, request.engine, exported);
  const double rate = request.engine.sample_rate_hz;
  const std::size_t block = request.engine.block_frames;

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw std::invalid_argument(out_dir.string() + ": cannot be created: " + ec.message());
  if (request.stems) fs::create_directories(out_dir / "stems", ec);

  // Sources: a file per node when the user gave a directory, otherwise a generated signal.
  std::vector<Source> sources;
  std::size_t longest_file = 0;
  std::vector<std::string> missing;
  for (NodeIndex n = 0; n < graph.nodes.size(); ++n) {
    if (!engine.source(n, 0)) continue;
    const Node& node = graph.nodes[n];
    Source source{n, std::nullopt, {}, nullptr};
    if (request.sources_dir) {
      if (auto path = find_source_file(*request.sources_dir, node)) {
        source.file = read_audio_file(path->string());
        if (source.file->non_finite)
          summary.damaged.push_back(describe(path->string(), source.file->non_finite, rate));
        if (source.file->sample_rate_hz != rate)
          throw std::invalid_argument(path->string() + ": sample rate " +
                                      std::to_string(source.file->sample_rate_hz) +
                                      " Hz differs from the render rate " + std::to_string(rate) +
                                      " Hz (resample it first)");
        longest_file = std::max(longest_file, source.file->frames());
        sources.push_back(std::move(source));
      } else if (node.kind == NodeKind::track) {
        missing.push_back(node.name);
      }
      continue;
    }
    if (node.kind != NodeKind::track && node.kind != NodeKind::hardware_input) continue;
    const int channels = engine.channel_count(n);
    for (int c = 0; c < channels; ++c) {
      SignalSpec spec = request.signal;
      if (node.source.average_dbfs && spec.kind != SignalKind::impulse)
        spec.level_dbfs = *node.source.average_dbfs;
      spec.seed =
          request.signal.seed + static_cast<std::uint32_t>(n) * 16u + static_cast<std::uint32_t>(c);
      source.generators.emplace_back(spec, rate);
    }
    fs::create_directories(out_dir / "sources", ec);
    const std::string name =
        source_names.take(file_safe(node.id), "the source of '" + node.name + "'", summary.notes);
    const std::string path = (out_dir / "sources" / (name + request.extension)).string();
    source.writer = std::make_unique<AudioFileWriter>(path, rate, channels);
    summary.files.push_back({"source", node.name, node.id, path, 0.0, {}});
    sources.push_back(std::move(source));
  }
  if (request.sources_dir && sources.empty())
    throw std::invalid_argument(*request.sources_dir +
                                ": no source file matches any track (files are looked up by node "
                                "id or name, with .wav, .flac, .aif or .aiff)");
  if (!missing.empty()) {
    std::string text =
        "no source file for " + std::to_string(missing.size()) + " track(s), rendered silent:";
    for (const auto& m : missing) text += " '" + m + "'";
    summary.notes.push_back(text);
  }

  // The master's own gain, as the engine applies it to what the master sums.
  const float master_own_gain = engine.own_gain(*engine.find(master->id));
  const double master_gain_db = amplitude_to_db(std::fabs(master_own_gain));
  const double master_gain = master->mute ? 0.0 : master_own_gain;
  if (request.stems && master_gain != 1.0) {
    char figure[64];
    std::snprintf(figure, sizeof figure, "%+.2f dB%s", master_gain_db,
                  master->polarity_inverted ? ", inverted" : "");
    summary.notes.push_back(request.stems_via_master
                                ? std::string("stems go through the master's gain (") + figure +
                                      (master->mute ? ", muted" : "") + "), so they sum to the mix"
                                : std::string("stems are taken before the master, whose gain (") +
                                      figure + (master->mute ? ", muted" : "") +
                                      ") is in the mix only; --stems-via-master puts it in them");
  }
  std::vector<Export> exports;
  for (const Planned& p : planned) {
    Export e;
    if (p.role == "stem" && request.stems_via_master) e.gain = static_cast<float>(master_gain);
    e.node = *engine.find(p.node_id);
    e.skip = static_cast<std::size_t>(std::llround(engine.reported_latency_samples(e.node)));
    e.file = {p.role, p.name, p.node_id, p.path.string(), static_cast<double>(e.skip), {}};
    const int channels = engine.channel_count(e.node);
    e.writer = std::make_unique<AudioFileWriter>(e.file.path, rate, channels);
    e.meter = std::make_unique<Meter>(MeterSettings{rate, channels, 300.0, true, true});
    exports.push_back(std::move(e));
  }

  const std::size_t frames = request.seconds
                                 ? static_cast<std::size_t>(std::llround(*request.seconds * rate))
                             : longest_file > 0 ? longest_file
                                                : static_cast<std::size_t>(30.0 * rate);
  std::size_t max_skip = 0;
  for (const Export& e : exports) max_skip = std::max(max_skip, e.skip);
  const std::size_t total = frames + max_skip;
  summary.frames = frames;

  std::vector<float> interleaved(block * 2);
  std::vector<float> scaled[2];
  auto last_report = std::chrono::steady_clock::now();
  for (std::size_t done = 0; done < total; done += block) {
    if (stop && stop()) {
      summary.cancelled = true;
      break;
    }
    const std::size_t n = std::min(block, total - done);
    for (Source& s : sources) {
      const int channels = engine.channel_count(s.node);
      for (int c = 0; c < channels; ++c) {
        float* dst = engine.source(s.node, c);
        if (s.file) {
          const auto& data = *s.file;
          const auto& channel = data.channels[std::min<std::size_t>(c, data.channels.size() - 1)];
          for (std::size_t i = 0; i < n; ++i) {
            const std::size_t t = done + i;
            float v = t < channel.size() ? channel[t] : 0.0f;
            // A stereo file feeding a mono track is folded to mono.
            if (channels == 1 && data.channels.size() == 2)
              v = 0.5f * (v + (t < data.channels[1].size() ? data.channels[1][t] : 0.0f));
            dst[i] = v;
          }
        } else if (done < frames) {
          s.generators[c].fill(dst, std::min(n, frames - done));
          std::fill(dst + std::min(n, frames - done), dst + n, 0.0f);
        } else {
          std::fill(dst, dst + n, 0.0f);
        }
      }
      if (s.writer && done < frames) {
        const std::size_t m = std::min(n, frames - done);
        for (std::size_t i = 0; i < m; ++i)
          for (int c = 0; c < channels; ++c)
            interleaved[i * channels + c] = engine.source(s.node, c)[i];
        s.writer->write(interleaved.data(), m);
      }
    }
    engine.process(n);
    for (Export& e : exports) {
      // Drop the first `skip` frames so every export lines up with the timeline.
      const std::size_t begin = e.skip > done ? std::min(n, e.skip - done) : 0;
      const std::size_t count = std::min(n - begin, frames - e.written);
      if (count == 0) continue;
      const int channels = engine.channel_count(e.node);
      const float* planar[2] = {engine.output(e.node, 0) + begin,
                                engine.output(e.node, channels - 1) + begin};
      if (e.gain != 1.0f) {  // a stem via the master: scaled here, metered as written
        for (int c = 0; c < channels; ++c) {
          scaled[c].resize(count);
          for (std::size_t i = 0; i < count; ++i) scaled[c][i] = e.gain * planar[c][i];
          planar[c] = scaled[c].data();
        }
      }
      for (std::size_t i = 0; i < count; ++i)
        for (int c = 0; c < channels; ++c) interleaved[i * channels + c] = planar[c][i];
      e.writer->write(interleaved.data(), count);
      e.meter->add(planar, count);
      e.written += count;
    }
    if (progress &&
        std::chrono::steady_clock::now() - last_report > std::chrono::milliseconds(100)) {
      last_report = std::chrono::steady_clock::now();
      progress(static_cast<double>(done) / static_cast<double>(total));
    }
  }
  for (Source& s : sources)
    if (s.writer) s.writer->close();
  for (Export& e : exports) {
    e.writer->close();
    e.file.reading = e.meter->reading();
    if (e.file.role == "mix")
      if (const auto overs = describe_overs(e.file.reading))
        summary.notes.push_back("the mix peaks at " + *overs);
    if (e.file.reading.peak_dbfs > 0.0 && request.extension == ".flac")
      summary.notes.push_back(e.file.path + " peaks at +" +
                              std::to_string(e.file.reading.peak_dbfs).substr(0, 4) +
                              " dBFS and FLAC holds integers: it is clipped there (WAV and AIFF "
                              "are written as float and keep the overs)");
    summary.files.push_back(e.file);
  }
  if (progress) progress(1.0);
  return summary;
}

}  // namespace routewise
