#include "routewise/store/store.hpp"
#include "sqlite.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <system_error>

#include "routewise/model/graph_check.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
namespace {

// The store keeps only what its own reader reads back: one bad record must never block a restore.
void check_storable(const RouteGraph& graph) {
  const Diagnostics d = check_route_graph(graph);
  if (!d.ok())
    throw StoreError("route map not stored: " + format_diagnostic("", d.errors.front()) +
                     (d.errors.size() > 1
                          ? " (and " + std::to_string(d.errors.size() - 1) + " more problems)"
                          : ""));
}

constexpr std::int64_t application_id = 0x52574442;  // "RWDB"

std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xf];
  return out;
}

// FNV-1a: a cheap index key; equal hashes are always confirmed by comparing the full text.
std::string fnv1a_hex(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return hex64(h);
}

std::string session_fingerprint(const RouteGraph& graph, const std::string& file_path) {
  return fnv1a_hex(graph.session.source_daw + "|" +
                   (file_path.empty() ? "name:" + graph.session.name : "file:" + file_path));
}

std::int64_t count_severity(const std::vector<FindingRecord>& findings, std::string_view s) {
  std::int64_t n = 0;
  for (const FindingRecord& f : findings) n += f.severity == s;
  return n;
}

SnapshotRow read_snapshot_row(Statement& q) {
  SnapshotRow r;
  r.id = q.column_int(0);
  r.session_id = q.column_int(1);
  r.session_name = q.column_text(2);
  r.taken_at = q.column_text(3);
  r.origin = q.column_text(4);
  r.label = q.column_text(5);
  r.content_hash = q.column_text(6);
  r.nodes = q.column_int(7);
  r.edges = q.column_int(8);
  r.errors = q.column_int(9);
  r.warnings = q.column_int(10);
  r.infos = q.column_int(11);
  return r;
}

constexpr std::string_view snapshot_columns =
    "s.id, s.session_id, ss.name, s.taken_at, s.origin, s.label, s.content_hash, s.node_count, "
    "s.edge_count, s.error_count, s.warning_count, s.info_count";

LatencyMeasurement read_latency(Statement& q) {
  LatencyMeasurement m;
  m.id = q.column_int(0);
  if (!q.column_is_null(1)) m.session = q.column_text(1);
  m.target = q.column_text(2);
  m.latency_samples = q.column_double(3);
  m.sample_rate_hz = q.column_double(4);
  if (!q.column_is_null(5)) m.buffer_size = q.column_int(5);
  m.method = q.column_text(6);
  m.confidence = q.column_optional_double(7);
  m.device = q.column_text(8);
  m.measured_at = q.column_text(9);
  return m;
}

constexpr std::string_view latency_select =
    "SELECT l.id, ss.name, l.target, l.latency_samples, l.sample_rate_hz, l.buffer_size, l.method, "
    "l.confidence, l.device, l.measured_at FROM latency_measurements l "
    "LEFT JOIN sessions ss ON ss.id = l.session_id ";

// Creates, checks and migrates; everything before the first write only reads.
void prepare_database(Database& db, Store::Access access) {
  sqlite3_busy_timeout(db.handle(), 10000);
  int version = 0;
  std::int64_t app = 0, tables = 0;
  try {
    Statement& q = db.prepare("PRAGMA user_version");
    q.step();
    version = static_cast<int>(q.column_int(0));
    q.reset();
    Statement& a = db.prepare("PRAGMA application_id");
    a.step();
    app = a.column_int(0);
    a.reset();
    Statement& t = db.prepare("SELECT count(*) FROM sqlite_master");
    t.step();
    tables = t.column_int(0);
    t.reset();
  } catch (const StoreError& e) {
    if (e.sqlite_code() == SQLITE_NOTADB || e.sqlite_code() == SQLITE_CORRUPT)
      throw StoreError(db.path().string() + ": not a Routewise database (" +
                           (e.sqlite_code() == SQLITE_NOTADB ? "not an SQLite file" : "damaged") +
                           "); nothing was changed",
                       e.sqlite_code());
    throw;
  }
  if (app != 0 && app != application_id)
    throw StoreError(db.path().string() +
                     ": an SQLite database of another application; nothing was changed");
  if (version == 0 && tables > 0)
    throw StoreError(db.path().string() +
                     ": an SQLite database that is not Routewise's (it already has tables); "
                     "nothing was changed");
  if (version > store_schema_version)
    throw StoreError(db.path().string() + ": database schema version " + std::to_string(version) +
                     " is newer than this program reads (" + std::to_string(store_schema_version) +
                     "); upgrade routewise. The file was not changed.");
  if (access == Store::Access::read_only) {
    if (version < store_schema_version)
      throw StoreError(db.path().string() + ": database schema version " + std::to_string(version) +
                       " needs an upgrade; open it once without --read-only");
    db.exec("PRAGMA foreign_keys = ON");
    return;
  }
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = NORMAL");
  if (app == 0) db.exec("PRAGMA application_id = " + std::to_string(application_id));
  migrate_to(db, store_schema_version);
}

