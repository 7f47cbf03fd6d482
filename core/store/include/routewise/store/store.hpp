#pragma once
// The Routewise database: sessions, route-map snapshots with their nodes, edges and findings,
// latency measurements and meter summaries, in one SQLite file (WAL, foreign keys, versioned).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routewise/model/route_diff.hpp"
#include "routewise/model/route_graph.hpp"
#include "routewise/model/surface_mapping.hpp"
#include "routewise/store/store_error.hpp"

namespace routewise {

class Database;  // the SQLite connection, private to the store

inline constexpr int store_schema_version = 3;

// $ROUTEWISE_DB, else $XDG_DATA_HOME/routewise/routewise.db, else
// ~/.local/share/routewise/routewise.db.
std::filesystem::path default_store_path();

struct SnapshotMeta {
  std::string origin = "manual";  // import, mirror or manual
  std::string label;
  std::string file_path;  // the session file it came from, if any
  std::string taken_at;   // ISO-8601 UTC; empty: now
};

struct SnapshotRow {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string session_name, taken_at, origin, label, content_hash;
  std::int64_t nodes = 0, edges = 0, errors = 0, warnings = 0, infos = 0;
};

struct SessionRow {
  std::int64_t id = 0;
  std::string name, source_daw, file_path, fingerprint;
};

struct LatencyMeasurement {
  std::int64_t id = 0;
  std::optional<std::string> session;  // session name (input) / name of the linked session (output)
  std::string target;                  // insert or path id, e.g. "mix_bus>ssl_comp"
  double latency_samples = 0;
  double sample_rate_hz = 48000;
  std::optional<std::int64_t> buffer_size;
  std::string method = "manual";     // mls, sweep, null-test, manual, ...
  std::optional<double> confidence;  // 0..1
  std::string device;
  std::string measured_at;  // ISO-8601 UTC; empty: now
  double latency_ms() const { return latency_samples * 1000.0 / sample_rate_hz; }
};

struct MeterSummary {
  std::string node_id;
  std::optional<double> peak_dbfs, rms_dbfs, true_peak_dbtp, lufs_integrated;
};

class Store {
 public:
  enum class Access { read_write, read_only };
  // Opens (creating when missing and writable) and migrates forward. Refuses files that are not
  // Routewise databases and databases newer than this program, without modifying them.
  explicit Store(const std::filesystem::path& path, Access access = Access::read_write);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  struct Added {
    std::int64_t id;
    bool created;  // false: identical to the session's latest snapshot, which `id` names
  };
  Added add_snapshot(const RouteGraph& graph, const SnapshotMeta& meta,
                     const std::vector<FindingRecord>& findings,
                     const std::vector<MeterSummary>& meters = {});

  std::vector<SessionRow> sessions();
  // The stored session a graph read from `file_path` belongs to: the one its snapshots are
  // stored under (same DAW and file), else the only session of that name from that DAW. Never
  // matched by a blank name.
  std::optional<std::int64_t> session_of(const RouteGraph& graph, const std::string& file_path);
  // Snapshots, newest first; `session` is a name or numeric id (empty: all sessions).
  std::vector<SnapshotRow> history(const std::string& session = "", std::size_t limit = 0);
  std::optional<SnapshotRow> snapshot(std::int64_t id);
  // The stored route map, parsed back.
  std::optional<RouteGraph> snapshot_graph(std::int64_t id);
  // Nodes, edges and findings of a snapshot from their tables, without parsing JSON.
  std::optional<RouteSummary> snapshot_summary(std::int64_t id);
  std::vector<MeterSummary> meter_summaries(std::int64_t snapshot_id);

  std::int64_t add_latency(const LatencyMeasurement& m);
  // Newest first; filters are exact matches when not empty.
  std::vector<LatencyMeasurement> latencies(const std::string& target = "",
                                            const std::string& session = "");
  // Latest measured latency per target for a session (what analysis feeds into inserts).
  std::vector<LatencyMeasurement> latest_latencies(const std::string& session);

  // Adds a mapping, replacing the profile's mapping of the same control.
  std::int64_t put_surface_mapping(const SurfaceMapping& m);
  std::vector<SurfaceMapping> surface_mappings(const std::string& profile = "");
  bool remove_surface_mapping(const std::string& profile, const std::string& control);
  // The mappings as the JSON array `export_json` carries them.
  std::string surface_mappings_json(const std::string& profile = "");

  // SQLite's integrity and foreign-key checks, and every stored route map read back; empty when
  // all is well. Damage that stops a check is itself listed.
  std::vector<std::string> integrity_check();
  // The whole store as JSON; snapshots that cannot be read back are left out and named.
  struct Export {
    std::string json;
    std::vector<std::string> unreadable;
  };
  Export export_json();
  // Adds an export's contents. A file that is not an export, or of the wrong shape, throws and
  // changes nothing; a record that is wrong inside a good file is skipped and named in
  // `rejected`, so one bad record does not block a restore.
  struct ImportCounts {
    std::size_t snapshots = 0, skipped = 0, latencies = 0, mappings = 0;
    std::vector<std::string> rejected;
  };
  ImportCounts import_json(const std::string& text);
  void vacuum();
  int schema_version();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::int64_t session_for(const RouteGraph& graph, const std::string& file_path);
  // Inserts a snapshot row and its node, edge, finding and meter rows (inside a transaction).
  std::int64_t insert_snapshot(std::int64_t session, const RouteGraph& graph,
                               const std::string& json, const SnapshotMeta& meta,
                               const std::vector<FindingRecord>& findings,
                               const std::vector<MeterSummary>& meters);
  std::int64_t insert_latency(const LatencyMeasurement& m);      // inside a transaction
  std::int64_t upsert_surface_mapping(const SurfaceMapping& m);  // inside a transaction
  std::optional<std::int64_t> find_session(const std::string& name_or_id);
  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

// Forward-only migrations, exposed so tests can build a database at every earlier version.
void migrate_to(Database& db, int target_version);
std::string utc_now_iso8601();
// An ISO-8601 time (date, optional time, fraction and offset) as the store keeps it,
// "2026-11-20T10:00:00.000Z"; throws a StoreError naming `field` when it is not a time or lies
// more than a day in the future.
std::string checked_utc_time(std::string_view text, std::string_view field);

}  // namespace routewise
