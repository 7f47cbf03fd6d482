#include "routewise/model/route_map_json.hpp"

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "route_map_ranges.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/model/json_stream.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr std::size_t max_nesting_depth = 64;
constexpr std::size_t max_reported_errors = 50;

using ranges::Range;
constexpr const Range& fader_range = ranges::fader;
constexpr const Range& trim_range = ranges::trim;
constexpr const Range& plugin_gain_range = ranges::plugin_gain;
constexpr const Range& level_range = ranges::level;
constexpr const Range& pan_range = ranges::pan;
constexpr const Range& latency_range = ranges::latency;
constexpr const Range& sample_rate_range = ranges::sample_rate;
constexpr const Range& tempo_range = ranges::tempo;

std::string json_type_name(const nlohmann::json& v) {
  if (v.is_number()) return "number";
  return v.type_name();
}

// Finds the deepest nesting of arrays/objects without building anything (guards the parser).
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      deepest = std::max(deepest, ++depth);
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
    if (deepest > max_nesting_depth) break;
  }
  return deepest;
}

class Reader {
 public:
  Diagnostics diagnostics;

  void error(const std::string& where, std::string message) {
    if (diagnostics.errors.size() < max_reported_errors)
      diagnostics.errors.push_back({where, std::move(message)});
  }
  void warning(const std::string& where, std::string message) {
    diagnostics.warnings.push_back({where, std::move(message)});
  }