Database open_database(const std::filesystem::path& path, Store::Access access) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw StoreError(path.string() + ": not a regular file");
  if (!std::filesystem::exists(path, ec)) {
    if (access == Store::Access::read_only) throw StoreError(path.string() + ": no database here");
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  }
  Database::Mode mode = Database::Mode::read_write_create;
  if (access == Store::Access::read_only) {
    // On a read-only folder SQLite cannot make the WAL's shared-memory file; when no WAL is
    // there either, nobody is writing, and the file is read as it is.
    const auto folder = path.has_parent_path() ? path.parent_path() : ".";
    std::filesystem::path wal = path;
    wal += "-wal";
    mode = ::access(folder.c_str(), W_OK) != 0 && !std::filesystem::exists(wal, ec)
               ? Database::Mode::read_only_immutable
               : Database::Mode::read_only;
  }
  Database db(path, mode);
  prepare_database(db, access);
  return db;
}

void insert_details(Database& db, std::int64_t snapshot, const RouteGraph& graph,
                    const std::vector<FindingRecord>& findings,
                    const std::vector<MeterSummary>& meters) {
  const RouteSummary summary = summarize(graph);
  Statement& node = db.prepare(
      "INSERT INTO nodes (snapshot_id, node_id, name, kind, stem, fader_db, trim_db, mute, "
      "latency_samples, pdc, primary_output) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  for (const auto& [id, n] : summary.nodes) {
    node.bind(1, snapshot).bind(2, id).bind(3, n.name).bind(4, n.kind).bind(5, n.stem);
    node.bind(6, n.fader_db).bind(7, n.trim_db).bind(8, n.mute ? 1 : 0).bind(9, n.latency_samples);
    node.bind(10, n.pdc ? 1 : 0).bind(11, n.primary_output);
    node.run();
  }
  Statement& edge = db.prepare(
      "INSERT INTO edges (snapshot_id, seq, kind, from_node, to_node, level_db, tap, "
      "latency_samples, mute) VALUES (?,?,?,?,?,?,?,?,?)");
  for (std::size_t i = 0; i < summary.edges.size(); ++i) {
    const EdgeSummary& e = summary.edges[i];
    edge.bind(1, snapshot).bind(2, static_cast<std::int64_t>(i)).bind(3, e.kind).bind(4, e.from);
    edge.bind(5, e.to)
        .bind(6, e.level_db)
        .bind(7, e.tap)
        .bind(8, e.latency_samples)
        .bind(9, e.mute ? 1 : 0);
    edge.run();
  }
  Statement& finding = db.prepare(
      "INSERT INTO findings (snapshot_id, seq, rule, severity, message, nodes, fix) VALUES "
      "(?,?,?,?,?,?,?)");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const FindingRecord& f = findings[i];
    finding.bind(1, snapshot)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, f.rule)
        .bind(4, f.severity);
    finding.bind(5, f.message).bind(6, nlohmann::json(f.nodes).dump()).bind(7, f.fix);
    finding.run();
  }
  Statement& meter = db.prepare(
      "INSERT INTO meter_summaries (snapshot_id, node_id, peak_dbfs, rms_dbfs, true_peak_dbtp, "
      "lufs_integrated) VALUES (?,?,?,?,?,?)");
  for (const MeterSummary& m : meters) {
    meter.bind(1, snapshot).bind(2, m.node_id).bind(3, m.peak_dbfs).bind(4, m.rms_dbfs);
    meter.bind(5, m.true_peak_dbtp).bind(6, m.lufs_integrated);
    meter.run();
  }
}

}  // namespace

