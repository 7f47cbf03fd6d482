#pragma once
// Each subcommand registers itself on the CLI and reports its exit code through `exit_code`.

#include <CLI/CLI.hpp>

namespace routewise::cli {

// Exit codes, documented in the README and in `routewise --help`.
inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;     // findings at or above --fail-on
inline constexpr int exit_input_error = 2;  // usage or input error

void add_validate_command(CLI::App& app, int& exit_code);
void add_show_command(CLI::App& app, int& exit_code);
void add_analyze_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
void add_import_command(CLI::App& app, int& exit_code);
void add_store_commands(CLI::App& app, int& exit_code);  // snapshot, history, diff
void add_latency_command(CLI::App& app, int& exit_code);
void add_db_command(CLI::App& app, int& exit_code);
void add_osc_commands(CLI::App& app, int& exit_code);  // sim, mirror
void add_render_command(CLI::App& app, int& exit_code);
void add_meter_command(CLI::App& app, int& exit_code);
void add_measure_command(CLI::App& app, int& exit_code);
void add_nulltest_command(CLI::App& app, int& exit_code);
void add_surface_commands(CLI::App& app, int& exit_code);  // surface (list), surface-sim
// surface learn, surface generic, surface mappings: generic MIDI controllers
void add_controller_commands(CLI::App* surface, int& exit_code);

}  // namespace routewise::cli