  // Warns about keys the format does not define; they are ignored, not kept.
  void check_keys(const json& object, const std::string& where,
                  std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : object.items()) {
      bool found = false;
      for (auto k : known) found = found || k == key;
      if (!found) warning(join(where, key), "unknown field (ignored)");
    }
  }

  static std::string join(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }
  static std::string at(const std::string& where, std::size_t i) {
    return where + "[" + std::to_string(i) + "]";
  }

  const json* member(const json& object, std::string_view key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  bool expect_object(const json& v, const std::string& where) {
    if (v.is_object()) return true;
    error(where, "expected an object, got " + json_type_name(v));
    return false;
  }

  void read_string(const json& object, const std::string& where, std::string_view key,
                   std::string& out, bool required, bool non_empty) {
    const json* v = member(object, key);
    const std::string path = join(where, key);
    if (!v) {
      if (required) error(path, "missing");
      return;
    }
    if (!v->is_string()) return error(path, "expected a string, got " + json_type_name(*v));
    out = v->get<std::string>();
    if (non_empty && ranges::is_blank(out)) error(path, "is empty");
  }

  void read_optional_string(const json& object, const std::string& where, std::string_view key,
                            std::optional<std::string>& out) {
    if (!member(object, key)) return;
    std::string s;
    read_string(object, where, key, s, true, true);
    out = s;
  }

  void read_bool(const json& object, const std::string& where, std::string_view key, bool& out) {
    const json* v = member(object, key);
    if (!v) return;
    if (!v->is_boolean())
      return error(join(where, key), "expected true or false, got " + json_type_name(*v));
    out = v->get<bool>();
  }

  // A number within a range; dB-like ranges that start at -inf also accept the string "-inf".
  void read_number(const json& object, const std::string& where, std::string_view key, double& out,
                   const Range& range, bool required = false) {
    const json* v = member(object, key);
    const std::string path = join(where, key);
    if (!v) {
      if (required) error(path, "missing");
      return;
    }
    const bool accepts_inf = std::isinf(range.low);
    double value;
    if (v->is_number()) {
      value = v->get<double>();
    } else if (accepts_inf && v->is_string() && v->get<std::string>() == "-inf") {
      value = minus_inf_db;
    } else {
      return error(path, std::string("expected a number") + (accepts_inf ? " or \"-inf\"" : "") +
                             ", got " + json_type_name(*v));
    }
    if (!ranges::within(value, range)) return error(path, ranges::out_of_range(value, range));
    out = value;
  }

  void read_optional_number(const json& object, const std::string& where, std::string_view key,
                            std::optional<double>& out, const Range& range) {
    if (!member(object, key)) return;
    double value = 0;
    read_number(object, where, key, value, range, true);
    out = value;
  }

  void read_int(const json& object, const std::string& where, std::string_view key, int& out,
                int low, int high) {
    const json* v = member(object, key);
    if (!v) return;
    const std::string path = join(where, key);
    if (!v->is_number_integer())
      return error(path, "expected a whole number, got " + json_type_name(*v));
    const auto value = v->get<long long>();
    if (value < low || value > high)
      return error(path, std::to_string(value) + " is out of range (" + std::to_string(low) + ".." +
                             std::to_string(high) + ")");
    out = static_cast<int>(value);
  }

  void read_tap(const json& object, const std::string& where, TapPoint& out) {
    std::string text;
    const json* v = member(object, "tap");
    if (!v) return;
    read_string(object, where, "tap", text, true, false);
    if (!v->is_string()) return;
    if (auto tap = tap_point_from_string(text))
      out = *tap;
    else
      error(join(where, "tap"), "\"" + text + "\" is not pre-fx, pre-fader or post-fader");
  }

  template <typename Fn>
  void read_array(const json& object, const std::string& where, std::string_view key, Fn&& each) {
    const json* v = member(object, key);
    if (!v) return;
    const std::string path = join(where, key);
    if (!v->is_array()) return error(path, "expected an array, got " + json_type_name(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string item = at(path, i);
      if (expect_object((*v)[i], item)) each((*v)[i], item);
    }
  }

  void read_levels(const json& object, const std::string& where, std::string_view key,
                   Levels& out) {
    const json* v = member(object, key);
    if (!v) return;
    const std::string path = join(where, key);
    if (!expect_object(*v, path)) return;
    check_keys(*v, path, {"average_dbfs", "peak_dbfs", "true_peak_dbtp"});
    read_optional_number(*v, path, "average_dbfs", out.average_dbfs, level_range);
    read_optional_number(*v, path, "peak_dbfs", out.peak_dbfs, level_range);
    read_optional_number(*v, path, "true_peak_dbtp", out.true_peak_dbtp, level_range);
  }

  Plugin read_plugin(const json& v, const std::string& where) {
    Plugin p;
    check_keys(v, where, {"name", "latency_samples", "gain_db", "bypassed", "sidechain_input"});
    read_string(v, where, "name", p.name, true, true);
    read_number(v, where, "latency_samples", p.latency_samples, latency_range);
    read_number(v, where, "gain_db", p.gain_db, plugin_gain_range);
    read_bool(v, where, "bypassed", p.bypassed);
    read_bool(v, where, "sidechain_input", p.sidechain_input);
    return p;
  }

  Edge read_edge_common(const json& v, const std::string& where, EdgeKind kind,
                        const std::string& from) {
    Edge e;
    e.kind = kind;
    e.from = from;
    read_string(v, where, "target", e.to, true, true);
    return e;
  }

  void read_node(const json& v, const std::string& where, RouteGraph& graph,
                 std::vector<std::pair<std::string, std::string>>& edge_paths) {
    Node n;
    check_keys(v, where, {"id",       "name",     "kind",    "daw_id", "channels",
                          "fader_db", "trim_db",  "mute",    "solo",   "polarity_inverted",
                          "pan",      "colour",   "stem",    "pdc",    "plugins",
                          "source",   "measured", "outputs", "sends",  "sidechains",
                          "inserts"});
    read_string(v, where, "id", n.id, true, true);
    read_string(v, where, "name", n.name, true, true);
    std::string kind;
    read_string(v, where, "kind", kind, true, false);
    if (auto k = node_kind_from_string(kind))
      n.kind = *k;
    else if (member(v, "kind") && member(v, "kind")->is_string())
      error(join(where, "kind"), "\"" + kind + "\" is not a node kind");
    read_optional_string(v, where, "daw_id", n.daw_id);
    read_int(v, where, "channels", n.channel_count, ranges::min_channels, ranges::max_channels);
    read_number(v, where, "fader_db", n.fader_db, fader_range);
    read_number(v, where, "trim_db", n.trim_db, trim_range);
    read_bool(v, where, "mute", n.mute);
    read_bool(v, where, "solo", n.solo);
    read_bool(v, where, "polarity_inverted", n.polarity_inverted);
    read_number(v, where, "pan", n.pan, pan_range);
    read_optional_string(v, where, "colour", n.colour);
    if (n.colour && !ranges::is_colour(*n.colour))
      error(join(where, "colour"), "\"" + *n.colour + "\" is not a #rrggbb colour");
    read_optional_string(v, where, "stem", n.stem);
    read_bool(v, where, "pdc", n.pdc_enabled);
    read_array(v, where, "plugins", [&](const json& p, const std::string& w) {
      n.plugins.push_back(read_plugin(p, w));
    });
    read_levels(v, where, "source", n.source);
    read_levels(v, where, "measured", n.measured);

    bool first_output = true;
    read_array(v, where, "outputs", [&](const json& o, const std::string& w) {
      check_keys(o, w, {"target"});
      Edge e = read_edge_common(o, w, EdgeKind::direct_output, n.id);
      e.primary = first_output;
      first_output = false;
      add_edge(graph, std::move(e), w, edge_paths);
    });
    read_array(v, where, "sends", [&](const json& o, const std::string& w) {
      check_keys(o, w, {"target", "level_db", "pan", "mute", "tap"});
      Edge e = read_edge_common(o, w, EdgeKind::send, n.id);
      read_number(o, w, "level_db", e.level_db, fader_range);
      read_number(o, w, "pan", e.pan, pan_range);
      read_bool(o, w, "mute", e.mute);
      read_tap(o, w, e.tap);
      add_edge(graph, std::move(e), w, edge_paths);
    });
    read_array(v, where, "sidechains", [&](const json& o, const std::string& w) {
      check_keys(o, w, {"target", "plugin", "level_db", "mute", "tap"});
      Edge e = read_edge_common(o, w, EdgeKind::sidechain, n.id);
      read_string(o, w, "plugin", e.plugin, true, true);
      read_number(o, w, "level_db", e.level_db, fader_range);
      read_bool(o, w, "mute", e.mute);
      read_tap(o, w, e.tap);
      add_edge(graph, std::move(e), w, edge_paths);
    });
    read_array(v, where, "inserts", [&](const json& o, const std::string& w) {
      check_keys(o, w, {"target", "send_port", "return_port", "latency_samples", "compensated"});
      Edge e = read_edge_common(o, w, EdgeKind::hardware_insert, n.id);
      read_string(o, w, "send_port", e.send_port, false, false);
      read_string(o, w, "return_port", e.return_port, false, false);
      read_optional_number(o, w, "latency_samples", e.latency_samples, latency_range);
      read_bool(o, w, "compensated", e.compensated);
      add_edge(graph, std::move(e), w, edge_paths);
    });
    graph.nodes.push_back(std::move(n));
  }

  static void add_edge(RouteGraph& graph, Edge e, const std::string& where,
                       std::vector<std::pair<std::string, std::string>>& edge_paths) {
    edge_paths.emplace_back(where, e.to);
    graph.edges.push_back(std::move(e));
  }

  void read_session(const json& v, RouteGraph& graph) {
    const std::string where = "session";
    if (!expect_object(v, where)) return;
    check_keys(v, where,
               {"name", "sample_rate_hz", "source_daw", "daw_version", "tempo_bpm", "stems"});
    SessionInfo& s = graph.session;
    read_string(v, where, "name", s.name, false, false);
    read_number(v, where, "sample_rate_hz", s.sample_rate_hz, sample_rate_range, true);
    read_string(v, where, "source_daw", s.source_daw, false, false);
    read_string(v, where, "daw_version", s.daw_version, false, false);
    read_optional_number(v, where, "tempo_bpm", s.tempo_bpm, tempo_range);
    if (const json* stems = member(v, "stems")) {
      if (!expect_object(*stems, "session.stems")) return;
      for (const auto& [stem, bus] : stems->items()) {
        const std::string path = "session.stems." + stem;
        if (stem.empty()) error(path, "stem name is empty");
        if (!bus.is_string())
          error(path, "expected a node id string, got " + json_type_name(bus));
        else
          s.stems[stem] = bus.get<std::string>();
      }
    }
  }

  // Cross-references: ids unique, edge targets and stem buses exist.
  void check_references(const RouteGraph& graph,
                        const std::vector<std::pair<std::string, std::string>>& edge_paths) {
    std::unordered_set<std::string_view> ids;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
      const Node& n = graph.nodes[i];
      if (n.id.empty()) continue;
      if (!ids.insert(n.id).second)
        error(at("nodes", i) + ".id", "duplicate node id \"" + n.id + "\"");
    }
    for (const auto& [where, target] : edge_paths) {
      if (!target.empty() && !ids.contains(target))
        error(where + ".target", "unknown node \"" + target + "\"");
    }
    for (const auto& [stem, bus] : graph.session.stems) {
      if (!ids.contains(bus)) error("session.stems." + stem, "unknown node \"" + bus + "\"");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
      const std::string& name = graph.nodes[i].name;
      if (!name.empty() && !names.insert(name).second)
        warning(at("nodes", i) + ".name",
                "\"" + name + "\" is used by more than one node; ids tell them apart");
    }
  }
};

