// JSON export and import of a whole store, for backups and moving between machines.
#include <cmath>
#include <nlohmann/json.hpp>

#include "routewise/model/route_map_json.hpp"
#include "routewise/store/store.hpp"
#include "sqlite.hpp"

namespace routewise {
namespace {

using ojson = nlohmann::ordered_json;

// JSON has no infinity: -inf levels travel as the string "-inf", as in route maps.
ojson number_or_null(std::optional<double> v) {
  if (!v) return nullptr;
  if (std::isinf(*v)) return *v < 0 ? ojson("-inf") : ojson("inf");
  return *v;
}

std::optional<double> read_number(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string() && v.get<std::string>() == "-inf") return -INFINITY;
  if (v.is_string() && v.get<std::string>() == "inf") return INFINITY;
  return std::nullopt;
}

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw StoreError("import: " + where + ": " + what);
}

std::string text_at(const nlohmann::json& o, const std::string& where, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_string()) bad(where + "." + key, "expected a string");
  return it->get<std::string>();
}

ojson mappings_json(const std::vector<SurfaceMapping>& rows) {
  ojson out = ojson::array();
  for (const SurfaceMapping& m : rows)
    out.push_back({{"profile", m.profile},
                   {"control", m.control},
                   {"target_node", m.target_node},
                   {"parameter", m.parameter},
                   {"argument", m.argument},
                   {"soft_takeover", m.soft_takeover},
                   {"created_at", m.created_at}});
  return out;
}

}  // namespace

std::string Store::surface_mappings_json(const std::string& profile) {
  return mappings_json(surface_mappings(profile)).dump(2) + "\n";
}

