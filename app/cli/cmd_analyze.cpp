// routewise analyze FILE: run the analysis rules and print the findings.
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"

namespace routewise::cli {
namespace {

struct AnalyzeOptions {
  std::string file;
  std::string format = "text";
  std::string fail_on = "error";
  std::string colour = "auto";
};

}  // namespace

void add_analyze_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "analyze",
      "Diagnose routing faults (feedback loops, stem bleed, gain staging, PDC asymmetry, ...).\n"
      "Exits 1 when a finding is at or above --fail-on, 2 on input errors.");
  auto opts = std::make_shared<AnalyzeOptions>();
  cmd->add_option("FILE", opts->file, "route-map JSON file")->required();
  cmd->add_option("--format", opts->format, "report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", opts->fail_on, "lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"info", "warning", "error", "never"}))
      ->capture_default_str();
  cmd->add_option("--colour,--color", opts->colour, "colour the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->callback([opts, &exit_code] {
    auto graph = load_input(opts->file, std::cerr);
    if (!graph) {
      exit_code = exit_input_error;
      return;
    }
    const auto findings = analyze(*graph);
    if (opts->format == "json") {
      std::cout << json_report(*graph, findings);
    } else {
      const bool colour =
          opts->colour == "always" || (opts->colour == "auto" && stdout_is_terminal());
      std::cout << text_report(*graph, findings, {colour});
    }
    exit_code = exit_ok;
    if (const auto threshold = severity_from_string(opts->fail_on)) {
      for (const Finding& f : findings)
        if (f.severity >= *threshold) exit_code = exit_findings;
    }
  });
}

}  // namespace routewise::cli