// Writes a dB value; -inf is not representable in JSON, so it becomes the string "-inf".
ojson db_value(double v) {
  return std::isinf(v) && v < 0 ? ojson("-inf") : ojson(v);
}

ojson levels_json(const Levels& l) {
  ojson o = ojson::object();
  if (l.average_dbfs) o["average_dbfs"] = db_value(*l.average_dbfs);
  if (l.peak_dbfs) o["peak_dbfs"] = db_value(*l.peak_dbfs);
  if (l.true_peak_dbtp) o["true_peak_dbtp"] = db_value(*l.true_peak_dbtp);
  return o;
}

bool has_levels(const Levels& l) {
  return l.average_dbfs || l.peak_dbfs || l.true_peak_dbtp;
}

ojson node_json(const Node& n, const std::vector<const Edge*>& edges) {
  ojson o;
  o["id"] = n.id;
  o["name"] = n.name;
  o["kind"] = std::string(to_string(n.kind));
  if (n.daw_id) o["daw_id"] = *n.daw_id;
  o["channels"] = n.channel_count;
  o["fader_db"] = db_value(n.fader_db);
  if (n.trim_db != 0) o["trim_db"] = n.trim_db;
  if (n.mute) o["mute"] = true;
  if (n.solo) o["solo"] = true;
  if (n.polarity_inverted) o["polarity_inverted"] = true;
  if (n.pan != 0) o["pan"] = n.pan;
  if (n.colour) o["colour"] = *n.colour;
  if (n.stem) o["stem"] = *n.stem;
  if (!n.pdc_enabled) o["pdc"] = false;
  if (!n.plugins.empty()) {
    ojson plugins = ojson::array();
    for (const Plugin& p : n.plugins) {
      ojson po;
      po["name"] = p.name;
      if (p.latency_samples != 0) po["latency_samples"] = p.latency_samples;
      if (p.gain_db != 0) po["gain_db"] = p.gain_db;
      if (p.bypassed) po["bypassed"] = true;
      if (p.sidechain_input) po["sidechain_input"] = true;
      plugins.push_back(std::move(po));
    }
    o["plugins"] = std::move(plugins);
  }
  if (has_levels(n.source)) o["source"] = levels_json(n.source);
  if (has_levels(n.measured)) o["measured"] = levels_json(n.measured);

  ojson outputs = ojson::array(), sends = ojson::array(), keys = ojson::array(),
        inserts = ojson::array();
  for (const Edge* e : edges) {
    ojson eo;
    eo["target"] = e->to;
    switch (e->kind) {
      case EdgeKind::direct_output:
        outputs.push_back(std::move(eo));
        break;
      case EdgeKind::send:
        eo["level_db"] = db_value(e->level_db);
        if (e->pan != 0) eo["pan"] = e->pan;
        if (e->mute) eo["mute"] = true;
        eo["tap"] = std::string(to_string(e->tap));
        sends.push_back(std::move(eo));
        break;
      case EdgeKind::sidechain:
        eo["plugin"] = e->plugin;
        if (e->level_db != 0) eo["level_db"] = db_value(e->level_db);
        if (e->mute) eo["mute"] = true;
        eo["tap"] = std::string(to_string(e->tap));
        keys.push_back(std::move(eo));
        break;
      case EdgeKind::hardware_insert:
        if (!e->send_port.empty()) eo["send_port"] = e->send_port;
        if (!e->return_port.empty()) eo["return_port"] = e->return_port;
        if (e->latency_samples) eo["latency_samples"] = *e->latency_samples;
        eo["compensated"] = e->compensated;
        inserts.push_back(std::move(eo));
        break;
    }
  }
  if (!outputs.empty()) o["outputs"] = std::move(outputs);
  if (!sends.empty()) o["sends"] = std::move(sends);
  if (!keys.empty()) o["sidechains"] = std::move(keys);
  if (!inserts.empty()) o["inserts"] = std::move(inserts);
  return o;
}

}  // namespace