std::string Store::export_json() {
  ojson doc;
  doc["format"] = "routewise-db-export";
  doc["version"] = 1;
  doc["schema_version"] = schema_version();
  doc["exported_at"] = utc_now_iso8601();
  ojson sessions = ojson::array();
  for (const SessionRow& s : this->sessions())
    sessions.push_back({{"name", s.name},
                        {"source_daw", s.source_daw},
                        {"file_path", s.file_path},
                        {"fingerprint", s.fingerprint}});
  doc["sessions"] = std::move(sessions);
  ojson snapshots = ojson::array();
  Statement& q = db_->prepare(
      "SELECT s.id, ss.fingerprint, s.taken_at, s.origin, s.label, m.route_map FROM snapshots s "
      "JOIN sessions ss ON ss.id = s.session_id JOIN snapshot_maps m ON m.snapshot_id = s.id ORDER "
      "BY s.id");
  std::vector<
      std::tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string>>
      rows;
  while (q.step())
    rows.emplace_back(q.column_int(0), q.column_text(1), q.column_text(2), q.column_text(3),
                      q.column_text(4), q.column_text(5));
  q.reset();
  for (const auto& [id, fingerprint, taken_at, origin, label, route_map] : rows) {
    ojson s{{"session", fingerprint}, {"taken_at", taken_at}, {"origin", origin}, {"label", label}};
    s["route_map"] = ojson::parse(route_map);
    ojson findings = ojson::array();
    const std::optional<RouteSummary> summary = snapshot_summary(id);
    for (const FindingRecord& f : summary->findings)
      findings.push_back({{"rule", f.rule},
                          {"severity", f.severity},
                          {"message", f.message},
                          {"nodes", f.nodes},
                          {"fix", f.fix}});
    s["findings"] = std::move(findings);
    ojson meters = ojson::array();
    for (const MeterSummary& m : meter_summaries(id))
      meters.push_back({{"node_id", m.node_id},
                        {"peak_dbfs", number_or_null(m.peak_dbfs)},
                        {"rms_dbfs", number_or_null(m.rms_dbfs)},
                        {"true_peak_dbtp", number_or_null(m.true_peak_dbtp)},
                        {"lufs_integrated", number_or_null(m.lufs_integrated)}});
    s["meters"] = std::move(meters);
    snapshots.push_back(std::move(s));
  }
  doc["snapshots"] = std::move(snapshots);
  ojson latency = ojson::array();
  for (const LatencyMeasurement& m : latencies()) {
    latency.push_back({{"session", m.session ? ojson(*m.session) : ojson(nullptr)},
                       {"target", m.target},
                       {"latency_samples", m.latency_samples},
                       {"sample_rate_hz", m.sample_rate_hz},
                       {"buffer_size", m.buffer_size ? ojson(*m.buffer_size) : ojson(nullptr)},
                       {"method", m.method},
                       {"confidence", number_or_null(m.confidence)},
                       {"device", m.device},
                       {"measured_at", m.measured_at}});
  }
  doc["latency"] = std::move(latency);
  doc["surface_mappings"] = mappings_json(surface_mappings());
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

Store::ImportCounts Store::import_json(const std::string& text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) bad("(file)", "not valid JSON");
  if (!doc.is_object() || doc.value("format", "") != "routewise-db-export")
    bad("format", "not a Routewise database export");
  if (!doc.contains("version") || !doc["version"].is_number_integer() ||
      doc["version"].get<int>() != 1)
    bad("version", "unsupported export version (this program reads 1)");
  // Parse and check everything before writing anything, so a bad file changes nothing.
  struct PendingSnapshot {
    std::string fingerprint;
    RouteGraph graph;
    SnapshotMeta meta;
    std::vector<FindingRecord> findings;
    std::vector<MeterSummary> meters;
  };
  std::map<std::string, std::string> file_of;  // fingerprint -> file path
  for (std::size_t i = 0; i < doc.value("sessions", nlohmann::json::array()).size(); ++i) {
    const auto& s = doc["sessions"][i];
    const std::string where = "sessions[" + std::to_string(i) + "]";
    if (!s.is_object()) bad(where, "expected an object");
    file_of[text_at(s, where, "fingerprint")] = text_at(s, where, "file_path");
  }
  std::vector<PendingSnapshot> pending;
  const auto& snaps = doc.value("snapshots", nlohmann::json::array());
  for (std::size_t i = 0; i < snaps.size(); ++i) {
    const auto& s = snaps[i];
    const std::string where = "snapshots[" + std::to_string(i) + "]";
    if (!s.is_object() || !s.contains("route_map"))
      bad(where, "expected an object with a route_map");
    PendingSnapshot p;
    p.fingerprint = text_at(s, where, "session");
    RouteMapLoad load = parse_route_map(s["route_map"].dump());
    if (!load.graph)
      bad(where + ".route_map." + load.diagnostics.errors.front().where,
          load.diagnostics.errors.front().message);
    p.graph = std::move(*load.graph);
    p.meta.taken_at = text_at(s, where, "taken_at");
    p.meta.origin = text_at(s, where, "origin");
    if (p.meta.origin != "import" && p.meta.origin != "mirror" && p.meta.origin != "manual")
      bad(where + ".origin", "must be import, mirror or manual");
    p.meta.label = text_at(s, where, "label");
    p.meta.file_path = file_of.count(p.fingerprint) ? file_of[p.fingerprint] : "";
    for (const auto& f : s.value("findings", nlohmann::json::array())) {
      FindingRecord r{f.value("rule", ""),
                      f.value("severity", ""),
                      f.value("message", ""),
                      f.value("fix", ""),
                      {}};
      if (r.severity != "error" && r.severity != "warning" && r.severity != "info")
        bad(where + ".findings", "severity must be error, warning or info");
      for (const auto& n : f.value("nodes", nlohmann::json::array()))
        if (n.is_string()) r.nodes.push_back(n.get<std::string>());
      p.findings.push_back(std::move(r));
    }
    for (const auto& m : s.value("meters", nlohmann::json::array()))
      p.meters.push_back({m.value("node_id", ""),
                          read_number(m.value("peak_dbfs", nlohmann::json())),
                          read_number(m.value("rms_dbfs", nlohmann::json())),
                          read_number(m.value("true_peak_dbtp", nlohmann::json())),
                          read_number(m.value("lufs_integrated", nlohmann::json()))});
    pending.push_back(std::move(p));
  }
  std::vector<LatencyMeasurement> latency;
  const auto& lat = doc.value("latency", nlohmann::json::array());
  for (std::size_t i = 0; i < lat.size(); ++i) {
    const auto& l = lat[i];
    const std::string where = "latency[" + std::to_string(i) + "]";
    LatencyMeasurement m;
    if (l.contains("session") && l["session"].is_string())
      m.session = l["session"].get<std::string>();
    m.target = text_at(l, where, "target");
    const auto samples = read_number(l.value("latency_samples", nlohmann::json()));
    const auto rate = read_number(l.value("sample_rate_hz", nlohmann::json()));
    if (!samples || !rate) bad(where, "latency_samples and sample_rate_hz must be numbers");
    m.latency_samples = *samples;
    m.sample_rate_hz = *rate;
    if (l.contains("buffer_size") && l["buffer_size"].is_number_integer())
      m.buffer_size = l["buffer_size"].get<std::int64_t>();
    m.method = text_at(l, where, "method");
    m.confidence = read_number(l.value("confidence", nlohmann::json()));
    m.device = l.value("device", "");
    m.measured_at = text_at(l, where, "measured_at");
    latency.push_back(std::move(m));
  }
  std::vector<SurfaceMapping> mappings;
  const auto& maps = doc.value("surface_mappings", nlohmann::json::array());
  if (!maps.is_array()) bad("surface_mappings", "must be an array");
  for (std::size_t i = 0; i < maps.size(); ++i) {
    const auto& j = maps[i];
    const std::string where = "surface_mappings[" + std::to_string(i) + "]";
    if (!j.is_object()) bad(where, "must be an object");
    SurfaceMapping m;
    m.profile = text_at(j, where, "profile");
    m.control = text_at(j, where, "control");
    m.target_node = text_at(j, where, "target_node");
    m.parameter = text_at(j, where, "parameter");
    if (j.contains("argument") && !j["argument"].is_string())
      bad(where + ".argument", "expected a string");
    if (j.contains("soft_takeover") && !j["soft_takeover"].is_boolean())
      bad(where + ".soft_takeover", "expected true or false");
    m.argument = j.value("argument", "");
    m.soft_takeover = j.value("soft_takeover", true);
    m.created_at = text_at(j, where, "created_at");
    mappings.push_back(std::move(m));
  }

  ImportCounts counts;
  Transaction tx(*db_);
  for (const PendingSnapshot& p : pending) {
    const std::string json = write_route_map(p.graph);
    const std::int64_t session = session_for(p.graph, p.meta.file_path);
    Statement& exists = db_->prepare(
        "SELECT 1 FROM snapshots s JOIN snapshot_maps m ON m.snapshot_id = s.id "
        "WHERE s.session_id = ? AND s.taken_at = ? AND m.route_map = ?");
    exists.bind(1, session).bind(2, p.meta.taken_at).bind(3, json);
    const bool present = exists.step();
    exists.reset();
    if (present) {
      ++counts.skipped;
      continue;
    }
    // An import keeps every snapshot with its own time, even one equal to its predecessor.
    insert_snapshot(session, p.graph, json, p.meta, p.findings, p.meters);
    ++counts.snapshots;
  }
  for (const LatencyMeasurement& m : latency) {
    Statement& exists = db_->prepare(
        "SELECT 1 FROM latency_measurements WHERE target = ? AND measured_at = ? AND "
        "latency_samples = ?");
    exists.bind(1, m.target).bind(2, m.measured_at).bind(3, m.latency_samples);
    const bool present = exists.step();
    exists.reset();
    if (present) continue;
    insert_latency(m);
    ++counts.latencies;
  }
  for (const SurfaceMapping& m : mappings) {
    upsert_surface_mapping(m);
    ++counts.mappings;
  }
  tx.commit();
  return counts;
}

}  // namespace routewise
