// routewise validate FILE: is this a well-formed route map that can be rendered?
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/analysis/finding.hpp"
#include "routewise/model/graph_order.hpp"

namespace routewise::cli {

void add_validate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "validate",
      "Check a route-map file: syntax, types, ranges, references and audio loops.\n"
      "Exits 0 when valid, 2 with one line per problem otherwise.");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "route-map JSON or DAW session file")->required();
  cmd->callback([file, &exit_code] {
    auto graph = load_input(*file, std::cerr);
    if (!graph) {
      exit_code = exit_input_error;
      return;
    }
    // A loop of audio edges cannot be rendered; `analyze` explains it as a feedback-loop finding.
    const GraphIndex index(*graph);
    const auto order = topological_order(index, EdgeFilter::audio());
    for (const Cycle& cycle : order.cycles)
      std::cerr << *file << ": nodes: audio loop " << describe_path(index, cycle.edges) << "\n";
    if (!order.cycles.empty()) {
      exit_code = exit_input_error;
      return;
    }
    std::cout << *file << ": valid route map (" << graph->nodes.size() << " nodes, "
              << graph->edges.size() << " edges)\n";
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
