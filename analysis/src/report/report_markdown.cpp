#include <fmt/format.h>

#include <cmath>
#include <map>

#include "routewise/analysis/report.hpp"
#include "routewise/analysis/source_category.hpp"
#include "routewise/model/graph_index.hpp"
#include "routewise/model/level_estimate.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

// Names come from people's files: a control character in one (a carriage return, an escape
// sequence) is shown as \xNN, never written raw into the report or to the terminal that shows it.
std::string visible(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out;
}

// Table cells must not break the Markdown table.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : visible(s)) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\t')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string level(std::optional<double> v) {
  if (!v) return "—";
  return std::isinf(*v) ? "-inf" : fmt::format("{:.1f}", *v);
}

void summary(std::string& out, const RouteGraph& g, const std::vector<Finding>& findings) {
  std::map<NodeKind, std::size_t> kinds;
  for (const Node& n : g.nodes) ++kinds[n.kind];
  std::map<EdgeKind, std::size_t> edges;
  for (const Edge& e : g.edges) ++edges[e.kind];
  out += "## Session\n\n| | |\n|---|---|\n";
  out += fmt::format("| name | {} |\n", cell(g.session.name));
  if (!g.session.source_daw.empty())
    out += fmt::format("| source | {} {} |\n", cell(g.session.source_daw),
                       cell(g.session.daw_version));
  out += fmt::format("| sample rate | {:g} Hz |\n", g.session.sample_rate_hz);
  if (g.session.tempo_bpm) out += fmt::format("| tempo | {:g} bpm |\n", *g.session.tempo_bpm);
  std::string nodes, links;
  for (const auto& [k, n] : kinds)
    nodes += fmt::format("{}{} {}", nodes.empty() ? "" : ", ", n, to_string(k));
  for (const auto& [k, n] : edges)
    links += fmt::format("{}{} {}", links.empty() ? "" : ", ", n, to_string(k));
  out += fmt::format("| nodes | {} |\n| edges | {} |\n| findings | {} |\n\n", nodes, links,
                     findings_summary(findings));
}

void stems(std::string& out, const GraphIndex& index) {
  const RouteGraph& g = index.graph();
  if (g.session.stems.empty()) return;
  out += "## Stems\n\n| stem | bus | members |\n|---|---|---|\n";
  for (const auto& [stem, bus_id] : g.session.stems) {
    std::string members;
    std::size_t count = 0;
    for (const Node& n : g.nodes) {
      if (n.stem != stem || n.id == bus_id) continue;
      members += (count++ ? ", " : "") + n.name;
    }
    const auto bus = index.find(bus_id);
    out += fmt::format("| {} | {} | {} ({}) |\n", cell(stem),
                       cell(bus ? index.node(*bus).name : bus_id), count, cell(members));
  }
  out += "\n";
}

void buses(std::string& out, const GraphIndex& index) {
  const std::vector<NodeLevel> levels = estimate_levels(index);
  out +=
      "## Buses\n\nLevels are programme averages estimated from the sources' levels and the "
      "gains on the way (or measured, where a meter reading is stored). Headroom assumes "
      "peaks 6 dB above the average unless a peak was measured.\n\n"
      "| bus | kind | category | inputs | input level (dBFS) | headroom (dB) | fader (dB) | output "
      "level (dBFS) |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const Node& node = index.node(n);
    if (!is_summing_point(node.kind)) continue;
    const NodeLevel& l = levels[n];
    std::optional<double> headroom;
    if (l.input_dbfs) headroom = -(*l.input_dbfs + 6.0);
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", cell(node.name),
                       to_string(node.kind), to_string(categorize(index, n)), l.contributions,
                       level(l.input_dbfs), level(headroom), level(node.fader_db),
                       level(l.output_dbfs));
  }
  out += "\n";
}

void latencies(std::string& out, const RouteGraph& g) {
  std::string rows;
  for (const Node& n : g.nodes)
    for (const Plugin& p : n.plugins)
      if (p.latency_samples > 0 && !p.bypassed)
        rows += fmt::format("| {} | plugin {} | {:g} | {:.2f} | {} |\n", cell(n.name), cell(p.name),
                            p.latency_samples,
                            samples_to_ms(p.latency_samples, g.session.sample_rate_hz),
                            n.pdc_enabled ? "yes" : "**no** (PDC off)");
  for (const Edge& e : g.edges) {
    if (e.kind != EdgeKind::hardware_insert) continue;
    rows += e.latency_samples
                ? fmt::format("| {} | hardware insert → {} | {:g} | {:.2f} | {} |\n", cell(e.from),
                              cell(e.to), *e.latency_samples,
                              samples_to_ms(*e.latency_samples, g.session.sample_rate_hz),
                              e.compensated ? "yes" : "**no**")
                : fmt::format("| {} | hardware insert → {} | not measured | — | {} |\n",
                              cell(e.from), cell(e.to), e.compensated ? "yes" : "**no**");
  }
  out += "## Latency\n\n";
  out += rows.empty() ? "No plugin or insert latency in this session.\n\n"
                      : "| node | source | samples | ms | compensated |\n|---|---|---|---|---|\n" +
                            rows + "\n";
}

void finding_list(std::string& out, const GraphIndex& index, const std::vector<Finding>& findings) {
  out += "## Findings\n\n";
  if (findings.empty()) {
    out += "No findings.\n\n";
    return;
  }
  for (const Finding& f : findings) {
    out +=
        fmt::format("- **{}** `{}` — {}\n", to_string(f.severity), f.rule_id, visible(f.message));
    for (const Figure& fig : f.figures) {
      const std::string value = std::isfinite(fig.value)
                                    ? fmt::format("{:g}", std::round(fig.value * 100) / 100)
                                    : std::string(fig.value < 0 ? "-inf" : "inf");
      out += fmt::format("  - {}: {}{}{}\n", visible(fig.name), value,
                         fig.unit.empty() ? "" : " " + fig.unit,
                         fig.limit.empty() ? "" : " (limit " + fig.limit + ")");
    }
    out += fmt::format("  - fix: {}\n", visible(f.fix));
  }
  out += "\n";
  (void)index;
}

}  // namespace

std::string markdown_report(const RouteGraph& graph, const std::vector<Finding>& findings,
                            const std::string& image_path) {
  const GraphIndex index(graph);
  std::string out = fmt::format("# Routing report: {}\n\n", cell(graph.session.name));
  summary(out, graph, findings);
  finding_list(out, index, findings);
  stems(out, index);
  buses(out, index);
  latencies(out, graph);
  if (!image_path.empty())
    out += fmt::format("## Route map\n\n![Route map of {}]({})\n", cell(graph.session.name),
                       image_path);
  return out;
}

}  // namespace routewise
