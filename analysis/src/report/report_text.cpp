#include <fmt/format.h>

#include <cmath>

#include "routewise/analysis/report.hpp"
#include "routewise/model/graph_index.hpp"

namespace routewise {
namespace {

struct Style {
  bool on;
  std::string operator()(std::string_view code, std::string_view text) const {
    return on ? fmt::format("\033[{}m{}\033[0m", code, text) : std::string(text);
  }
};

std::string_view severity_colour(Severity s) {
  switch (s) {
    case Severity::error:
      return "1;31";
    case Severity::warning:
      return "1;33";
    case Severity::info:
      return "1;36";
  }
  return "0";
}

std::string format_value(double v) {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (v == std::floor(v) && std::fabs(v) < 1e9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2f}", v);
}

std::size_t count(const std::vector<Finding>& findings, Severity s) {
  std::size_t n = 0;
  for (const Finding& f : findings) n += f.severity == s;
  return n;
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

std::string findings_summary(const std::vector<Finding>& findings) {
  return fmt::format("{}, {}, {} info", plural(count(findings, Severity::error), "error"),
                     plural(count(findings, Severity::warning), "warning"),
                     count(findings, Severity::info));
}

std::string text_report(const RouteGraph& graph, const std::vector<Finding>& findings,
                        TextReportOptions options) {
  const Style style{options.colour};
  const GraphIndex index(graph);
  std::string out;
  std::size_t tracks = 0, summing = 0;
  for (const Node& n : graph.nodes) {
    tracks += n.kind == NodeKind::track;
    summing += is_summing_point(n.kind);
  }
  out += style("1", fmt::format("Session '{}'", graph.session.name));
  out += fmt::format(" — {}, {} summing points, {} edges, {:g} Hz\n", plural(tracks, "track"),
                     summing, graph.edges.size(), graph.session.sample_rate_hz);

  for (Severity s : {Severity::error, Severity::warning, Severity::info}) {
    const std::size_t n = count(findings, s);
    if (n == 0) continue;
    std::string heading = fmt::format("{} ({})", to_string(s), n);
    for (char& c : heading) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += "\n" + style(severity_colour(s), heading) + "\n";
    for (const Finding& f : findings) {
      if (f.severity != s) continue;
      out += fmt::format("  {} {}\n", style(severity_colour(s), "[" + f.rule_id + "]"), f.message);
      if (f.nodes.size() > 1) {
        std::string names;
        for (const std::string& id : f.nodes) {
          const auto i = index.find(id);
          names += (names.empty() ? "" : ", ") + (i ? quoted(index.node(*i)) : id);
        }
        out += fmt::format("      nodes: {}\n", names);
      }
      for (const Figure& fig : f.figures) {
        out += fmt::format("      {}: {}{}{}\n", fig.name, format_value(fig.value),
                           fig.unit.empty() ? "" : " " + fig.unit,
                           fig.limit.empty() ? "" : " (limit " + fig.limit + ")");
      }
      out += fmt::format("      {} {}\n", style("1", "fix:"), f.fix);
    }
  }
  out +=
      "\n" + (findings.empty() ? std::string("No findings.") : findings_summary(findings)) + "\n";
  return out;
}

}  // namespace routewise
