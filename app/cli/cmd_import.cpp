// routewise import FILE: a DAW session file as a route map.
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/core/route_map_json.hpp"

namespace routewise::cli {

void add_import_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "import",
      "Read a DAW session (REAPER .RPP, Ardour .ardour, DAWproject; format detected by content)\n"
      "and write it as a route map. What could not be mapped is listed as notes on stderr.");
  struct Options {
    std::string file, output;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("FILE", o->file, "session file")->required();
  cmd->add_option("-o,--output", o->output, "route-map JSON to write (default: standard output)");
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    const auto graph = load_input(o->file, std::cerr);
    if (!graph) return;
    const std::string json = write_route_map(*graph);
    if (o->output.empty()) {
      std::cout << json;
    } else if (!(std::ofstream(o->output, std::ios::binary) << json)) {
      std::cerr << o->output << ": cannot be written\n";
      return;
    }
    std::cerr << o->file << ": " << graph->nodes.size() << " nodes, " << graph->edges.size() << " edges\n";
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