std::filesystem::path default_store_path() {
  if (const char* env = std::getenv("ROUTEWISE_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "routewise" / "routewise.db";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "routewise" /
         "routewise.db";
}

Store::Store(const std::filesystem::path& path, Access access)
    : path_(path), db_(std::make_unique<Database>(open_database(path, access))) {}

Store::~Store() = default;

int Store::schema_version() {
  Statement& q = db_->prepare("PRAGMA user_version");
  q.step();
  const int v = static_cast<int>(q.column_int(0));
  q.reset();
  return v;
}

std::int64_t Store::session_for(const RouteGraph& graph, const std::string& file_path) {
  const std::string fingerprint = session_fingerprint(graph, file_path);
  Statement& find = db_->prepare("SELECT id FROM sessions WHERE fingerprint = ?");
  find.bind(1, fingerprint);
  if (find.step()) {
    const std::int64_t id = find.column_int(0);
    find.reset();
    return id;
  }
  find.reset();
  Statement& insert = db_->prepare(
      "INSERT INTO sessions (name, source_daw, file_path, fingerprint, created_at) VALUES "
      "(?,?,?,?,?)");
  insert.bind(1, graph.session.name).bind(2, graph.session.source_daw).bind(3, file_path);
  insert.bind(4, fingerprint).bind(5, utc_now_iso8601());
  insert.run();
  return db_->last_insert_id();
}

Store::Added Store::add_snapshot(const RouteGraph& graph, const SnapshotMeta& meta,
                                 const std::vector<FindingRecord>& findings,
                                 const std::vector<MeterSummary>& meters) {
  check_storable(graph);
  SnapshotMeta checked = meta;
  checked.taken_at =
      meta.taken_at.empty() ? utc_now_iso8601() : checked_utc_time(meta.taken_at, "taken_at");
  const std::string json = write_route_map(graph);
  const std::string hash = fnv1a_hex(json);
  Transaction tx(*db_);
  const std::int64_t session = session_for(graph, meta.file_path);
  Statement& latest = db_->prepare(
      "SELECT s.id, s.content_hash, m.route_map FROM snapshots s JOIN snapshot_maps m ON "
      "m.snapshot_id = s.id "
      "WHERE s.session_id = ? ORDER BY s.id DESC LIMIT 1");
  // "Latest" is the one stored last, whatever time an imported snapshot carries.
  latest.bind(1, session);
  if (latest.step() && latest.column_text(1) == hash && latest.column_text(2) == json) {
    const std::int64_t id = latest.column_int(0);
    latest.reset();
    return {id, false};
  }
  latest.reset();
  const std::int64_t id = insert_snapshot(session, graph, json, checked, findings, meters);
  tx.commit();
  return {id, true};
}

std::int64_t Store::insert_snapshot(std::int64_t session, const RouteGraph& graph,
                                    const std::string& json, const SnapshotMeta& meta,
                                    const std::vector<FindingRecord>& findings,
                                    const std::vector<MeterSummary>& meters) {
  Statement& insert = db_->prepare(
      "INSERT INTO snapshots (session_id, taken_at, origin, label, content_hash, "
      "node_count, edge_count, error_count, warning_count, info_count) VALUES "
      "(?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, session).bind(2, meta.taken_at);
  insert.bind(3, meta.origin).bind(4, meta.label).bind(5, fnv1a_hex(json));
  insert.bind(6, static_cast<std::int64_t>(graph.nodes.size()));
  insert.bind(7, static_cast<std::int64_t>(graph.edges.size()));
  insert.bind(8, count_severity(findings, "error")).bind(9, count_severity(findings, "warning"));
  insert.bind(10, count_severity(findings, "info"));
  insert.run();
  const std::int64_t id = db_->last_insert_id();
  db_->prepare("INSERT INTO snapshot_maps (snapshot_id, route_map) VALUES (?, ?)")
      .bind(1, id)
      .bind(2, json)
      .run();
  insert_details(*db_, id, graph, findings, meters);
  return id;
}

std::vector<SessionRow> Store::sessions() {
  std::vector<SessionRow> out;
  Statement& q =
      db_->prepare("SELECT id, name, source_daw, file_path, fingerprint FROM sessions ORDER BY id");
  while (q.step())
    out.push_back(
        {q.column_int(0), q.column_text(1), q.column_text(2), q.column_text(3), q.column_text(4)});
  q.reset();
  return out;
}

std::optional<std::int64_t> Store::session_of(const RouteGraph& graph,
                                              const std::string& file_path) {
  Statement& by_file = db_->prepare("SELECT id FROM sessions WHERE fingerprint = ?");
  by_file.bind(1, session_fingerprint(graph, file_path));
  std::optional<std::int64_t> id;
  if (by_file.step()) id = by_file.column_int(0);
  by_file.reset();
  if (id || graph.session.name.find_first_not_of(" \t") == std::string::npos) return id;
  Statement& by_name =
      db_->prepare("SELECT id FROM sessions WHERE name = ? AND source_daw = ? LIMIT 2");
  by_name.bind(1, graph.session.name).bind(2, graph.session.source_daw);
  std::vector<std::int64_t> found;
  while (by_name.step()) found.push_back(by_name.column_int(0));
  by_name.reset();
  if (found.size() == 1) id = found.front();
  return id;
}

std::optional<std::int64_t> Store::find_session(const std::string& name_or_id) {
  Statement& q = db_->prepare(
      "SELECT id FROM sessions WHERE name = ?1 OR CAST(id AS TEXT) = ?1 ORDER BY id DESC LIMIT 1");
  q.bind(1, name_or_id);
  std::optional<std::int64_t> id;
  if (q.step()) id = q.column_int(0);
  q.reset();
  return id;
}

std::vector<SnapshotRow> Store::history(const std::string& session, std::size_t limit) {
  std::vector<SnapshotRow> out;
  const std::int64_t max_rows = limit == 0 ? -1 : static_cast<std::int64_t>(limit);
  if (session.empty()) {
    Statement& q = db_->prepare("SELECT " + std::string(snapshot_columns) +
                                " FROM snapshots s JOIN sessions ss ON ss.id = s.session_id "
                                "ORDER BY s.taken_at DESC, s.id DESC LIMIT ?");
    q.bind(1, max_rows);
    while (q.step()) out.push_back(read_snapshot_row(q));
    q.reset();
    return out;
  }
  const auto id = find_session(session);
  if (!id) throw StoreError(path().string() + ": no session named \"" + session + "\"");
  Statement& q = db_->prepare("SELECT " + std::string(snapshot_columns) +
                              " FROM snapshots s JOIN sessions ss ON ss.id = s.session_id "
                              "WHERE s.session_id = ? ORDER BY s.taken_at DESC, s.id DESC LIMIT ?");
  q.bind(1, *id).bind(2, max_rows);
  while (q.step()) out.push_back(read_snapshot_row(q));
  q.reset();
  return out;
}

std::optional<SnapshotRow> Store::snapshot(std::int64_t id) {
  Statement& q =
      db_->prepare("SELECT " + std::string(snapshot_columns) +
                   " FROM snapshots s JOIN sessions ss ON ss.id = s.session_id WHERE s.id = ?");
  q.bind(1, id);
  std::optional<SnapshotRow> row;
  if (q.step()) row = read_snapshot_row(q);
  q.reset();
  return row;
}

std::optional<RouteGraph> Store::snapshot_graph(std::int64_t id) {
  Statement& q = db_->prepare("SELECT route_map FROM snapshot_maps WHERE snapshot_id = ?");
  q.bind(1, id);
  if (!q.step()) {
    q.reset();
    return std::nullopt;
  }
  const std::string text = q.column_text(0);
  q.reset();
  RouteMapLoad load = parse_route_map(text);
  if (!load.graph)
    throw StoreError(path().string() + ": snapshot " + std::to_string(id) +
                     " holds an unreadable route map: " + load.diagnostics.errors.front().where +
                     ": " + load.diagnostics.errors.front().message);
  return std::move(load.graph);
}

std::optional<RouteSummary> Store::snapshot_summary(std::int64_t id) {
  if (!snapshot(id)) return std::nullopt;
  RouteSummary s;
  Statement& nodes = db_->prepare(
      "SELECT node_id, name, kind, stem, fader_db, trim_db, mute, latency_samples, pdc, "
      "primary_output "
      "FROM nodes WHERE snapshot_id = ?");
  nodes.bind(1, id);
  while (nodes.step()) {
    NodeSummary n;
    n.id = nodes.column_text(0);
    n.name = nodes.column_text(1);
    n.kind = nodes.column_text(2);
    if (!nodes.column_is_null(3)) n.stem = nodes.column_text(3);
    n.fader_db = nodes.column_double(4);
    n.trim_db = nodes.column_double(5);
    n.mute = nodes.column_int(6) != 0;
    n.latency_samples = nodes.column_double(7);
    n.pdc = nodes.column_int(8) != 0;
    n.primary_output = nodes.column_text(9);
    // Rows arrive in primary-key order, which is the map's order: append at the end.
    std::string key = n.id;
    s.nodes.emplace_hint(s.nodes.end(), std::move(key), std::move(n));
  }
  nodes.reset();
  Statement& edges = db_->prepare(
      "SELECT kind, from_node, to_node, level_db, tap, latency_samples, mute FROM edges "
      "WHERE snapshot_id = ? ORDER BY seq");
  edges.bind(1, id);
  while (edges.step())
    s.edges.push_back({edges.column_text(0), edges.column_text(1), edges.column_text(2),
                       edges.column_double(3), edges.column_text(4),
                       edges.column_optional_double(5), edges.column_int(6) != 0});
  edges.reset();
  Statement& findings = db_->prepare(
      "SELECT rule, severity, message, fix, nodes FROM findings WHERE snapshot_id = ? ORDER BY "
      "seq");
  findings.bind(1, id);
  while (findings.step()) {
    FindingRecord f{findings.column_text(0),
                    findings.column_text(1),
                    findings.column_text(2),
                    findings.column_text(3),
                    {}};
    const auto nodes_json = nlohmann::json::parse(findings.column_text(4), nullptr, false);
    if (nodes_json.is_array())
      for (const auto& n : nodes_json)
        if (n.is_string()) f.nodes.push_back(n.get<std::string>());
    s.findings.push_back(std::move(f));
  }
  findings.reset();
  return s;
}

std::vector<MeterSummary> Store::meter_summaries(std::int64_t snapshot_id) {
  std::vector<MeterSummary> out;
  Statement& q = db_->prepare(
      "SELECT node_id, peak_dbfs, rms_dbfs, true_peak_dbtp, lufs_integrated FROM meter_summaries "
      "WHERE snapshot_id = ? ORDER BY node_id");
  q.bind(1, snapshot_id);
  while (q.step())
    out.push_back({q.column_text(0), q.column_optional_double(1), q.column_optional_double(2),
                   q.column_optional_double(3), q.column_optional_double(4)});
  q.reset();
  return out;
}

namespace {
void check_latency(const LatencyMeasurement& m) {
  if (!std::isfinite(m.latency_samples) || m.latency_samples < 0 || m.latency_samples > 1e7)
    throw StoreError("latency of " + std::to_string(m.latency_samples) +
                     " samples is out of range (0..10000000)");
  if (!std::isfinite(m.sample_rate_hz) || m.sample_rate_hz < 8000 || m.sample_rate_hz > 768000)
    throw StoreError("sample rate " + std::to_string(m.sample_rate_hz) +
                     " Hz is out of range (8000..768000)");
  if (m.confidence && (!std::isfinite(*m.confidence) || *m.confidence < 0 || *m.confidence > 1))
    throw StoreError("confidence must be between 0 and 1");
  if (m.target.empty())
    throw StoreError("a latency measurement needs a target (insert or path id)");
}
}  // namespace

std::int64_t Store::add_latency(const LatencyMeasurement& m) {
  LatencyMeasurement checked = m;
  checked.measured_at =
      m.measured_at.empty() ? utc_now_iso8601() : checked_utc_time(m.measured_at, "measured_at");
  Transaction tx(*db_);
  const std::int64_t id = insert_latency(checked);
  tx.commit();
  return id;
}

std::int64_t Store::insert_latency(const LatencyMeasurement& m) {
  check_latency(m);
  std::optional<std::int64_t> session;
  if (m.session && !m.session->empty()) {
    session = find_session(*m.session);
    if (!session) throw StoreError(path().string() + ": no session named \"" + *m.session + "\"");
  }
  Statement& q = db_->prepare(
      "INSERT INTO latency_measurements (session_id, target, latency_samples, latency_ms, "
      "sample_rate_hz, "
      "buffer_size, method, confidence, device, measured_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, session).bind(2, m.target).bind(3, m.latency_samples).bind(4, m.latency_ms());
  q.bind(5, m.sample_rate_hz).bind(6, m.buffer_size).bind(7, m.method).bind(8, m.confidence);
  q.bind(9, m.device).bind(10, m.measured_at);
  q.run();
  return db_->last_insert_id();
}

std::vector<LatencyMeasurement> Store::latencies(const std::string& target,
                                                 const std::string& session) {
  std::vector<LatencyMeasurement> out;
  Statement& q = db_->prepare(
      std::string(latency_select) +
      "WHERE (?1 = '' OR l.target = ?1) AND (?2 = '' OR ss.name = ?2 OR CAST(ss.id AS TEXT) = ?2) "
      "ORDER BY l.measured_at DESC, l.id DESC");
  q.bind(1, target).bind(2, session);
  while (q.step()) out.push_back(read_latency(q));
  q.reset();
  return out;
}

std::vector<LatencyMeasurement> Store::latest_latencies(const std::string& session) {
  std::vector<LatencyMeasurement> out;
  for (LatencyMeasurement& m : latencies("", session))
    if (out.empty() ||
        std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.target == m.target; }))
      out.push_back(std::move(m));
  return out;
}

std::vector<std::string> Store::integrity_check() {
  std::vector<std::string> problems;
  // A damaged page can stop a check part way; what it listed so far still counts.
  const auto each_row = [&](const std::string& sql, const auto& row) {
    try {
      Statement& q = db_->prepare(sql);
      while (q.step()) row(q);
      q.reset();
    } catch (const StoreError& e) {
      problems.push_back(sql + " stopped: " + e.what());
    }
  };
  each_row("PRAGMA integrity_check", [&](Statement& q) {
    // One row may hold several problems, a line each.
    const std::string text = q.column_text(0);
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      if (const std::string line = text.substr(start, end - start); !line.empty() && line != "ok")
        problems.push_back(line);
      start = end + 1;
    }
  });
  each_row("PRAGMA foreign_key_check", [&](Statement& q) {
    problems.push_back("foreign key violation in " + q.column_text(0));
  });
  each_row("SELECT snapshot_id, route_map FROM snapshot_maps ORDER BY snapshot_id",
           [&](Statement& q) {
             const RouteMapLoad load = parse_route_map(q.column_text(1));
             if (!load.graph)
               problems.push_back("snapshot " + std::to_string(q.column_int(0)) +
                                  ": the stored route map cannot be read back: " +
                                  format_diagnostic("", load.diagnostics.errors.front()));
           });
  return problems;
}

void Store::vacuum() {
  db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db_->exec("VACUUM");
}

}  // namespace routewise
