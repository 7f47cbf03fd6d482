#include "analysis_options.hpp"

#include "routewise/analysis/config_file.hpp"
#include "routewise/analysis/declared_stems.hpp"

namespace routewise::cli {

void add_analysis_options(CLI::App* cmd, AnalysisOptions& o) {
  cmd->add_option("--config", o.config,
                  "TOML or JSON file with thresholds ([rule-id] key = value), ignore, disable and "
                  "[stems]");
  cmd->add_option("--stem", o.stems,
                  "declare a stem and its bus, NAME=BUS (bus by name or id; repeatable), for "
                  "sessions whose file has no stems (Ardour, REAPER)");
}

std::optional<AnalysisConfig> analysis_config(const AnalysisOptions& o, std::ostream& err) {
  AnalysisConfig config;
  if (!o.config.empty()) {
    ConfigLoad load = load_analysis_config(o.config);
    for (const Diagnostic& d : load.diagnostics.errors)
      err << format_diagnostic(o.config, d) << "\n";
    if (!load.config) return std::nullopt;
    config = std::move(*load.config);
  }
  bool ok = true;
  for (const std::string& stem : o.stems) {
    const auto eq = stem.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == stem.size()) {
      err << "--stem '" << stem << "': expected NAME=BUS, e.g. --stem \"Drums=Drum Bus\"\n";
      ok = false;
      continue;
    }
    config.stems[stem.substr(0, eq)] = stem.substr(eq + 1);
  }
  if (!ok) return std::nullopt;
  return config;
}

bool declare_configured_stems(RouteGraph& graph, const AnalysisConfig& config,
                              const std::string& source, std::ostream& err) {
  const Diagnostics d = declare_stems(graph, config.stems);
  for (const Diagnostic& e : d.errors) err << format_diagnostic(source, e) << "\n";
  return d.ok();
}

}  // namespace routewise::cli
