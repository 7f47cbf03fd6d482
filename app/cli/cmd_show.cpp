// routewise show FILE: the nodes and edges of a session as readable tables.
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/model/graph_index.hpp"
#include "routewise/model/units.hpp"
#include "table.hpp"
#include "terminal_text.hpp"

namespace routewise::cli {
namespace {

std::string db(double v) {
  if (std::isinf(v)) return "-inf";
  return fmt::format("{:+.1f}", v);
}

std::string flags(const Node& n) {
  std::string f;
  if (n.mute) f += "M";
  if (n.solo) f += "S";
  if (n.polarity_inverted) f += "Ø";
  if (!n.pdc_enabled) f += (f.empty() ? "" : " ") + std::string("pdc-off");
  return f;
}

std::string plugin_list(const Node& n) {
  std::string out;
  for (const Plugin& p : n.plugins) {
    if (!out.empty()) out += ", ";
    out += p.name;
    if (p.latency_samples > 0) out += fmt::format(" ({:g} smp)", p.latency_samples);
    if (p.bypassed) out += " [byp]";
    if (p.sidechain_input) out += " [key]";
  }
  return out;
}

std::string edge_detail(const Edge& e, double sample_rate_hz) {
  switch (e.kind) {
    case EdgeKind::direct_output:
      return e.primary ? "primary" : "extra output";
    case EdgeKind::send:
      return fmt::format("{} dB {}{}", db(e.level_db), to_string(e.tap), e.mute ? " muted" : "");
    case EdgeKind::sidechain:
      return fmt::format("key → {} ({}){}", e.plugin, to_string(e.tap), e.mute ? " muted" : "");
    case EdgeKind::hardware_insert:
      if (!e.latency_samples) return "round trip not measured";
      return fmt::format("{:g} smp = {:.2f} ms{}", *e.latency_samples,
                         samples_to_ms(*e.latency_samples, sample_rate_hz),
                         e.compensated ? ", compensated" : ", NOT compensated");
  }
  return "";
}

}  // namespace

void add_show_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("show", "Print the nodes and edges of a route map as tables.");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "route-map JSON or DAW session file")->required();
  cmd->callback([file, &exit_code] {
    auto graph = load_input(*file, std::cerr);
    if (!graph) {
      exit_code = exit_input_error;
      return;
    }
    const GraphIndex index(*graph);
    const SessionInfo& s = graph->session;
    // Live and Ardour write their name into the version ("Ableton Live 12.0b16"): said once.
    const std::string daw = s.daw_version.starts_with(s.source_daw)
                                ? s.daw_version
                                : s.source_daw + (s.daw_version.empty() ? "" : " " + s.daw_version);
    std::cout << fmt::format("Session '{}'  {:g} Hz{}\n\n", printable(s.name), s.sample_rate_hz,
                             daw.empty() ? "" : "  from " + printable(daw));
    Table nodes({"id", "name", "kind", "stem", "ch", "fader", "trim", "flags", "plugins"});
    for (const Node& n : graph->nodes)
      nodes.add({n.id, n.name, std::string(to_string(n.kind)), n.stem.value_or(""),
                 std::to_string(n.channel_count), db(n.fader_db), db(n.trim_db), flags(n),
                 plugin_list(n)});
    std::cout << nodes.render() << "\n";
    Table edges({"from", "to", "kind", "detail"});
    for (EdgeIndex e = 0; e < graph->edges.size(); ++e) {
      const Edge& edge = graph->edges[e];
      edges.add({index.node(index.from(e)).name, index.node(index.to(e)).name,
                 std::string(to_string(edge.kind)), edge_detail(edge, s.sample_rate_hz)});
    }
    std::cout << edges.render();
    if (!s.stems.empty()) {
      std::cout << "\nStems:";
      for (const auto& [stem, bus] : s.stems)
        std::cout << "  " << printable(stem) << " → " << printable(bus);
      std::cout << "\n";
    }
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
