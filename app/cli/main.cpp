// routewise: mirror a DAW's mixer, drive control surfaces, document and diagnose routing.
#include <iostream>

#include "commands.hpp"
#include "output.hpp"

int main(int argc, char** argv) {
  using namespace routewise::cli;
  CLI::App app{"routewise — DAW routing maps and routing-fault diagnosis", "routewise"};
  app.footer(
      "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error.\n"
      "Run `routewise COMMAND --help` for the options of one command.");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("routewise 0.1.0"));
  int exit_code = exit_ok;
  add_validate_command(app, exit_code);
  add_show_command(app, exit_code);
  add_analyze_command(app, exit_code);
  add_graph_command(app, exit_code);
  add_import_command(app, exit_code);
  add_store_commands(app, exit_code);
  add_latency_command(app, exit_code);
  add_db_command(app, exit_code);
  add_osc_commands(app, exit_code);
  add_surface_commands(app, exit_code);
  add_render_command(app, exit_code);
  add_meter_command(app, exit_code);
  add_measure_command(app, exit_code);
  add_nulltest_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_input_error;
  }
  if (!finish_standard_output(std::cerr)) return exit_input_error;
  return exit_code;
}
