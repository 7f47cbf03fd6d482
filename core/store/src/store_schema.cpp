// Schema migrations: migration N takes a database from version N-1 to N. Never edit a released
// migration; add a new one.
#include <array>
#include <string_view>

#include "routewise/store/store.hpp"
#include "sqlite.hpp"

namespace routewise {
namespace {

constexpr std::string_view migration_1 = R"sql(
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  source_daw TEXT NOT NULL DEFAULT '',
  file_path TEXT NOT NULL DEFAULT '',
  fingerprint TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE INDEX sessions_name ON sessions(name);
CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  taken_at TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('import', 'mirror', 'manual')),
  label TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL,
  node_count INTEGER NOT NULL,
  edge_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL DEFAULT 0,
  warning_count INTEGER NOT NULL DEFAULT 0,
  info_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_session_time ON snapshots(session_id, taken_at DESC, id DESC);
-- The route-map JSON lives apart so that listing snapshots never reads the large text.
CREATE TABLE snapshot_maps (
  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots(id) ON DELETE CASCADE,
  route_map TEXT NOT NULL
);
CREATE INDEX snapshots_time ON snapshots(taken_at DESC, id DESC);
CREATE TABLE nodes (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  node_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  stem TEXT,
  fader_db REAL NOT NULL,
  trim_db REAL NOT NULL,
  mute INTEGER NOT NULL,
  latency_samples REAL NOT NULL,
  pdc INTEGER NOT NULL,
  primary_output TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, node_id)
) WITHOUT ROWID;
CREATE TABLE edges (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_node TEXT NOT NULL,
  to_node TEXT NOT NULL,
  level_db REAL NOT NULL,
  tap TEXT NOT NULL,
  latency_samples REAL,
  mute INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, seq)
) WITHOUT ROWID;
CREATE TABLE findings (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  message TEXT NOT NULL,
  nodes TEXT NOT NULL,
  fix TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, seq)
) WITHOUT ROWID;
CREATE INDEX findings_rule ON findings(rule);
)sql";

// Version 2 added what the measurement and metering work needed.
constexpr std::string_view migration_2 = R"sql(
CREATE TABLE latency_measurements (
  id INTEGER PRIMARY KEY,
  session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
  target TEXT NOT NULL,
  latency_samples REAL NOT NULL,
  latency_ms REAL NOT NULL,
  sample_rate_hz REAL NOT NULL CHECK (sample_rate_hz > 0),
  buffer_size INTEGER,
  method TEXT NOT NULL,
  confidence REAL,
  device TEXT NOT NULL DEFAULT '',
  measured_at TEXT NOT NULL
);
CREATE INDEX latency_target_time ON latency_measurements(target, measured_at DESC);
CREATE INDEX latency_session_time ON latency_measurements(session_id, measured_at DESC);
CREATE TABLE meter_summaries (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  node_id TEXT NOT NULL,
  peak_dbfs REAL,
  rms_dbfs REAL,
  true_peak_dbtp REAL,
  lufs_integrated REAL,
  PRIMARY KEY (snapshot_id, node_id)
) WITHOUT ROWID;
)sql";

// Version 3: generic MIDI controllers' learned mappings.
constexpr std::string_view migration_3 = R"sql(
CREATE TABLE surface_mappings (
  id INTEGER PRIMARY KEY,
  profile TEXT NOT NULL CHECK (profile <> ''),
  control TEXT NOT NULL CHECK (control <> ''),
  target_node TEXT NOT NULL,
  parameter TEXT NOT NULL CHECK (parameter IN ('fader', 'send', 'mute', 'solo', 'pan', 'bypass')),
  argument TEXT NOT NULL DEFAULT '',
  soft_takeover INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  UNIQUE (profile, control)
);
)sql";

constexpr std::array<std::string_view, store_schema_version> migrations{migration_1, migration_2,
                                                                        migration_3};

}  // namespace

void migrate_to(Database& db, int target_version) {
  Statement& version = db.prepare("PRAGMA user_version");
  version.step();
  const int current = static_cast<int>(version.column_int(0));
  version.reset();
  for (int v = current + 1; v <= target_version; ++v) {
    Transaction tx(db);
    db.exec(migrations[static_cast<std::size_t>(v - 1)]);
    db.exec("PRAGMA user_version = " + std::to_string(v));
    tx.commit();
  }
}

}  // namespace routewise
