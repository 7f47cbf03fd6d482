// Ableton Live sets (.als, Live 8 to 12): gzip-compressed XML. Tracks, groups, returns and the
// master with their "Audio To" outputs, sends per return (pre/post from the set's SendsPre), mixer
// volume, pan and track activator, device chains, and Compressor/Gate sidechain keys.
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <pugixml.hpp>

#include "import_support.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"
#include "xml_support.hpp"

namespace routewise {
namespace {

using import::gain_to_db;

constexpr std::size_t max_inflated_bytes = std::size_t{256} << 20;
// Live's lowest send level (-70 dB) is shown as "-inf": the send is off.
constexpr double live_send_floor = 0.000317;

// Inflates gzip data; refuses output beyond the limit (a gzip bomb) instead of growing without end.
std::optional<std::string> gunzip(std::string_view in, std::string& error) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    error = "zlib could not start";
    return std::nullopt;
  }
  std::string out;
  // The gzip trailer gives the inflated size (mod 4 GiB); as a hint within the limit it saves
  // the doubling growth, which would hold two copies of a large set at once.
  if (in.size() >= 18) {
    const auto* end = reinterpret_cast<const unsigned char*>(in.data() + in.size());
    const std::size_t hint = std::size_t{end[-4]} | std::size_t{end[-3]} << 8 |
                             std::size_t{end[-2]} << 16 | std::size_t{end[-1]} << 24;
    out.reserve(std::min(hint, max_inflated_bytes) + 1);
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      error = rc == Z_BUF_ERROR
                  ? "the compressed data ends early (truncated file)"
                  : std::string("damaged compressed data: ") + (z.msg ? z.msg : "inflate failed");
      inflateEnd(&z);
      return std::nullopt;
    }
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > max_inflated_bytes) {
      error = fmt::format("expands beyond {} MB (a gzip bomb?)", max_inflated_bytes >> 20);
      inflateEnd(&z);
      return std::nullopt;
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      error = "the compressed data ends early (truncated file)";
      inflateEnd(&z);
      return std::nullopt;
    }
  }
  inflateEnd(&z);
  return out;
}

// A parameter's value: <Manual Value=> (Live 9+) or the first automation event (Live 8).
double parameter(pugi::xml_node p, double fallback) {
  if (const auto manual = p.child("Manual")) return manual.attribute("Value").as_double(fallback);
  if (const auto ev = p.child("ArrangerAutomation").child("Events").first_child())
    return ev.attribute("Value").as_double(fallback);
  return fallback;
}

bool parameter_bool(pugi::xml_node p, bool fallback) {
  if (const auto manual = p.child("Manual")) return manual.attribute("Value").as_bool(fallback);
  if (const auto ev = p.child("ArrangerAutomation").child("Events").first_child())
    return std::string_view(ev.attribute("Value").as_string()) == "true" ||
           ev.attribute("Value").as_double(0) > 0.5;
  return fallback;
}

// Live 8 keeps the mixer and routing directly under DeviceChain; later versions do too, with the
// devices in a nested DeviceChain. The master's chain is MasterChain before Live 12.
pugi::xml_node chain_of(pugi::xml_node track) {
  if (auto c = track.child("DeviceChain")) return c;
  return track.child("MasterChain");
}

std::string device_name(pugi::xml_node d) {
  if (auto n = d.child("PluginDesc").child("AuPluginInfo").child("Name"))
    return n.attribute("Value").as_string();
  if (auto n = d.child("PluginDesc").child("VstPluginInfo").child("PlugName"))
    return n.attribute("Value").as_string();
  if (auto n = d.child("PluginDesc").child("Vst3PluginInfo").child("Name"))
    return n.attribute("Value").as_string();
  const std::string user = d.child("UserName").attribute("Value").as_string();
  return user.empty() ? d.name() : user;
}

// Calls `each(device, name)` for every device of a chain, and for those inside racks (Audio
// Effect, Instrument, Drum and MIDI Effect racks keep chains of their own, nested to any depth:
// Branches/*Branch/DeviceChain/*DeviceChain/Devices), named "Rack › Device" by the rack's name.
template <typename Each>
void each_device(pugi::xml_node devices, const std::string& prefix, Each&& each, int depth = 0) {
  for (auto d : devices.children()) {
    const std::string name = prefix + device_name(d);
    each(d, name);
    if (depth >= 16) continue;  // racks in racks: Live allows a few; a file may claim any number
    for (auto branch : d.child("Branches").children())
      for (auto chain : branch.child("DeviceChain").children())
        each_device(chain.child("Devices"), name + " \u203a ", each, depth + 1);
  }
}

struct LiveTrack {
  pugi::xml_node xml;
  std::string live_id, name, node_id;
  NodeKind kind;
};

class Importer {
 public:
  Importer(Diagnostics& d, ImportCoverage& c, const std::string& name) : d_(d), c_(c) {
    g_.session.name = name;
    g_.session.source_daw = "Ableton Live";
  }