namespace {
struct TooLarge {
  std::string where, message;
};
}  // namespace

RouteMapLoad parse_route_map(std::string_view json_text) {
  Reader r;
  RouteMapLoad result;
  if (nesting_depth(json_text) > max_nesting_depth) {
    r.error("", "JSON nested deeper than " + std::to_string(max_nesting_depth) + " levels");
    result.diagnostics = std::move(r.diagnostics);
    return result;
  }
  // The nodes are read one at a time as the parser completes them (see json_stream.hpp).
  RouteGraph graph;
  std::vector<std::pair<std::string, std::string>> edge_paths;
  Reader nodes_reader;  // reported after the top level, and only when that is right
  const auto read_node = [&](std::string_view, std::size_t index, const json& parsed) {
    const std::string where = Reader::at("nodes", index);
    if (index >= max_graph_nodes || graph.edges.size() > max_graph_edges)
      throw TooLarge{where, "more than " + std::to_string(max_graph_nodes) + " nodes or " +
                                std::to_string(max_graph_edges) +
                                " edges; Routewise reads sessions of up to that many"};
    if (nodes_reader.expect_object(parsed, where))
      nodes_reader.read_node(parsed, where, graph, edge_paths);
  };
  json doc;
  try {
    doc = parse_streaming_arrays(
        json_text, [](std::string_view key) { return key == "nodes"; }, read_node);
  } catch (const TooLarge& e) {
    r.error(e.where, e.message);
    result.diagnostics = std::move(r.diagnostics);
    return result;
  } catch (const json::exception& e) {  // parse errors, and numbers too large for a double (406)
    // nlohmann's message carries the line and column; drop its "[json.exception...]" prefix.
    std::string what = e.what();
    const auto pos = what.find("] ");
    r.error("", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
    result.diagnostics = std::move(r.diagnostics);
    return result;
  }

  if (r.expect_object(doc, "(top level)")) {
    r.check_keys(doc, "", {"format", "version", "session", "nodes"});
    std::string format;
    r.read_string(doc, "", "format", format, true, false);
    if (doc.contains("format") && doc["format"].is_string() && format != route_map_format_name)
      r.error("format", "\"" + format + "\" is not a routewise route map (expected \"" +
                            std::string(route_map_format_name) + "\")");
    int version = 0;
    if (!doc.contains("version")) r.error("version", "missing");
    r.read_int(doc, "", "version", version, 0, std::numeric_limits<int>::max());
    if (version > route_map_format_version)
      r.error("version", "route map version " + std::to_string(version) +
                             " is newer than this program reads (" +
                             std::to_string(route_map_format_version) + "); upgrade routewise");
    else if (doc.contains("version") && version < 1)
      r.error("version", "version must be 1 or more");
    if (r.diagnostics.ok()) {
      if (const json* s = r.member(doc, "session"))
        r.read_session(*s, graph);
      else
        r.error("session", "missing");
      if (const json* nodes = r.member(doc, "nodes"); !nodes) {
        r.error("nodes", "missing");
      } else if (!nodes->is_array()) {
        r.error("nodes", "expected an array, got " + json_type_name(*nodes));
      } else {
        for (Diagnostic& d : nodes_reader.diagnostics.errors)
          r.error(d.where, std::move(d.message));
        for (Diagnostic& d : nodes_reader.diagnostics.warnings)
          r.warning(d.where, std::move(d.message));
      }
      if (r.diagnostics.ok()) r.check_references(graph, edge_paths);
    }
  }
  result.diagnostics = std::move(r.diagnostics);
  if (result.diagnostics.ok()) result.graph = std::move(graph);
  return result;
}

std::string write_route_map(const RouteGraph& graph) {
  ojson doc;
  doc["format"] = std::string(route_map_format_name);
  doc["version"] = route_map_format_version;
  ojson session;
  session["name"] = graph.session.name;
  session["sample_rate_hz"] = graph.session.sample_rate_hz;
  if (!graph.session.source_daw.empty()) session["source_daw"] = graph.session.source_daw;
  if (!graph.session.daw_version.empty()) session["daw_version"] = graph.session.daw_version;
  if (graph.session.tempo_bpm) session["tempo_bpm"] = *graph.session.tempo_bpm;
  if (!graph.session.stems.empty()) {
    ojson stems = ojson::object();
    for (const auto& [stem, bus] : graph.session.stems) stems[stem] = bus;
    session["stems"] = std::move(stems);
  }
  doc["session"] = std::move(session);

  // Edges are written under their source node; group them in one pass.
  std::unordered_map<std::string_view, std::vector<const Edge*>> by_source;
  for (const Edge& e : graph.edges) by_source[e.from].push_back(&e);
  ojson nodes = ojson::array();
  static const std::vector<const Edge*> none;
  for (const Node& n : graph.nodes) {
    const auto it = by_source.find(n.id);
    nodes.push_back(node_json(n, it == by_source.end() ? none : it->second));
  }
  doc["nodes"] = std::move(nodes);
  // Names from old sessions may not be valid UTF-8; replace bad bytes rather than fail.
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

FileRead read_text_file(const std::filesystem::path& path, std::size_t max_bytes) {
  FileRead result;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    result.error = "no such file";
    return result;
  }
  if (std::filesystem::is_directory(path, ec)) {
    result.error = "is a directory, not a file";
    return result;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) {
    result.error = "file is " + std::to_string(size >> 20) + " MB, more than the " +
                   std::to_string(max_bytes >> 20) + " MB limit";
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = "cannot be opened for reading";
    return result;
  }
  std::string content;
  if (!ec) content.reserve(size);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) {
      result.error = "more than the size limit";
      return result;
    }
  }
  result.content = std::move(content);
  return result;
}

}  // namespace routewise
