// Ardour sessions (.ardour XML, formats 2.0 to 8.x): routes, their port connections (direct
// outputs and hardware inputs), aux and port sends, port inserts, plugins, gain, trim, mute, solo,
// polarity.
#include <fmt/format.h>

#include <algorithm>

#include <map>
#include <pugixml.hpp>
#include <set>

#include "import_support.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"
#include "xml_support.hpp"

namespace routewise {
namespace {

using import::gain_to_db;

bool is_plugin_type(std::string_view t) {
  return t == "ladspa" || t == "lv2" || t == "vst" || t == "windows-vst" || t == "lxvst" ||
         t == "mac-vst" || t == "vst3" || t == "audiounit" || t == "luaproc";
}

// The route owning a port: "Drum Bus/audio_in 1" -> "Drum Bus"; hardware ports have no '/'.
std::string port_owner(std::string_view port) {
  const auto slash = port.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(port.substr(0, slash));
}

bool is_hardware_port(std::string_view port) {
  return port.find('/') == std::string_view::npos && port.find(':') != std::string_view::npos;
}

// Ardour 2 lists connections in attributes: outputs="{a,b}{c}" (one brace group per port).
std::vector<std::vector<std::string>> brace_groups(std::string_view s) {
  std::vector<std::vector<std::string>> groups;
  std::size_t i = 0;
  while ((i = s.find('{', i)) != std::string_view::npos) {
    const auto close = s.find('}', i);
    if (close == std::string_view::npos) break;
    std::vector<std::string> ports;
    std::string_view inner = s.substr(i + 1, close - i - 1);
    std::size_t start = 0;
    while (start <= inner.size()) {
      const auto comma = inner.find(',', start);
      const auto part = inner.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (!part.empty()) ports.emplace_back(part);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    groups.push_back(std::move(ports));
    i = close + 1;
  }
  return groups;
}

// One connection of a port. Ardour 7.5 and later keep connections to ports outside the session
// (hardware, other programs) as <ExtConnection for="BACKEND" other="PORT"/>, route-to-route links
// as <Connection other="PORT"/>; an ExtConnection without `other` only names the backend.
struct PortLink {
  std::string other;
  bool external = false;  // outside the session, whatever its name looks like
};
using PortLinks = std::vector<std::vector<PortLink>>;  // per port, in port order

std::vector<PortLink> port_links(pugi::xml_node port) {
  std::vector<PortLink> links;
  for (auto c : port.children()) {
    const std::string_view tag = c.name();
    const std::string other = c.attribute("other").as_string();
    if (other.empty() || (tag != "Connection" && tag != "ExtConnection")) continue;
    links.push_back({other, tag == "ExtConnection"});
  }
  return links;
}

// MIDI ports carry no audio: a MIDI track's audio starts at its instrument.
bool is_midi_port(pugi::xml_node port) {
  return std::string_view(port.attribute("type").as_string()) == "midi";
}

// The audio ports of an IO with their connections (Ardour 2's brace groups, or Port elements).
PortLinks audio_links(pugi::xml_node io, const char* attr) {
  PortLinks out;
  if (io.attribute(attr)) {
    for (auto& group : brace_groups(io.attribute(attr).as_string())) {
      std::vector<PortLink> links;
      for (auto& other : group) links.push_back({std::move(other), false});
      out.push_back(std::move(links));
    }
    return out;
  }
  for (auto port : io.children("Port"))
    if (!is_midi_port(port)) out.push_back(port_links(port));
  return out;
}

struct RouteInfo {
  pugi::xml_node xml;
  std::string id, name, node_id;
  NodeKind kind = NodeKind::track;
  bool listens_to_ports = false;  // has input connections from routes or hardware
  bool receives_sends = false;
};

class Importer {
 public:
  Importer(const pugi::xml_document& doc, Diagnostics& d, ImportCoverage& c,
           const std::string& name)
      : doc_(doc), d_(d), c_(c) {
    const auto session = doc.child("Session");
    g_.session.name = session.attribute("name").as_string(name.c_str());
    g_.session.source_daw = "Ardour";
    version_ = session.attribute("version").as_string();
    g_.session.daw_version = version_;
    legacy_ = version_.find('.') != std::string::npos;  // "2.0.0"; later formats are integers
    const double rate = session.attribute("sample-rate").as_double(0);
    g_.session.sample_rate_hz = rate >= 8000 && rate <= 768000 ? rate : 48000;
    if (g_.session.sample_rate_hz != rate)
      note("/Session/@sample-rate",
           fmt::format("no usable sample rate ({:g}); 48000 Hz assumed", rate));
  }

  std::optional<RouteGraph> run() {
    const auto routes = doc_.child("Session").child("Routes");
    if (!routes) {
      d_.errors.push_back({"/Session/Routes", "missing: not an Ardour session with routes"});
      return std::nullopt;
    }
    const auto all = routes.children("Route");
    if (static_cast<std::size_t>(std::distance(all.begin(), all.end())) > max_graph_nodes) {
      d_.errors.push_back(
          {"/Session/Routes", import::too_many("routes", max_graph_nodes, "nodes")});
      return std::nullopt;
    }
    std::size_t index = 0;
    for (auto r : routes.children("Route")) collect(r, index++);
    for (const auto& [id, info] : routes_) by_name_[info.name] = id;
    mark_send_targets();
    for (const std::string& id : order_) add_node(routes_.at(id));
    for (const std::string& id : order_) add_edges(routes_.at(id));
    vcas(doc_.child("Session").child("VCAManager"));
    if (plugin_latency_unknown_ > 0)
      note("/Session/Routes",
           fmt::format("{} plugins without a stored latency imported with latency 0 (unknown)",
                       plugin_latency_unknown_));
    canonicalize_edges(g_);
    return std::move(g_);
  }

 private:
  void note(std::string where, std::string message) {
    d_.warnings.push_back({std::move(where), std::move(message)});
  }

  // A VCA scales the faders of the routes assigned to it (<Slavable><Master number=N/>). The route
  // map has no VCAs: each is named with its gain and its routes, whose faders are read without it.
  void vcas(pugi::xml_node manager) {
    for (auto vca : manager.children("VCA")) {
      const std::string number = vca.attribute("number").as_string();
      std::string members;
      for (const std::string& id : order_)
        for (auto master : routes_.at(id).xml.child("Slavable").children("Master"))
          if (master.attribute("number").as_string() == number)
            members += (members.empty() ? "'" : ", '") + routes_.at(id).name + "'";
      const std::string why = fmt::format(
          "VCA '{}' at {:+.1f} dB scales {}: the route map has no VCAs, so those "
          "faders are read without it",
          vca.attribute("name").as_string(), gain_to_db(control_value(vca, "gaincontrol", 1.0)),
          members.empty() ? "no route" : members);
      note(fmt::format("/Session/VCAManager/VCA[@number='{}']", number), why);
      c_.count("VCAs", false, why);
    }
  }

  std::string path_of(const RouteInfo& r) const {
    return fmt::format("/Session/Routes/Route[@name='{}']", r.name);
  }

  pugi::xml_node main_io(pugi::xml_node route, const char* direction) const {
    for (auto io : route.children("IO"))
      if (std::string_view(io.attribute("direction").as_string()) == direction) return io;
    return legacy_ ? route.child("IO") : pugi::xml_node();
  }

  void collect(pugi::xml_node r, std::size_t index) {
    RouteInfo info;
    info.xml = r;
    const auto io = r.child("IO");
    info.id = r.attribute("id").as_string(io.attribute("id").as_string());
    info.name = r.attribute("name").as_string(io.attribute("name").as_string());
    if (info.id.empty()) info.id = fmt::format("route-{}", index + 1);
    if (info.name.empty()) info.name = fmt::format("Route {}", index + 1);
    const std::string flags =
        std::string(r.child("PresentationInfo").attribute("flags").as_string()) + "," +
        r.attribute("flags").as_string();
    const bool is_track = flags.find("AudioTrack") != std::string::npos ||
                          flags.find("MidiTrack") != std::string::npos ||
                          r.attribute("diskstream-id") || r.attribute("audio-playlist") ||
                          r.attribute("midi-playlist") || r.child("Diskstream");
    if (flags.find("MonitorOut") != std::string::npos) {
      // The monitor section (solo, AFL/PFL, speakers) hears the mix; it is not part of it.
      monitor_ids_.insert(info.id);
      monitor_names_.insert(info.name);
      note(path_of(info), "the monitor section '" + info.name +
                              "' is not part of the mix (nor a cue mix); not imported");
      return;
    }
    if (flags.find("MasterOut") != std::string::npos)
      info.kind = NodeKind::master;
    else if (flags.find("FoldbackBus") != std::string::npos)
      info.kind = NodeKind::cue_mix;
    else
      info.kind = is_track ? NodeKind::track : NodeKind::bus;
    for (const auto& conns : input_connections(r))
      for (const auto& link : conns)
        info.listens_to_ports = info.listens_to_ports || !link.other.empty();
    // A plugin's sidechain input is an IO of its own ("SC <route>/<plugin> N" in Ardour 7,
    // "Sidechain N" in Ardour 5), which port sends connect to.
    for (auto plugin : r.children("Processor"))
      for (auto sc : plugin.children("Processor"))
        if (std::string_view(sc.attribute("type").as_string()) == "sidechain")
          sidechain_inputs_[sc.child("IO").attribute("name").as_string(
              sc.attribute("name").as_string())] = {info.id, plugin.attribute("name").as_string()};
    if (routes_.contains(info.id)) {
      note(path_of(info), "duplicate route id " + info.id + "; renumbered");
      info.id += fmt::format("#{}", index);
    }
    order_.push_back(info.id);
    routes_.emplace(info.id, std::move(info));
  }

  PortLinks connections(pugi::xml_node route, const char* direction, const char* attr) const {
    const auto io = main_io(route, direction);
    return io ? audio_links(io, attr) : PortLinks{};
  }
  PortLinks input_connections(pugi::xml_node r) const { return connections(r, "Input", "inputs"); }
  PortLinks output_connections(pugi::xml_node r) const {
    return connections(r, "Output", "outputs");
  }

  void mark_send_targets() {
    for (auto& [id, info] : routes_)
      for (auto p : info.xml.children("Processor"))
        if (std::string_view(p.attribute("type").as_string()) == "intsend")
          if (auto it = routes_.find(p.attribute("target").as_string()); it != routes_.end())
            it->second.receives_sends = true;
    // A bus fed only by aux sends is a return; one fed by outputs is a group bus.
    for (auto& [id, info] : routes_)
      if (info.kind == NodeKind::bus && info.receives_sends && !info.listens_to_ports)
        info.kind = NodeKind::aux_return;
  }

  static double control_value(pugi::xml_node parent, const char* name, double fallback) {
    for (auto c : parent.children("Controllable"))
      if (std::string_view(c.attribute("name").as_string()) == name)
        return c.attribute("value").as_double(fallback);
    return fallback;
  }

  void add_node(RouteInfo& info) {
    const auto r = info.xml;
    c_.count("tracks", true);
    Node n;
    n.id = ids_.make(info.name, "route");
    info.node_id = n.id;
    n.name = info.name;
    n.daw_id = info.id;
    n.kind = info.kind;
    const auto outputs = output_connections(r);
    n.channel_count = std::clamp(static_cast<int>(outputs.empty() ? 2 : outputs.size()), 1, 64);
    // Gain: the amp processor (3+) or the route IO's gain attribute (2.x).
    double gain = main_io(r, "Output").attribute("gain").as_double(1.0);
    double trim = 1.0;
    for (auto p : r.children("Processor")) {
      const std::string_view type = p.attribute("type").as_string();
      if (type == "amp")
        gain = control_value(p, "gaincontrol", gain);
      else if (type == "trim")
        trim = control_value(p, "trimcontrol", 1.0);
      else if (is_plugin_type(type))
        add_plugin(n, p);
    }
    for (auto insert : r.children("Insert")) add_plugin(n, insert);  // 2.x plugins
    n.fader_db = clamp_fader_db(gain_to_db(gain));
    n.trim_db = std::clamp(gain_to_db(trim), -96.0, 48.0);
    n.mute = control_value(r, "mute", 0) > 0.5 ||
             r.child("MuteMaster").attribute("muted").as_bool() ||
             std::string_view(r.attribute("muted").as_string()) == "yes";
    if (!r.attribute("active").as_bool(true)) {
      n.mute = true;  // a deactivated route processes nothing
      note(path_of(info), "'" + info.name + "' is deactivated: it passes no audio; imported muted");
    }
    n.solo = control_value(r, "solo", 0) > 0.5 || r.attribute("self-solo").as_bool() ||
             std::string_view(r.attribute("soloed").as_string()) == "yes";
    std::string phase;
    for (auto c : r.children("Controllable"))
      if (std::string_view(c.attribute("name").as_string()) == "phase")
        phase = c.attribute("phase-invert").as_string();
    if (phase.empty()) phase = r.attribute("phase-invert").as_string();
    n.polarity_inverted = phase == "yes" || phase.find('1') != std::string::npos;
    g_.nodes.push_back(std::move(n));
  }

  void add_plugin(Node& n, pugi::xml_node p) {
    c_.count("plugins", true);
    Plugin plugin;
    plugin.name = p.attribute("name").as_string();
    if (plugin.name.empty()) plugin.name = p.child("ladspa").attribute("label").as_string("Plugin");
    plugin.bypassed =
        !p.attribute("active").as_bool(true) ||
        std::string_view(p.child("Redirect").attribute("active").as_string("yes")) == "no";
    if (p.attribute("use-user-latency").as_bool())
      plugin.latency_samples = p.attribute("user-latency").as_double(0);
    else
      ++plugin_latency_unknown_;
    for (auto child : p.children("Processor"))
      if (std::string_view(child.attribute("type").as_string()) == "sidechain")
        plugin.sidechain_input = true;
    n.plugins.push_back(std::move(plugin));
  }

  // Where a send or insert sits relative to the plugins and the amp.
  static TapPoint tap_of(pugi::xml_node route, pugi::xml_node send) {
    bool plugin_before = false;
    for (auto p : route.children("Processor")) {
      if (p == send) return plugin_before ? TapPoint::pre_fader : TapPoint::pre_fx;
      const std::string_view type = p.attribute("type").as_string();
      if (type == "amp") return TapPoint::post_fader;
      plugin_before = plugin_before || is_plugin_type(type);
    }
    return TapPoint::post_fader;
  }

  std::string hardware_node(const std::vector<std::string>& ports, bool output) {
    std::string name;
    for (const auto& p : ports) name += (name.empty() ? "" : " + ") + p;
    const std::string key = (output ? "out:" : "in:") + name;
    if (auto it = hw_.find(key); it != hw_.end()) return it->second;
    Node n;
    n.id = ids_.make(name, output ? "hw-out" : "hw-in");
    n.name = name;
    n.kind = output ? NodeKind::hardware_output : NodeKind::hardware_input;
    n.channel_count = std::clamp(static_cast<int>(ports.size()), 1, 64);
    hw_.emplace(key, n.id);
    g_.nodes.push_back(std::move(n));
    return hw_.at(key);
  }

  // Route names reached by a list of ports, in port order, the plugin sidechain inputs (`keys`),
  // and the hardware ports among them.
  void split_ports(const PortLinks& ports, std::vector<std::string>& routes,
                   std::vector<std::string>& keys, std::vector<std::string>& hardware,
                   std::vector<std::string>& unknown) {
    for (const auto& port : ports)
      for (const auto& [other, external] : port) {
        if (external || is_hardware_port(other)) {
          if (std::find(hardware.begin(), hardware.end(), other) == hardware.end())
            hardware.push_back(other);
          continue;
        }
        const std::string owner = port_owner(other);
        if (monitor_names_.contains(owner)) continue;  // the monitor section listens, see collect
        if (sidechain_inputs_.contains(owner)) {
          if (std::find(keys.begin(), keys.end(), owner) == keys.end()) keys.push_back(owner);
        } else if (by_name_.contains(owner)) {
          if (std::find(routes.begin(), routes.end(), owner) == routes.end())
            routes.push_back(owner);
        } else if (other.find(':') != std::string::npos) {
          // "client:port" of a sound card or another program, whose port name may hold a '/'
          // ("system:capture_1/2", "PulseAudio JACK Source:front/left"): hardware all the same.
          if (std::find(hardware.begin(), hardware.end(), other) == hardware.end())
            hardware.push_back(other);
        } else if (!owner.empty() &&
                   std::find(unknown.begin(), unknown.end(), other) == unknown.end()) {
          unknown.push_back(other);
        }
      }
  }

  const RouteInfo& by_name(const std::string& name) const { return routes_.at(by_name_.at(name)); }

  void add_edges(const RouteInfo& info) {
    const auto r = info.xml;
    std::vector<std::string> targets, keys, hardware, unknown;
    split_ports(output_connections(r), targets, keys, hardware, unknown);
    for (const auto& t : targets) {
      g_.edges.push_back(
          import::make_edge(EdgeKind::direct_output, info.node_id, by_name(t).node_id));
      c_.count("outputs", true);
    }
    for (const auto& k : keys) g_.edges.push_back(key_edge(info, k, TapPoint::post_fader));
    if (!hardware.empty()) {
      g_.edges.push_back(
          import::make_edge(EdgeKind::direct_output, info.node_id, hardware_node(hardware, true)));
      c_.count("outputs", true);
    }
    for (std::size_t i = 0; i < hardware.size(); ++i) c_.count("hardware I/O", true);
    for (const auto& u : unknown) {
      const std::string why =
          fmt::format("output of '{}' connected to '{}', which is no route or hardware port here",
                      info.name, u);
      note(path_of(info) + "/IO", why + "; connection not imported");
      c_.count("outputs", false, why);
    }
    std::vector<std::string> in_routes, in_keys, in_hardware, in_unknown;
    split_ports(input_connections(r), in_routes, in_keys, in_hardware, in_unknown);
    if (!in_hardware.empty())
      g_.edges.push_back(import::make_edge(EdgeKind::direct_output,
                                           hardware_node(in_hardware, false), info.node_id));
    for (std::size_t i = 0; i < in_hardware.size(); ++i) c_.count("hardware I/O", true);

    for (auto p : r.children("Processor")) {
      const std::string_view type = p.attribute("type").as_string();
      if (type == "intsend")
        internal_send(info, p);
      else if (type == "send")
        port_send(info, p, p.child("IO"), p.child("IO").attribute("gain").as_double(1.0));
      else if (type == "port")
        port_insert(info, p);
    }
    for (auto s :
         r.children("Send")) {  // 2.x sends: <Send><Redirect placement=...><IO outputs=...>
      const auto redirect = s.child("Redirect");
      const auto io = redirect.child("IO");
      port_send(info, s, io, io.attribute("gain").as_double(1.0),
                std::string_view(redirect.attribute("placement").as_string()) == "PreFader"
                    ? TapPoint::pre_fader
                    : TapPoint::post_fader,
                std::string_view(redirect.attribute("active").as_string("yes")) == "no");
    }
  }

  void internal_send(const RouteInfo& info, pugi::xml_node p) {
    if (std::string_view(p.attribute("role").as_string()) == "Listen" ||
        monitor_ids_.contains(p.attribute("target").as_string())) {
      c_.count("monitor sends", false,
               fmt::format("'{}': the AFL/PFL listen send into the monitor section, which is not "
                           "part of the mix",
                           info.name));
      return;
    }
    const auto target = routes_.find(p.attribute("target").as_string());
    if (target == routes_.end()) {
      const std::string why = fmt::format(
          "aux send '{}' on '{}' targets route id {}, which is not in the session",
          p.attribute("name").as_string(), info.name, p.attribute("target").as_string());
      note(path_of(info) + "/Processor[@type='intsend']", why + "; send not imported");
      c_.count("sends", false, why);
      return;
    }
    c_.count("sends", true);
    Edge e = import::make_edge(EdgeKind::send, info.node_id, target->second.node_id);
    e.level_db = clamp_fader_db(gain_to_db(control_value(p, "gaincontrol", 1.0)));
    e.mute = !p.attribute("active").as_bool(true);
    e.tap = tap_of(info.xml, p);
    g_.edges.push_back(std::move(e));
  }

  void port_send(const RouteInfo& info, pugi::xml_node p, pugi::xml_node io, double gain,
                 std::optional<TapPoint> tap = std::nullopt, bool inactive = false) {
    const PortLinks ports = audio_links(io, "outputs");
    std::vector<std::string> routes, keys, hardware, unknown;
    split_ports(ports, routes, keys, hardware, unknown);
    // A port send into a plugin's sidechain input is that plugin's key, not a send.
    for (const auto& k : keys) {
      Edge e = key_edge(info, k, tap.value_or(tap_of(info.xml, p)));
      e.level_db = clamp_fader_db(gain_to_db(gain));
      e.mute = inactive || !p.attribute("active").as_bool(true);
      g_.edges.push_back(std::move(e));
    }
    if (!keys.empty() && routes.empty() && hardware.empty()) return;
    const auto add = [&](const std::string& to) {
      Edge e = import::make_edge(EdgeKind::send, info.node_id, to);
      e.level_db = clamp_fader_db(gain_to_db(gain));
      e.mute = inactive || !p.attribute("active").as_bool(true);
      e.tap = tap.value_or(tap_of(info.xml, p));
      g_.edges.push_back(std::move(e));
    };
    for (const auto& r : routes) add(by_name(r).node_id);
    if (!hardware.empty()) add(hardware_node(hardware, true));
    const bool mapped = !routes.empty() || !hardware.empty();
    const std::string why = fmt::format("send '{}' on '{}' is connected nowhere",
                                        io.attribute("name").as_string("?"), info.name);
    c_.count("sends", mapped, why);
    if (!mapped) note(path_of(info), why + "; not imported");
  }

  Edge key_edge(const RouteInfo& from, const std::string& sidechain_io, TapPoint tap) {
    const auto& [route_id, plugin] = sidechain_inputs_.at(sidechain_io);
    c_.count("sidechains", true);
    Edge e = import::make_edge(EdgeKind::sidechain, from.node_id, routes_.at(route_id).node_id);
    e.plugin = plugin;
    e.tap = tap;
    return e;
  }

  void port_insert(const RouteInfo& info, pugi::xml_node p) {
    c_.count("inserts", true);
    Node unit;
    unit.id = ids_.make(p.attribute("name").as_string("Insert"), "insert");
    unit.name = p.attribute("name").as_string("Insert");
    unit.kind = NodeKind::hardware_insert;
    Edge e = import::make_edge(EdgeKind::hardware_insert, info.node_id, unit.id);
    if (p.attribute("latency")) e.latency_samples = p.attribute("latency").as_double();
    e.compensated = e.latency_samples.has_value();  // Ardour compensates what it measured
    std::string send_ports, return_ports;
    for (auto io : p.children("IO")) {
      const bool out = std::string_view(io.attribute("direction").as_string()) == "Output";
      for (auto port : io.children("Port"))
        for (const PortLink& link : port_links(port))
          (out ? send_ports : return_ports) +=
              ((out ? send_ports : return_ports).empty() ? "" : ",") + link.other;
    }
    e.send_port = send_ports;
    e.return_port = return_ports;
    // The insert returns into the same route; in the route map its unit continues to the route's
    // outputs, so move them onto the unit.
    for (Edge& out : g_.edges)
      if (out.from == info.node_id && out.kind == EdgeKind::direct_output) out.from = unit.id;
    g_.edges.push_back(std::move(e));
    note(path_of(info) + "/Processor[@type='port']",
         fmt::format("hardware insert '{}' on '{}' drawn after the route's processing{}", unit.name,
                     info.name,
                     p.attribute("latency") ? "" : "; its round trip was never measured"));
    g_.nodes.push_back(std::move(unit));
  }

  const pugi::xml_document& doc_;
  Diagnostics& d_;
  ImportCoverage& c_;
  RouteGraph g_;
  std::string version_;
  bool legacy_ = false;
  std::map<std::string, RouteInfo> routes_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> by_name_;
  std::set<std::string> monitor_ids_, monitor_names_;
  std::map<std::string, std::pair<std::string, std::string>>
      sidechain_inputs_;  // IO: route, plugin
  std::map<std::string, std::string> hw_;
  import::IdMaker ids_;
  std::size_t plugin_latency_unknown_ = 0;
};

}  // namespace

ImportResult import_ardour(std::string_view xml, const std::string& name) {
  ImportResult result;
  result.format = SessionFormat::ardour_xml;
  pugi::xml_document doc;
  if (!import::parse_xml(doc, xml, "", result.diagnostics)) return result;
  if (!doc.child("Session")) {
    result.diagnostics.errors.push_back({"/", "not an Ardour session (no <Session> root element)"});
    return result;
  }
  Importer importer(doc, result.diagnostics, result.coverage, name);
  result.graph = import::checked(importer.run(), result.diagnostics);
  if (!result.diagnostics.ok()) result.graph.reset();
  return result;
}

}  // namespace routewise