  RouteGraph run(const pugi::xml_document& doc) {
    const auto root = doc.child("Ableton");
    g_.session.daw_version = root.attribute("Creator").as_string();
    const auto set = root.child("LiveSet");
    note("/Ableton/LiveSet", "Live sets store no sample rate; 48000 Hz assumed");
    for (auto pre : set.child("SendsPre").children("SendPreBool"))
      pre_fader_.push_back(pre.attribute("Value").as_bool());
    std::size_t index = 0;
    for (auto t : set.child("Tracks").children()) collect(t, ++index);
    auto master = set.child("MainTrack") ? set.child("MainTrack") : set.child("MasterTrack");
    if (master) tracks_.push_back({master, "master", "Master", "master", NodeKind::master});
    ids_.reserve("master");
    for (auto& t : tracks_) add_node(t);
    for (auto& t : tracks_) add_edges(t);
    canonicalize_edges(g_);
    return std::move(g_);
  }

 private:
  void note(std::string where, std::string message) {
    d_.warnings.push_back({std::move(where), std::move(message)});
  }

  void collect(pugi::xml_node t, std::size_t index) {
    const std::string_view tag = t.name();
    NodeKind kind;
    if (tag == "AudioTrack" || tag == "MidiTrack")
      kind = NodeKind::track;
    else if (tag == "GroupTrack")
      kind = NodeKind::bus;
    else if (tag == "ReturnTrack")
      kind = NodeKind::aux_return;
    else {
      c_.count("tracks", false,
               fmt::format("<{}> #{}: not a track kind Routewise maps", tag, index));
      return;
    }
    std::string name = t.child("Name").child("EffectiveName").attribute("Value").as_string();
    if (name.empty()) name = t.child("Name").child("UserName").attribute("Value").as_string();
    if (name.empty())  // Live 8 leaves default names unsaved: it shows "<number> <type>"
      name = fmt::format("{} {}", index,
                         tag == "MidiTrack"     ? "MIDI"
                         : tag == "GroupTrack"  ? "Group"
                         : tag == "ReturnTrack" ? "Return"
                                                : "Audio");
    if (kind == NodeKind::aux_return) returns_.push_back(tracks_.size());
    tracks_.push_back({t, t.attribute("Id").as_string(), name, "", kind});
    by_live_id_[tracks_.back().live_id] = tracks_.size() - 1;
  }

  void add_node(LiveTrack& t) {
    c_.count("tracks", true);
    Node n;
    n.id = t.kind == NodeKind::master ? "master" : ids_.make(t.name, "track");
    t.node_id = n.id;
    n.name = t.name;
    n.kind = t.kind;
    if (t.kind != NodeKind::master) n.daw_id = t.live_id;
    const auto chain = chain_of(t.xml);
    const auto mixer = chain.child("Mixer");
    n.fader_db = clamp_fader_db(gain_to_db(parameter(mixer.child("Volume"), 1.0)));
    n.pan = std::clamp(parameter(mixer.child("Pan"), 0.0), -1.0, 1.0);
    n.mute = !parameter_bool(mixer.child("Speaker"), true);
    each_device(chain.child("DeviceChain").child("Devices"), "",
                [&](pugi::xml_node d, const std::string& name) {
                  Plugin p;
                  p.name = name;
                  p.bypassed = !parameter_bool(d.child("On"), true);
                  // Every device that can take a key (Live's dynamics, Auto Filter, third-party
                  // plugins with a sidechain bus) carries a <SideChain> block.
                  p.sidechain_input = static_cast<bool>(d.child("SideChain"));
                  c_.count("plugins", true);
                  n.plugins.push_back(std::move(p));
                });
    g_.nodes.push_back(std::move(n));
  }

  std::string hardware_out(const std::string& target) {
    const std::string name = "External " + target.substr(std::string("AudioOut/External/").size());
    if (auto it = hw_.find(name); it != hw_.end()) return it->second;
    Node n;
    n.id = ids_.make(name, "hw-out");
    n.name = name;
    n.kind = NodeKind::hardware_output;
    hw_.emplace(name, n.id);
    g_.nodes.push_back(std::move(n));
    return hw_.at(name);
  }

  // "AudioIn/Track.12/PostFxOut" or "AudioOut/Track.12" -> the track with Live id 12.
  const LiveTrack* track_in(const std::string& target) const {
    const auto pos = target.find("Track.");
    if (pos == std::string::npos) return nullptr;
    std::string id;
    for (std::size_t i = pos + 6;
         i < target.size() && std::isdigit(static_cast<unsigned char>(target[i])); ++i)
      id += target[i];
    const auto it = by_live_id_.find(id);
    return it == by_live_id_.end() ? nullptr : &tracks_[it->second];
  }

