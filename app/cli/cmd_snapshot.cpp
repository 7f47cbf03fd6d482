// routewise snapshot / history / diff: route-map history in the database.
#include <fmt/format.h>

#include <charconv>
#include <iostream>

#include "commands.hpp"
#include "load_input.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"
#include "store_access.hpp"
#include "table.hpp"

namespace routewise::cli {
namespace {

std::optional<std::int64_t> as_id(const std::string& s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A side of a diff: a snapshot id from the database, or a route-map file analysed now.
std::optional<RouteSummary> diff_side(const std::string& what, const std::string& db,
                                      std::unique_ptr<Store>& store, std::string& label) {
  if (const auto id = as_id(what)) {
    if (!store && !(store = open_store(db, Store::Access::read_only))) return std::nullopt;
    try {
      auto summary = store->snapshot_summary(*id);
      const auto row = store->snapshot(*id);
      if (!summary) {
        std::cerr << store->path().string() << ": no snapshot " << *id << "\n";
        return std::nullopt;
      }
      label = fmt::format("snapshot {} ({}, {}{})", *id, row->session_name, row->taken_at,
                          row->label.empty() ? "" : ", " + row->label);
      return summary;
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
      return std::nullopt;
    }
  }
  auto graph = load_input(what, std::cerr);
  if (!graph) return std::nullopt;
  label = what;
  return summarize(*graph, to_records(analyze(*graph)));
}

void add_snapshot(CLI::App& app, int& exit_code) {
  struct Options {
    std::string file, label, db, origin = "manual";
  };
  auto o = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("snapshot",
                         "Read a route map, analyze it and store it as a snapshot; prints the "
                         "snapshot id.\nAn unchanged route map is not stored twice.");
  cmd->add_option("FILE", o->file, "route-map JSON or DAW session file")->required();
  cmd->add_option("--label,-l", o->label, "a label for this snapshot (\"before vocal comp\")");
  cmd->add_option("--origin", o->origin, "where it came from")
      ->check(CLI::IsMember({"manual", "import", "mirror"}))
      ->capture_default_str();
  cmd->add_option("--db", o->db, db_option_help());
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto graph = load_input(o->file, std::cerr);
    if (!graph) return;
    auto store = open_store(o->db);
    if (!store) return;
    const auto findings = analyze(*graph);
    try {
      std::error_code ec;
      const auto absolute = std::filesystem::absolute(o->file, ec);
      const auto added = store->add_snapshot(*graph, {o->origin, o->label, absolute.string(), ""},
                                             to_records(findings));
      std::cout << added.id << "\n";
      if (!added.created)
        std::cerr << "unchanged since snapshot " << added.id << "; nothing stored\n";
      else
        std::cerr << "stored snapshot " << added.id << " of '" << graph->session.name << "' ("
                  << findings_summary(findings) << ") in " << store->path().string() << "\n";
      exit_code = exit_ok;
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
    }
  });
}

void add_history(CLI::App& app, int& exit_code) {
  struct Options {
    std::string session, db;
    std::size_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("history", "List stored snapshots, newest first.");
  cmd->add_option("SESSION", o->session, "session name or id (default: every session)");
  cmd->add_option("--limit,-n", o->limit, "show at most this many");
  cmd->add_option("--db", o->db, db_option_help());
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    auto store = open_store(o->db, Store::Access::read_only);
    if (!store) return;
    try {
      const auto rows = store->history(o->session, o->limit);
      Table table({"id", "time (UTC)", "session", "origin", "label", "nodes", "edges", "errors",
                   "warnings", "info"});
      for (const SnapshotRow& r : rows)
        table.add({std::to_string(r.id), r.taken_at, r.session_name, r.origin, r.label,
                   std::to_string(r.nodes), std::to_string(r.edges), std::to_string(r.errors),
                   std::to_string(r.warnings), std::to_string(r.infos)});
      std::cout << (rows.empty() ? "No snapshots.\n" : table.render());
      exit_code = exit_ok;
    } catch (const StoreError& e) {
      std::cerr << e.what() << "\n";
    }
  });
}

void add_diff(CLI::App& app, int& exit_code) {
  struct Options {
    std::string a, b, db, format = "text";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "diff",
      "What changed between two route maps: nodes added, removed and renamed, re-routed outputs,\n"
      "sends added and removed, levels and latencies before → after, new and resolved findings.\n"
      "A and B are snapshot ids or route-map files.");
  cmd->add_option("A", o->a, "before: snapshot id or file")->required();
  cmd->add_option("B", o->b, "after: snapshot id or file")->required();
  cmd->add_option("--format", o->format, "output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--db", o->db, db_option_help());
  cmd->callback([o, &exit_code] {
    exit_code = exit_input_error;
    std::unique_ptr<Store> store;
    std::string label_a, label_b;
    const auto a = diff_side(o->a, o->db, store, label_a);
    if (!a) return;
    const auto b = diff_side(o->b, o->db, store, label_b);
    if (!b) return;
    std::cout << diff_report(diff_routes(*a, *b), label_a, label_b, o->format);
    exit_code = exit_ok;
  });
}

}  // namespace

void add_store_commands(CLI::App& app, int& exit_code) {
  add_snapshot(app, exit_code);
  add_history(app, exit_code);
  add_diff(app, exit_code);
}

}  // namespace routewise::cli
