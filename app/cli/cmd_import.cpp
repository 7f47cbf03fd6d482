// routewise import FILE: a DAW session file as a route map.
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include "commands.hpp"
#include "load_input.hpp"
#include "output.hpp"

#include "routewise/model/route_map_json.hpp"
#include "routewise/sessions/session_import.hpp"
#include "table.hpp"

namespace routewise::cli {

void add_import_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "import",
      "Read a DAW session (REAPER .RPP, Ardour .ardour, DAWproject; format detected by content)\n"
      "and write it as a route map. What could not be mapped is listed as notes on stderr.");
  struct Options {
    std::string file, output;
    bool coverage = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("FILE", o->file, "session file")->required();
  cmd->add_option("-o,--output", o->output, "route-map JSON to write (default: standard output)");
  cmd->add_flag("--coverage", o->coverage,
                "instead of the route map, print how much of the file's routing was mapped "
                "(tracks, outputs, sends,\n"
                "plugins, sidechains, inserts) and list what was not");
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    if (o->coverage) {
      const ImportResult r = import_session_file(o->file);
      for (const Diagnostic& d : r.diagnostics.errors)
        std::cerr << format_diagnostic(o->file, d) << "\n";
      if (!r.graph) return;
      std::cout << fmt::format("{} ({}): what the import mapped\n\n", o->file, to_string(r.format));
      Table table({"category", "in the file", "mapped", "coverage"});
      for (const auto& [category, c] : r.coverage.categories)
        table.add({category, std::to_string(c.found), std::to_string(c.mapped),
                   fmt::format("{:.0f}%", c.found ? 100.0 * static_cast<double>(c.mapped) /
                                                        static_cast<double>(c.found)
                                                  : 100.0)});
      std::cout << (r.coverage.categories.empty() ? "nothing routing-related in the file\n"
                                                  : table.render());
      if (!r.coverage.unmapped.empty()) {
        std::cout << "\nnot mapped:\n";
        for (const std::string& u : r.coverage.unmapped) std::cout << "  - " << u << "\n";
      }
      if (!r.diagnostics.warnings.empty()) {
        std::cout << "\nnotes:\n";
        for (const Diagnostic& d : r.diagnostics.warnings)
          std::cout << "  - " << format_diagnostic("", d) << "\n";
      }
      exit_code = exit_ok;
      return;
    }
    const auto graph = load_input(o->file, std::cerr);
    if (!graph) return;
    const std::string json = write_route_map(*graph);
    if (!write_output(o->output, json, std::cerr)) return;
    std::cerr << o->file << ": " << graph->nodes.size() << " nodes, " << graph->edges.size()
              << " edges\n";
    exit_code = exit_ok;
  });
}

}  // namespace routewise::cli
