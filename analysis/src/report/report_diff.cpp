#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "routewise/analysis/report.hpp"

namespace routewise {
namespace {

using ojson = nlohmann::ordered_json;

std::string value(double v, const std::string& unit) {
  if (std::isnan(v)) return "unknown";
  if (std::isinf(v)) return v < 0 ? "-inf " + unit : "inf " + unit;
  return fmt::format("{:g} {}", std::round(v * 100) / 100, unit);
}

std::string edge_text(const EdgeSummary& e) {
  std::string out = fmt::format("{} {} → {}", e.kind, e.from, e.to);
  if (e.kind == "send") out += fmt::format(" ({}, {})", value(e.level_db, "dB"), e.tap);
  if (e.kind == "insert" && e.latency_samples)
    out += fmt::format(" ({:g} samples)", *e.latency_samples);
  return out;
}

// The lines of a diff, grouped under headings; shared by text and Markdown.
std::vector<std::pair<std::string, std::vector<std::string>>> sections(const RouteDiff& d) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const auto add = [&](std::string heading, std::vector<std::string> lines) {
    if (!lines.empty()) out.emplace_back(std::move(heading), std::move(lines));
  };
  std::vector<std::string> lines;
  for (const auto& n : d.added_nodes)
    lines.push_back(fmt::format("+ {} '{}' ({})", n.kind, n.name, n.id));
  for (const auto& n : d.removed_nodes)
    lines.push_back(fmt::format("- {} '{}' ({})", n.kind, n.name, n.id));
  add("Nodes added and removed", std::move(lines));
  lines = {};
  for (const auto& [a, b] : d.renamed)
    lines.push_back(fmt::format("'{}' → '{}' ({})", a.name, b.name, b.id));
  add("Renamed", std::move(lines));
  lines = {};
  for (const auto& [a, b] : d.rerouted)
    lines.push_back(fmt::format("'{}' output {} → {}", b.name,
                                a.primary_output.empty() ? "none" : a.primary_output,
                                b.primary_output.empty() ? "none" : b.primary_output));
  add("Re-routed outputs", std::move(lines));
  lines = {};
  for (const auto& e : d.added_edges) lines.push_back("+ " + edge_text(e));
  for (const auto& e : d.removed_edges) lines.push_back("- " + edge_text(e));
  add("Sends, keys, inserts and extra outputs", std::move(lines));
  lines = {};
  for (const auto& c : d.level_changes)
    lines.push_back(
        fmt::format("{}: {} → {}", c.what, value(c.before, c.unit), value(c.after, c.unit)));
  add("Levels", std::move(lines));
  lines = {};
  for (const auto& c : d.latency_changes)
    lines.push_back(
        fmt::format("{}: {} → {}", c.what, value(c.before, c.unit), value(c.after, c.unit)));
  add("Latency", std::move(lines));
  add("Other changes", d.other_changes);
  lines = {};
  for (const auto& f : d.new_findings)
    lines.push_back(fmt::format("new {} [{}] {}", f.severity, f.rule, f.message));
  for (const auto& f : d.resolved_findings)
    lines.push_back(fmt::format("resolved {} [{}] {}", f.severity, f.rule, f.message));
  add("Findings", std::move(lines));
  return out;
}

ojson node_json(const NodeSummary& n) {
  return {{"id", n.id}, {"name", n.name}, {"kind", n.kind}};
}
ojson edge_json(const EdgeSummary& e) {
  ojson o{{"kind", e.kind}, {"from", e.from}, {"to", e.to}};
  if (e.kind == "send" || e.kind == "sidechain") o["tap"] = e.tap;
  if (e.kind == "send") o["level_db"] = std::isinf(e.level_db) ? ojson("-inf") : ojson(e.level_db);
  if (e.latency_samples) o["latency_samples"] = *e.latency_samples;
  return o;
}
ojson change_json(const Change& c) {
  const auto num = [](double v) {
    return std::isfinite(v) ? ojson(v)
           : std::isnan(v)  ? ojson(nullptr)
                            : ojson(v < 0 ? "-inf" : "inf");
  };
  return {{"what", c.what}, {"before", num(c.before)}, {"after", num(c.after)}, {"unit", c.unit}};
}
ojson finding_json(const FindingRecord& f) {
  return {{"rule", f.rule},
          {"severity", f.severity},
          {"message", f.message},
          {"nodes", f.nodes},
          {"fix", f.fix}};
}

}  // namespace

std::string diff_report(const RouteDiff& d, const std::string& before_label,
                        const std::string& after_label, const std::string& format) {
  if (format == "json") {
    ojson doc{{"format", "routewise-diff"},
              {"version", 1},
              {"before", before_label},
              {"after", after_label}};
    const auto list = [](const auto& items, auto to_json) {
      ojson a = ojson::array();
      for (const auto& i : items) a.push_back(to_json(i));
      return a;
    };
    doc["added_nodes"] = list(d.added_nodes, node_json);
    doc["removed_nodes"] = list(d.removed_nodes, node_json);
    doc["renamed"] = list(d.renamed, [](const auto& p) {
      return ojson{{"id", p.second.id}, {"before", p.first.name}, {"after", p.second.name}};
    });
    doc["rerouted"] = list(d.rerouted, [](const auto& p) {
      return ojson{{"id", p.second.id},
                   {"before", p.first.primary_output},
                   {"after", p.second.primary_output}};
    });
    doc["added_edges"] = list(d.added_edges, edge_json);
    doc["removed_edges"] = list(d.removed_edges, edge_json);
    doc["level_changes"] = list(d.level_changes, change_json);
    doc["latency_changes"] = list(d.latency_changes, change_json);
    doc["other_changes"] = d.other_changes;
    doc["new_findings"] = list(d.new_findings, finding_json);
    doc["resolved_findings"] = list(d.resolved_findings, finding_json);
    return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
  }
  const bool markdown = format == "markdown";
  std::string out = markdown
                        ? fmt::format("# Route map changes: {} → {}\n\n", before_label, after_label)
                        : fmt::format("Changes from {} to {}\n", before_label, after_label);
  if (d.empty()) return out + (markdown ? "No changes.\n" : "\nNo changes.\n");
  for (const auto& [heading, lines] : sections(d)) {
    out += markdown ? fmt::format("## {}\n\n", heading) : fmt::format("\n{}\n", heading);
    for (const std::string& l : lines) out += (markdown ? "- " : "  ") + l + "\n";
    if (markdown) out += "\n";
  }
  return out;
}

}  // namespace routewise
