// routewise analyze FILE: run the analysis rules and print the findings.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analysis_options.hpp"
#include "commands.hpp"
#include "load_input.hpp"
#include "output.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/latency_from_store.hpp"
#include "routewise/analysis/report.hpp"
#include "routewise/analysis/route_map_render.hpp"
#include "store_access.hpp"

namespace routewise::cli {
namespace {

struct AnalyzeOptions {
  std::string file;
  std::string format = "text";
  std::string fail_on = "error";
  std::string colour = "auto";
  AnalysisOptions analysis;
  std::string output;
  std::string db;
  bool no_measured = false;
};

// Markdown with -o also writes the route-map SVG beside the report and links it.
std::string markdown(const RouteGraph& graph, const std::vector<Finding>& findings,
                     const std::string& output) {
  std::string image;
  if (!output.empty()) {
    std::filesystem::path svg_path(output);
    svg_path.replace_extension(".svg");
    const Rendered svg = render_dot(route_map_dot(graph, findings), "svg");
    if (!svg.note.empty()) std::cerr << svg_path.string() << ": note: " << svg.note << "\n";
    if (!svg.data)
      std::cerr << svg_path.string() << ": route map not written: " << svg.error << "\n";
    else if (write_output(svg_path.string(), *svg.data, std::cerr))
      image = svg_path.filename().string();
  }
  return markdown_report(graph, findings, image);
}

}  // namespace

void add_analyze_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "analyze",
      "Diagnose routing faults: feedback loops, sidechain cycles, stem bleed and overlap, gain\n"
      "staging, summing build-up, PDC asymmetry, insert latency, send taps and levels, double\n"
      "routing, sidechain faults, orphans. Exits 1 when a finding is at or above --fail-on,\n"
      "2 on input errors.");
  auto opts = std::make_shared<AnalyzeOptions>();
  cmd->add_option("FILE", opts->file, "route-map JSON or DAW session file")->required();
  cmd->add_option("--format", opts->format, "report format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", opts->fail_on, "lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"info", "warning", "error", "never"}))
      ->capture_default_str();
  cmd->add_option("--colour,--color", opts->colour, "colour the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  add_analysis_options(cmd, opts->analysis);
  cmd->add_option("-o,--output", opts->output,
                  "write the report to this file (markdown: and the route-map SVG beside it)");
  cmd->add_option("--db", opts->db,
                  "database with measured insert latencies (`routewise measure`); default: "
                  "$ROUTEWISE_DB or the XDG default, when it exists");
  cmd->add_flag("--no-measured", opts->no_measured,
                "use the session's insert latencies, not the stored measurements");
  cmd->callback([opts, &exit_code] {
    exit_code = exit_input_error;
    const auto config = analysis_config(opts->analysis, std::cerr);
    if (!config) return;
    auto graph = load_input(opts->file, std::cerr);
    if (!graph || !declare_configured_stems(*graph, *config, opts->file, std::cerr)) return;
    if (!opts->no_measured) {
      // Measured round trips of this session's inserts replace what the session file claims.
      const std::filesystem::path db =
          opts->db.empty() ? default_store_path() : std::filesystem::path(opts->db);
      // An explicit --db must work; the default one is used when it helps, and when it
      // cannot be read the analysis goes on without it.
      if (!opts->db.empty() || std::filesystem::exists(db)) {
        std::unique_ptr<Store> store;
        try {
          store = std::make_unique<Store>(db, Store::Access::read_only);
        } catch (const StoreError& e) {
          if (!opts->db.empty()) {
            std::cerr << e.what() << "\n";
            return;
          }
          std::cerr << "note: measured latencies not used: " << e.what() << "\n";
        }
        const auto session =
            store ? store->session_of(*graph, std::filesystem::absolute(opts->file).string())
                  : std::nullopt;
        if (session)
          for (const std::string& note :
               apply_measured_latencies(*graph, store->latest_latencies(std::to_string(*session))))
            std::cerr << "note: " << note << "\n";
      }
    }
    const auto findings = analyze(*graph, *config);
    std::string report;
    if (opts->format == "json") {
      report = json_report(*graph, findings);
    } else if (opts->format == "markdown") {
      report = markdown(*graph, findings, opts->output);
    } else {
      const bool colour = opts->colour == "always" ||
                          (opts->colour == "auto" && opts->output.empty() && stdout_is_terminal());
      report = text_report(*graph, findings, {colour});
    }
    if (!write_output(opts->output, report, std::cerr)) return;
    exit_code = exit_ok;
    if (const auto threshold = severity_from_string(opts->fail_on)) {
      for (const Finding& f : findings)
        if (f.severity >= *threshold) exit_code = exit_findings;
    }
  });
}

}  // namespace routewise::cli
