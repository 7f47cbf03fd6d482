// routewise graph FILE: draw the route map (DOT, SVG or PNG through linked Graphviz).
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "output.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/route_map_render.hpp"

namespace routewise::cli {
namespace {

struct GraphOptions {
  std::string file;
  std::string format = "svg";
  std::string output;
  bool no_findings = false;
  double layout_seconds = default_layout_seconds;
};

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "graph",
      "Draw the route map: stems as clusters, solid outputs, dashed sends (level, tap), dotted\n"
      "sidechains, bold inserts (latency); edges in warning/error findings in bold red.");
  auto opts = std::make_shared<GraphOptions>();
  cmd->add_option("FILE", opts->file, "route-map JSON or DAW session file")->required();
  cmd->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"dot", "svg", "png"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output; PNG needs -o)");
  cmd->add_flag("--no-findings", opts->no_findings, "do not mark findings in red");
  cmd->add_option("--layout-seconds", opts->layout_seconds,
                  "longest time the layout may take before a simpler one is drawn (svg, png)")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->callback([opts, &exit_code] {
    exit_code = exit_input_error;
    if (opts->format == "png" && opts->output.empty()) {
      std::cerr << "graph: --format png needs -o FILE\n";
      return;
    }
    auto graph = load_input(opts->file, std::cerr);
    if (!graph) return;
    const std::string dot =
        route_map_dot(*graph, opts->no_findings ? std::vector<Finding>{} : analyze(*graph));
    std::string data = dot;
    if (opts->format != "dot") {
      Rendered rendered = render_dot(dot, opts->format, opts->layout_seconds);
      if (!rendered.note.empty()) std::cerr << opts->file << ": note: " << rendered.note << "\n";
      if (!rendered.data) {
        std::cerr << opts->file << ": " << rendered.error << "\n";
        return;
      }
      data = std::move(*rendered.data);
    }
    if (!write_output(opts->output, data, std::cerr)) return;
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