  void add_edges(const LiveTrack& t) {
    const auto chain = chain_of(t.xml);
    const std::string target =
        chain.child("AudioOutputRouting").child("Target").attribute("Value").as_string();
    std::string to;
    if (target == "AudioOut/Master" || target == "AudioOut/Main")
      to = "master";  // "Main" since Live 12
    else if (target == "AudioOut/GroupTrack") {
      const auto group =
          by_live_id_.find(t.xml.child("TrackGroupId").attribute("Value").as_string());
      if (group != by_live_id_.end()) to = tracks_[group->second].node_id;
    } else if (target.rfind("AudioOut/External/", 0) == 0)
      to = hardware_out(target);
    else if (const LiveTrack* other = track_in(target))
      to = other->node_id;
    if (target == "AudioOut/None" || target.empty()) {
      c_.count("outputs", true);  // "Audio To: No Output" is itself a routing decision
    } else if (to.empty()) {
      const std::string why =
          fmt::format("'{}' outputs to '{}', which this set does not resolve", t.name, target);
      note(t.name, why + "; output not imported");
      c_.count("outputs", false, why);
    } else {
      g_.edges.push_back(import::make_edge(EdgeKind::direct_output, t.node_id, to));
      c_.count("outputs", true);
    }
    std::size_t slot = 0;
    for (auto holder : chain.child("Mixer").child("Sends").children("TrackSendHolder")) {
      const std::size_t i = slot++;
      const double level = parameter(holder.child("Send"), 0.0);
      if (i >= returns_.size()) {
        c_.count("sends", false,
                 fmt::format("'{}' send slot {} has no return track", t.name, i + 1));
        continue;
      }
      c_.count("sends", true);
      if (level <= live_send_floor) continue;  // at Live's minimum the send is off: no edge
      Edge e = import::make_edge(EdgeKind::send, t.node_id, tracks_[returns_[i]].node_id);
      e.level_db = clamp_fader_db(gain_to_db(level));
      e.mute = !holder.child("Active").attribute("Value").as_bool(true);
      e.tap = i < pre_fader_.size() && pre_fader_[i] ? TapPoint::pre_fader : TapPoint::post_fader;
      g_.edges.push_back(std::move(e));
    }
    sidechains(t, chain);
  }

  void sidechains(const LiveTrack& t, pugi::xml_node chain) {
    each_device(chain.child("DeviceChain").child("Devices"), "",
                [&](pugi::xml_node d, const std::string& name) { sidechain(t, d, name); });
  }

  void sidechain(const LiveTrack& t, pugi::xml_node d, const std::string& name) {
    const auto sc = d.child("SideChain");
    if (!sc || !parameter_bool(sc.child("OnOff"), false)) return;
    const std::string source =
        sc.child("RoutedInput").child("Routable").child("Target").attribute("Value").as_string();
    // Live 11 saves the sidechain switched on with no source: "AudioIn/None" is no key at all.
    if (source.empty() || source == "AudioIn/None") return;
    const LiveTrack* from = track_in(source);
    const std::string why = fmt::format("'{}' on '{}' listens to '{}'", name, t.name, source);
    c_.count("sidechains", from != nullptr, why + ", which this set does not resolve");
    if (!from) return;
    const bool pre_fx = source.find("PreFx") != std::string::npos;
    if (from == &t && pre_fx) {
      // The track's own input ahead of its devices: an internal key, no routing and no loop.
      note(t.name, why + ": the track's own input before its devices, an internal key");
      return;
    }
    Edge e = import::make_edge(EdgeKind::sidechain, from->node_id, t.node_id);
    e.plugin = name;
    e.tap = pre_fx ? TapPoint::pre_fx : TapPoint::post_fader;
    g_.edges.push_back(std::move(e));
  }

  Diagnostics& d_;
  ImportCoverage& c_;
  RouteGraph g_;
  std::vector<LiveTrack> tracks_;
  std::vector<std::size_t> returns_;
  std::vector<bool> pre_fader_;
  std::map<std::string, std::size_t> by_live_id_;
  std::map<std::string, std::string> hw_;
  import::IdMaker ids_;
};

}  // namespace

ImportResult import_ableton(std::string_view bytes, const std::string& name) {
  ImportResult result;
  result.format = SessionFormat::ableton_als;
  std::string error;
  // Live and several tools also write sets as plain XML.
  const bool compressed = bytes.substr(0, 2) == std::string_view("\x1f\x8b", 2);
  auto xml = compressed ? gunzip(bytes, error) : std::optional<std::string>(bytes);
  if (!xml) {
    result.diagnostics.errors.push_back({"", error});
    return result;
  }
  pugi::xml_document doc;
  if (!import::parse_xml_in_place(doc, *xml, "", result.diagnostics)) return result;
  if (!doc.child("Ableton").child("LiveSet")) {
    result.diagnostics.errors.push_back({"/", "not an Ableton Live set (no <Ableton><LiveSet>)"});
    return result;
  }
  Importer importer(result.diagnostics, result.coverage, name);
  const auto tracks = doc.child("Ableton").child("LiveSet").child("Tracks").children();
  if (static_cast<std::size_t>(std::distance(tracks.begin(), tracks.end())) > max_graph_nodes) {
    result.diagnostics.errors.push_back(
        {"/Ableton/LiveSet/Tracks", import::too_many("tracks", max_graph_nodes, "nodes")});
    return result;
  }
  result.graph = import::checked(importer.run(doc), result.diagnostics);
  return result;
}

}  // namespace routewise
