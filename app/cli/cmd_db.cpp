// routewise db check|export|import|vacuum: database maintenance.
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "output.hpp"
#include "routewise/model/route_map_json.hpp"
#include "store_access.hpp"
#include "terminal_text.hpp"

namespace routewise::cli {

void add_db_command(CLI::App& app, int& exit_code) {
  auto* db = app.add_subcommand(
      "db", "Database maintenance: integrity check, JSON backup, restore, vacuum.");
  db->require_subcommand(1);
  struct Options {
    std::string db, file;
  };
  auto o = std::make_shared<Options>();
  const auto with_store = [o, &exit_code](Store::Access access, auto work) {
    return [o, &exit_code, access, work] {
      exit_code = exit_input_error;
      auto store = open_store(o->db, access);
      if (!store) return;
      try {
        exit_code = work(*store);
      } catch (const StoreError& e) {
        std::cerr << e.what() << "\n";
      }
    };
  };

  auto* check = db->add_subcommand(
      "check",
      "SQLite integrity and foreign-key checks, and every stored route map read back; exit 1 "
      "with the problems listed.");
  check->add_option("--db", o->db, db_option_help());
  check->callback(with_store(Store::Access::read_only, [](Store& s) {
    const auto problems = s.integrity_check();
    for (const auto& p : problems) std::cout << s.path().string() << ": " << printable(p) << "\n";
    if (!problems.empty()) return exit_findings;
    std::cout << s.path().string() << ": ok (schema version " << s.schema_version() << ", "
              << s.history().size() << " snapshots, every route map reads back)\n";
    return exit_ok;
  }));

  auto* exp = db->add_subcommand(
      "export",
      "Write the whole database as JSON (to -o FILE or standard output); snapshots that "
      "cannot be read are named and left out, exit 1.");
  exp->add_option("-o,--output", o->file, "output file");
  exp->add_option("--db", o->db, db_option_help());
  exp->callback(with_store(Store::Access::read_only, [o](Store& s) {
    const Store::Export exported = s.export_json();
    if (!write_output(o->file, exported.json, std::cerr)) return exit_input_error;
    // The backup holds what could be read; what could not is named, and the exit says so.
    for (const std::string& u : exported.unreadable)
      std::cerr << s.path().string() << ": not exported: " << printable(u) << "\n";
    return exported.unreadable.empty() ? exit_ok : exit_findings;
  }));

  auto* imp = db->add_subcommand(
      "import",
      "Add the contents of a JSON export; what is already there is skipped, a bad record is "
      "named and skipped (exit 1), a file that is not an export changes nothing (exit 2).");
  imp->add_option("FILE", o->file, "export file")->required();
  imp->add_option("--db", o->db, db_option_help());
  imp->callback(with_store(Store::Access::read_write, [o](Store& s) {
    const FileRead file = read_text_file(o->file, max_input_file_bytes);
    if (!file.content) {
      std::cerr << o->file << ": " << file.error << "\n";
      return exit_input_error;
    }
    Store::ImportCounts counts;
    try {
      counts = s.import_json(*file.content);
    } catch (const StoreError& e) {
      std::cerr << o->file << ": " << printable(e.what()) << " (nothing was imported)\n";
      return exit_input_error;
    }
    for (const std::string& r : counts.rejected)
      std::cerr << o->file << ": " << printable(r) << " (skipped)\n";
    std::cout << "imported " << counts.snapshots << " snapshots (" << counts.skipped
              << " already present), " << counts.latencies << " latency measurements, "
              << counts.mappings << " surface mappings";
    if (!counts.rejected.empty()) std::cout << "; " << counts.rejected.size() << " records skipped";
    std::cout << "\n";
    return counts.rejected.empty() ? exit_ok : exit_findings;
  }));

  auto* vacuum = db->add_subcommand("vacuum", "Checkpoint the WAL and compact the file.");
  vacuum->add_option("--db", o->db, db_option_help());
  vacuum->callback(with_store(Store::Access::read_write, [](Store& s) {
    s.vacuum();
    std::cout << s.path().string() << ": vacuumed\n";
    return exit_ok;
  }));
}

}  // namespace routewise::cli
