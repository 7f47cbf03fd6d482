// REAPER .RPP: tracks, folders as buses, master send, receives (sends), hardware outputs, FX
// chains.
#include <fmt/format.h>

#include <algorithm>

#include <charconv>
#include <map>

#include "import_support.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"
#include "rpp_tokenizer.hpp"

namespace routewise {
namespace {

using import::gain_to_db;
using import::RppLine;

constexpr std::size_t max_chunk_depth = 256;

double number(const std::vector<std::string>& t, std::size_t i, double fallback = 0) {
  if (i >= t.size()) return fallback;
  double v = fallback;
  const auto& s = t[i];
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && std::isfinite(v) ? v : fallback;
}

struct Receive {
  std::size_t line;
  long source;  // 0-based track index
  int mode;
  double volume, pan;
  bool mute;
  long source_channel, dest_channel;  // REAPER's I_SRCCHAN and I_DSTCHAN, undecoded
};

// I_SRCCHAN: -1 for no audio (a MIDI-only receive); the low 10 bits are the first channel and
// the bits above the width (0 stereo, 1 mono, n > 1: 2n channels). I_DSTCHAN: the low 10 bits
// are the first channel, 1024 mixes the source down to mono there.
struct ReceiveChannels {
  bool audio = true;
  long first = 0;  // 0-based, at the destination
  long count = 2;
};

ReceiveChannels receive_channels(long source_channel, long dest_channel) {
  if (source_channel < 0) return {false, 0, 0};
  const long width_code = source_channel >> 10;
  const long width = width_code == 0 ? 2 : width_code == 1 ? 1 : 2 * width_code;
  return {true, dest_channel < 0 ? 0 : dest_channel & 1023,
          dest_channel >= 0 && (dest_channel & 1024) ? 1 : width};
}

// "channel 4", "channels 3/4", "channels 1-6" (1-based, as REAPER's routing window shows them).
std::string channels_text(const ReceiveChannels& c) {
  if (c.count == 1) return fmt::format("channel {}", c.first + 1);
  if (c.count == 2) return fmt::format("channels {}/{}", c.first + 1, c.first + 2);
  return fmt::format("channels {}-{}", c.first + 1, c.first + c.count);
}

// REAPER names instruments "VSTi: …", "VST3i: …", "AUi: …", "CLAPi: …", "LV2i: …", "DXi: …".
bool is_instrument(const std::string& name) {
  for (std::string_view prefix : {"VSTi:", "VST3i:", "AUi:", "CLAPi:", "LV2i:", "DXi:"})
    if (name.starts_with(prefix)) return true;
  return false;
}

// Plugins whose auxiliary inputs are a detector's: dynamics, and the few others built around a
// key (vocoders, duckers). Matched in the name, as the file keeps no pin roles.
bool listens_to_a_key(const std::string& name) {
  if (is_instrument(name)) return false;
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word :
       {"comp", "gate", "limit", "duck", "expand", "de-ess", "deess", "sidechain", "side-chain",
        "vocod", "dynamic", "pumper", "volume shaper"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

struct HwOut {
  std::size_t line;
  long output;
  int mode;
  double volume, pan;
  bool mute;
};

struct RppTrack {
  std::size_t line = 0;
  std::string name, guid;
  double volume = 1, pan = 0;
  bool mute = false, solo = false, phase = false, has_items = false;
  int channels = 2;
  int folder = 0, folder_delta = 0;
  bool main_send = true;
  std::vector<Receive> receives;
  std::vector<HwOut> hw_outs;
  std::vector<Plugin> plugins;
};

struct RppProject {
  double sample_rate = 0;
  std::optional<double> tempo;
  std::string version;
  double master_volume = 1, master_pan = 0;
  bool master_mute = false;
  int master_channels = 2;
  std::vector<HwOut> master_hw_outs;
  std::vector<Plugin> master_plugins;
  std::vector<RppTrack> tracks;
  std::vector<std::size_t> bare_hw_outs;  // lines of HWOUT/MASTERHWOUT naming no output
};

HwOut parse_hwout(const RppLine& l) {
  const auto& t = l.tokens;
  return {l.number,
          static_cast<long>(number(t, 1, 0)),
          static_cast<int>(number(t, 2, 0)),
          number(t, 3, 1),
          number(t, 4, 0),
          number(t, 5, 0) != 0};
}

// Plugin chunk names: VST, VST3 (stored as VST), JS, AU, CLAP, DX, LV2, VIDEO_EFFECT.
bool is_plugin_chunk(const std::string& name) {
  return name == "VST" || name == "JS" || name == "AU" || name == "CLAP" || name == "DX" ||
         name == "LV2" || name == "VIDEO_EFFECT" || name == "VST3";
}

std::string plugin_name(const RppLine& l) {
  const std::string& kind = l.tokens[0];
  const std::string arg = l.tokens.size() > 1 ? l.tokens[1] : "";
  if (kind == "JS") return "JS: " + arg;
  if (kind == "VIDEO_EFFECT") return "Video processor";
  return arg.empty() ? kind : arg;  // "VST: ReaComp (Cockos)", "AU: ...", "CLAP: ..."
}

class Parser {
 public:
  explicit Parser(Diagnostics& d) : d_(d) {}

  void line(const RppLine& l) {
    if (failed_) return;
    switch (l.type) {
      case RppLine::Type::open:
        return open(l);
      case RppLine::Type::close:
        return close(l);
      case RppLine::Type::key:
        return key(l);
    }
  }

  bool finish(std::size_t last_line) {
    if (failed_) return false;
    if (stack_.empty() && !closed_project_) {
      error("line 1", "not a REAPER project (no <REAPER_PROJECT chunk)");
      return false;
    }
    if (!stack_.empty()) {
      error(fmt::format("line {}", last_line),
            fmt::format("file ends inside <{} opened at line {} (truncated?)", stack_.back().name,
                        stack_.back().line));
      return false;
    }
    return true;
  }

  RppProject project;

 private:
  struct Open {
    std::string name;
    std::size_t line;
  };

  void error(std::string where, std::string message) {
    d_.errors.push_back({std::move(where), std::move(message)});
    failed_ = true;
  }

  std::string path() const {
    std::string p;
    for (const Open& o : stack_) p += (p.empty() ? "" : "/") + o.name;
    return p;
  }

  void open(const RppLine& l) {
    if (l.tokens.empty()) return error(fmt::format("line {}", l.number), "chunk without a name");
    if (closed_project_)
      return error(fmt::format("line {}", l.number), "content after the end of the project");
    if (stack_.size() >= max_chunk_depth)
      return error(fmt::format("line {}", l.number),
                   fmt::format("chunks nested deeper than {}", max_chunk_depth));
    const std::string& name = l.tokens[0];
    if (stack_.empty() && name != "REAPER_PROJECT")
      return error(fmt::format("line {}", l.number),
                   "not a REAPER project (first chunk is <" + name + ")");
    if (stack_.empty() && l.tokens.size() > 2) project.version = l.tokens[2];
    stack_.push_back({name, l.number});
    const std::size_t depth = stack_.size();
    if (depth == 2 && name == "TRACK") {
      if (project.tracks.size() >= max_graph_nodes)
        return error(fmt::format("line {}", l.number),
                     import::too_many("tracks", max_graph_nodes, "nodes"));
      project.tracks.emplace_back();
      project.tracks.back().line = l.number;
      if (l.tokens.size() > 1) project.tracks.back().guid = l.tokens[1];
    } else if (depth == 3 && name == "ITEM" && in_track()) {
      project.tracks.back().has_items = true;
    } else if (is_plugin_chunk(name) && depth >= 3) {
      const std::string& parent = stack_[depth - 2].name;
      Plugin p;
      p.name = plugin_name(l);
      p.bypassed = pending_bypass_;
      pending_bypass_ = false;
      if (parent == "FXCHAIN" && depth == 4 && stack_[1].name == "TRACK")
        project.tracks.back().plugins.push_back(p);
      else if (parent == "MASTERFXLIST" && depth == 3)
        project.master_plugins.push_back(p);
    }
  }

  void close(const RppLine& l) {
    if (stack_.empty())
      return error(fmt::format("line {}", l.number), "'>' without an open chunk (unbalanced)");
    stack_.pop_back();
    if (stack_.empty()) closed_project_ = true;
  }

  bool in_track() const { return stack_.size() >= 2 && stack_[1].name == "TRACK"; }

  void key(const RppLine& l) {
    if (stack_.empty()) {
      if (closed_project_) return;
      return error(fmt::format("line {}", l.number),
                   "not a REAPER project (text before <REAPER_PROJECT)");
    }
    const std::size_t depth = stack_.size();
    const auto& t = l.tokens;
    const std::string& k = t[0];
    if (depth == 1) return project_key(l);
    if (depth == 2 && stack_[1].name == "TRACK") return track_key(l);
    if (k == "BYPASS" && (stack_.back().name == "FXCHAIN" || stack_.back().name == "MASTERFXLIST"))
      pending_bypass_ = number(t, 1) != 0;
  }

  void project_key(const RppLine& l) {
    const auto& t = l.tokens;
    const std::string& k = t[0];
    if (k == "SAMPLERATE")
      project.sample_rate = number(t, 1);
    else if (k == "TEMPO" && t.size() > 1)
      project.tempo = number(t, 1);
    else if (k == "MASTER_VOLUME")
      project.master_volume = number(t, 1, 1), project.master_pan = number(t, 2);
    else if (k == "MASTERMUTESOLO")
      project.master_mute = (static_cast<int>(number(t, 1)) & 1) != 0;
    else if (k == "MASTER_NCH")
      project.master_channels = static_cast<int>(number(t, 1, 2));
    else if (k == "MASTERHWOUT" && t.size() < 2)
      project.bare_hw_outs.push_back(l.number);  // an output to no channel is no routing
    else if (k == "MASTERHWOUT")
      project.master_hw_outs.push_back(parse_hwout(l));
  }

  void track_key(const RppLine& l) {
    RppTrack& tr = project.tracks.back();
    const auto& t = l.tokens;
    const std::string& k = t[0];
    if (k == "NAME")
      tr.name = t.size() > 1 ? t[1] : "";
    else if (k == "VOLPAN")
      tr.volume = number(t, 1, 1), tr.pan = number(t, 2);
    else if (k == "MUTESOLO")
      tr.mute = number(t, 1) != 0, tr.solo = number(t, 2) != 0;
    else if (k == "IPHASE")
      tr.phase = number(t, 1) != 0;
    else if (k == "NCHAN")
      tr.channels = static_cast<int>(number(t, 1, 2));
    else if (k == "ISBUS")
      tr.folder = static_cast<int>(number(t, 1)), tr.folder_delta = static_cast<int>(number(t, 2));
    else if (k == "MAINSEND")
      tr.main_send = number(t, 1, 1) != 0;
    else if (k == "TRACKID" && t.size() > 1)
      tr.guid = t[1];
    else if ((k == "AUXRECV" || k == "HWOUT") && ++routings_ > max_graph_edges)
      error(fmt::format("line {}", l.number),
            import::too_many("receives and hardware outputs", max_graph_edges, "edges"));
    else if (k == "AUXRECV")
      tr.receives.push_back({l.number, static_cast<long>(number(t, 1, -1)),
                             static_cast<int>(number(t, 2)), number(t, 3, 1), number(t, 4),
                             number(t, 5) != 0, static_cast<long>(number(t, 8)),
                             static_cast<long>(number(t, 9))});
    else if (k == "HWOUT" && t.size() < 2)
      project.bare_hw_outs.push_back(l.number);
    else if (k == "HWOUT")
      tr.hw_outs.push_back(parse_hwout(l));
  }

  Diagnostics& d_;
  std::vector<Open> stack_;
  std::size_t routings_ = 0;
  bool failed_ = false, closed_project_ = false, pending_bypass_ = false;
};

TapPoint tap_for_mode(int mode) {
  switch (mode) {
    case 1:
      return TapPoint::pre_fx;
    case 2:
    case 3:
      return TapPoint::pre_fader;
    default:
      return TapPoint::post_fader;
  }
}

// HW output channel index: the low 10 bits; 1024 marks a mono output.
std::string hw_name(long output) {
  const long first = (output & 1023) + 1;
  return (output & 1024) ? fmt::format("HW Out {}", first)
                         : fmt::format("HW Out {}/{}", first, first + 1);
}

class GraphBuilder {
 public:
  GraphBuilder(const RppProject& p, Diagnostics& d, ImportCoverage& c, const std::string& name)
      : p_(p), d_(d), c_(c) {
    g_.session.name = name;
    g_.session.source_daw = "REAPER";
    g_.session.daw_version = p.version;
    g_.session.tempo_bpm = p.tempo;
    g_.session.sample_rate_hz =
        p.sample_rate >= 8000 && p.sample_rate <= 768000 ? p.sample_rate : 48000;
    if (!(p.sample_rate >= 8000 && p.sample_rate <= 768000))
      note("SAMPLERATE",
           fmt::format("no usable project sample rate ({:g}); 48000 Hz assumed", p.sample_rate));
  }

  RouteGraph build() {
    Node master;
    master.id = "master";
    master.name = "Master";
    master.kind = NodeKind::master;
    master.channel_count = p_.master_channels;
    master.fader_db = gain_to_db(p_.master_volume);
    master.pan = std::clamp(p_.master_pan, -1.0, 1.0);
    master.mute = p_.master_mute;
    master.plugins = p_.master_plugins;
    for (std::size_t k = 0; k < p_.master_plugins.size(); ++k) c_.count("plugins", true);
    ids_.reserve("master");
    // Sized once: growing by doubling holds the old and the new array at once, and on a large
    // project that is most of the peak memory.
    std::size_t edges = p_.master_hw_outs.size() + 1;
    for (const RppTrack& t : p_.tracks) edges += 1 + t.receives.size() + t.hw_outs.size();
    g_.nodes.reserve(p_.tracks.size() + 1 + p_.master_hw_outs.size());
    g_.edges.reserve(edges);
    g_.nodes.push_back(master);

    std::vector<std::string> id_of(p_.tracks.size());
    for (std::size_t i = 0; i < p_.tracks.size(); ++i)
      id_of[i] = ids_.make(p_.tracks[i].name, fmt::format("track-{}", i + 1));

    std::vector<std::size_t> folders;  // open folder parents
    for (std::size_t i = 0; i < p_.tracks.size(); ++i) {
      const RppTrack& t = p_.tracks[i];
      Node n;
      n.id = id_of[i];
      n.name = t.name.empty() ? fmt::format("Track {}", i + 1) : t.name;
      n.daw_id = t.guid.empty() ? std::nullopt : std::optional<std::string>(t.guid);
      n.kind = t.folder == 1        ? NodeKind::bus
               : is_return_track(t) ? NodeKind::aux_return
                                    : NodeKind::track;
      n.channel_count = std::clamp(t.channels, 1, 64);
      n.fader_db = clamp_fader_db(gain_to_db(t.volume));
      n.pan = std::clamp(t.pan, -1.0, 1.0);
      n.mute = t.mute;
      n.solo = t.solo;
      n.polarity_inverted = t.phase;
      n.plugins = t.plugins;
      plugin_count_ += t.plugins.size();
      c_.count("tracks", true);
      for (std::size_t k = 0; k < t.plugins.size(); ++k) c_.count("plugins", true);
      const std::string parent = folders.empty() ? "master" : id_of[folders.back()];
      if (t.main_send) {
        g_.edges.push_back(import::make_edge(EdgeKind::direct_output, n.id, parent));
        c_.count("outputs", true);
      }
      for (const HwOut& h : t.hw_outs) hardware_send(n.id, h);
      if (t.folder == 1) folders.push_back(i);
      if (t.folder == 2)
        for (int k = 0; k < -t.folder_delta && !folders.empty(); ++k) folders.pop_back();
      g_.nodes.push_back(std::move(n));
    }
    for (const HwOut& h : p_.master_hw_outs) hardware_send("master", h);
    for (const std::size_t line : p_.bare_hw_outs) {
      const std::string why = "a hardware output that names no output channel; not imported";
      note(fmt::format("line {}", line), why);
      c_.count("outputs", false, fmt::format("line {}: {}", line, why));
    }
    for (std::size_t i = 0; i < p_.tracks.size(); ++i)
      for (const Receive& r : p_.tracks[i].receives) receive(i, r, id_of);
    if (plugin_count_ + p_.master_plugins.size() > 0)
      note("FXCHAIN",
           fmt::format("REAPER does not store plugin latency: {} plugins imported with latency 0 "
                       "(unknown); measure or enter them to check PDC",
                       plugin_count_ + p_.master_plugins.size()));
    canonicalize_edges(g_);
    return std::move(g_);
  }

 private:
  void note(std::string where, std::string message) {
    d_.warnings.push_back({std::move(where), std::move(message)});
  }

  // A track with no media that receives audio as a send (not only keys) and hosts no instrument:
  // what REAPER users build as an effect return.
  static bool is_return_track(const RppTrack& t) {
    if (t.has_items) return false;
    if (std::any_of(t.plugins.begin(), t.plugins.end(),
                    [](const Plugin& p) { return is_instrument(p.name); }))
      return false;
    return std::any_of(t.receives.begin(), t.receives.end(), [&t](const Receive& r) {
      const ReceiveChannels c = receive_channels(r.source_channel, r.dest_channel);
      return c.audio && (c.first < 2 || key_plugin(t, c) == nullptr);
    });
  }

  // The plugin a receive into channels 3 and up keys: the first active one that listens to a key.
  static const Plugin* key_plugin(const RppTrack& t, const ReceiveChannels& c) {
    if (!c.audio || c.first < 2) return nullptr;
    const auto it = std::find_if(t.plugins.begin(), t.plugins.end(), [](const Plugin& p) {
      return !p.bypassed && listens_to_a_key(p.name);
    });
    return it == t.plugins.end() ? nullptr : &*it;
  }

  void hardware_send(const std::string& from, const HwOut& h) {
    c_.count("outputs", true);
    const std::string name = hw_name(h.output);
    auto it = hw_ids_.find(name);
    if (it == hw_ids_.end()) {
      Node n;
      n.id = ids_.make(name, "hw-out");
      n.name = name;
      n.kind = NodeKind::hardware_output;
      n.channel_count = (h.output & 1024) ? 1 : 2;
      it = hw_ids_.emplace(name, n.id).first;
      g_.nodes.push_back(std::move(n));
    }
    Edge e = import::make_edge(EdgeKind::send, from, it->second);
    e.level_db = clamp_fader_db(gain_to_db(h.volume));
    e.pan = std::clamp(h.pan, -1.0, 1.0);
    e.mute = h.mute;
    e.tap = tap_for_mode(h.mode);
    g_.edges.push_back(std::move(e));
  }

  void receive(std::size_t dest, const Receive& r, const std::vector<std::string>& id_of) {
    if (r.source < 0 || static_cast<std::size_t>(r.source) >= id_of.size()) {
      const std::string why = fmt::format(
          "AUXRECV on '{}' names source track #{}, which does not exist; receive not imported",
          p_.tracks[dest].name, r.source + 1);
      note(fmt::format("line {}", r.line), why);
      c_.count("sends", false, fmt::format("line {}: {}", r.line, why));
      return;
    }
    const RppTrack& target = p_.tracks[dest];
    const ReceiveChannels channels = receive_channels(r.source_channel, r.dest_channel);
    if (!channels.audio) {
      // A MIDI-only receive (source channels -1) carries no audio: not audio routing.
      c_.count("midi", true);
      return;
    }
    Edge e =
        import::make_edge(EdgeKind::send, id_of[static_cast<std::size_t>(r.source)], id_of[dest]);
    e.level_db = clamp_fader_db(gain_to_db(r.volume));
    e.pan = std::clamp(r.pan, -1.0, 1.0);
    e.mute = r.mute;
    e.tap = tap_for_mode(r.mode);
    // Into channels 3 and up: a key where a plugin there listens to one (REAPER's sidechain),
    // otherwise multichannel routing (a mono stem into a 5.1 bus), a send like any other.
    if (const Plugin* plugin = key_plugin(target, channels)) {
      e.kind = EdgeKind::sidechain;
      e.plugin = plugin->name;
      for (Node& n : g_.nodes)
        if (n.id == id_of[dest])
          for (Plugin& p : n.plugins)
            if (p.name == plugin->name) p.sidechain_input = true;
      c_.count("sidechains", true);
      note(fmt::format("line {}", r.line),
           fmt::format("receive into {} of '{}' imported as a sidechain key to '{}', the first "
                       "active plugin there that takes a key (the file does not name the pins)",
                       channels_text(channels), target.name, plugin->name));
    } else {
      c_.count("sends", true);
    }
    g_.edges.push_back(std::move(e));
  }

  const RppProject& p_;
  Diagnostics& d_;
  ImportCoverage& c_;
  RouteGraph g_;
  import::IdMaker ids_;
  std::map<std::string, std::string> hw_ids_;
  std::size_t plugin_count_ = 0;
};

}  // namespace

ImportResult import_rpp(std::string_view text, const std::string& name) {
  ImportResult result;
  result.format = SessionFormat::reaper_rpp;
  Parser parser(result.diagnostics);
  // Sized once (an upper bound: "<TRACK" may also appear in names), for the reason given in
  // GraphBuilder::build.
  std::size_t tracks = 0;
  for (auto at = text.find("<TRACK"); at != std::string_view::npos;
       at = text.find("<TRACK", at + 6))
    ++tracks;
  parser.project.tracks.reserve(std::min(tracks, max_graph_nodes));
  std::size_t last = 0;
  import::for_each_rpp_line(text, [&](const import::RppLine& l) {
    last = l.number;
  parser.line(l);
});
if (!parser.finish(last)) return result;
result.graph =
    import::checked(GraphBuilder(parser.project, result.diagnostics, result.coverage, name).build(),
                    result.diagnostics);
return result;
}  // namespace routewise

}  // namespace routewise
