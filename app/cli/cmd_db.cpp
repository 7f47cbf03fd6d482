// routewise db check|export|import|vacuum: database maintenance.
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "routewise/model/route_map_json.hpp"
#include "store_access.hpp"

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
      "check", "PRAGMA integrity_check and foreign-key check; exit 1 on problems.");
  check->add_option("--db", o->db, db_option_help());
  check->callback(with_store(Store::Access::read_only, [](Store& s) {
    const auto problems = s.integrity_check();
    for (const auto& p : problems) std::cout << s.path().string() << ": " << p << "\n";
    if (problems.empty())
      std::cout << s.path().string() << ": ok (schema version " << s.schema_version() << ", "
                << s.history().size() << " snapshots)\n";
    return problems.empty() ? exit_ok : exit_findings;
  }));

  auto* exp = db->add_subcommand(
      "export", "Write the whole database as JSON (to -o FILE or standard output).");
  exp->add_option("-o,--output", o->file, "output file");
  exp->add_option("--db", o->db, db_option_help());
  exp->callback(with_store(Store::Access::read_only, [o](Store& s) {
    const std::string json = s.export_json();
    if (o->file.empty()) {
      std::cout << json;
    } else if (!(std::ofstream(o->file, std::ios::binary) << json)) {
      std::cerr << o->file << ": cannot be written\n";
      return exit_input_error;
    }
    return exit_ok;
  }));

  auto* imp = db->add_subcommand(
      "import", "Add the contents of a JSON export; what is already there is skipped.");
  imp->add_option("FILE", o->file, "export file")->required();
  imp->add_option("--db", o->db, db_option_help());
  imp->callback(with_store(Store::Access::read_write, [o](Store& s) {
    const FileRead file = read_text_file(o->file, max_input_file_bytes);
    if (!file.content) {
      std::cerr << o->file << ": " << file.error << "\n";
      return exit_input_error;
    }
    const auto counts = s.import_json(*file.content);
    std::cout << "imported " << counts.snapshots << " snapshots (" << counts.skipped
              << " already present), " << counts.latencies << " latency measurements, "
              << counts.mappings << " surface mappings\n";
    return exit_ok;
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
