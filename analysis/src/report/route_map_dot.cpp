#include <fmt/format.h>

#include <map>
#include <set>

#include "routewise/analysis/route_map_render.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string_view shape(NodeKind kind) {
  switch (kind) {
    case NodeKind::track:
      return "box";
    case NodeKind::bus:
      return "box3d";
    case NodeKind::aux_return:
      return "ellipse";
    case NodeKind::stem_bus:
      return "folder";
    case NodeKind::master:
      return "doubleoctagon";
    case NodeKind::cue_mix:
      return "house";
    case NodeKind::hardware_input:
      return "invhouse";
    case NodeKind::hardware_output:
      return "cds";
    case NodeKind::hardware_insert:
      return "component";
  }
  return "box";
}

std::string db_label(double v) {
  return std::isinf(v) ? "-inf dB" : fmt::format("{:+.1f} dB", v);
}

std::string node_label(const Node& n) {
  std::string label = n.name;
  if (n.kind != NodeKind::track && n.kind != NodeKind::hardware_output &&
      n.kind != NodeKind::hardware_input && n.kind != NodeKind::hardware_insert)
    label += fmt::format("\n{}", to_string(n.kind));
  if (n.fader_db != 0 && n.kind != NodeKind::hardware_insert) label += "\n" + db_label(n.fader_db);
  double latency = 0;
  for (const Plugin& p : n.plugins)
    if (!p.bypassed) latency += p.latency_samples;
  if (latency > 0) label += fmt::format("\n{:g} smp{}", latency, n.pdc_enabled ? "" : " (PDC off)");
  if (n.mute) label += "\nMUTED";
  return label;
}

std::string edge_attributes(const Edge& e, double rate_hz) {
  switch (e.kind) {
    case EdgeKind::direct_output:
      return e.primary ? "style=solid" : "style=solid, color=gray40";
    case EdgeKind::send:
      return fmt::format("style=dashed, label=\"{} {}{}\"", db_label(e.level_db), to_string(e.tap),
                         e.mute ? " (muted)" : "");
    case EdgeKind::sidechain:
      return fmt::format("style=dotted, arrowhead=odot, label=\"key: {}\"", escape(e.plugin));
    case EdgeKind::hardware_insert:
      if (!e.latency_samples) return "style=bold, label=\"insert, latency?\"";
      return fmt::format("style=bold, label=\"insert {:g} smp\\n{:.2f} ms{}\"", *e.latency_samples,
                         samples_to_ms(*e.latency_samples, rate_hz),
                         e.compensated ? "" : " uncomp.");
  }
  return "";
}

}  // namespace

std::string route_map_dot(const RouteGraph& graph, const std::vector<Finding>& findings) {
  std::set<std::string> flagged_nodes;
  std::set<std::tuple<std::string, std::string, EdgeKind>> flagged_edges;
  for (const Finding& f : findings) {
    if (f.severity == Severity::info) continue;
    flagged_nodes.insert(f.nodes.begin(), f.nodes.end());
    for (const EdgeRef& e : f.edges) flagged_edges.insert({e.from, e.to, e.kind});
  }
  std::map<std::string, std::vector<const Node*>> by_stem;
  for (const Node& n : graph.nodes) by_stem[n.stem.value_or("")].push_back(&n);

  std::string out = fmt::format(
      "digraph \"{}\" {{\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.7, "
      "label=\"{} — {:g} Hz\", labelloc=t];\n"
      "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#f4f4f4\"];\n"
      "  edge [fontname=\"Helvetica\", fontsize=8];\n",
      escape(graph.session.name), escape(graph.session.name), graph.session.sample_rate_hz);
  int cluster = 0;
  for (const auto& [stem, nodes] : by_stem) {
    const bool in_cluster = !stem.empty();
    if (in_cluster)
      out += fmt::format(
          "  subgraph cluster_{} {{\n    label=\"{} stem\"; style=rounded; color=gray60;\n",
          cluster++, escape(stem));
    for (const Node* n : nodes) {
      const bool flagged = flagged_nodes.contains(n->id);
      out += fmt::format("    \"{}\" [label=\"{}\", shape={}{}{}];\n", escape(n->id),
                         escape(node_label(*n)), shape(n->kind),
                         n->colour ? fmt::format(", fillcolor=\"{}40\"", *n->colour) : "",
                         flagged ? ", color=red, penwidth=2.5" : "");
    }
    if (in_cluster) out += "  }\n";
  }
  for (const Edge& e : graph.edges) {
    const bool flagged = flagged_edges.contains({e.from, e.to, e.kind});
    out += fmt::format("  \"{}\" -> \"{}\" [{}{}];\n", escape(e.from), escape(e.to),
                       edge_attributes(e, graph.session.sample_rate_hz),
                       flagged ? ", color=red, fontcolor=red, penwidth=2.5" : "");
  }
  out += "}\n";
  return out;
}

}  // namespace routewise
