// JSON export and import of a whole store, for backups and moving between machines.
#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "routewise/model/json_stream.hpp"
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

using json = nlohmann::json;

// A problem with the whole file: nothing is imported.
[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw StoreError(where + ": " + what);
}

// A problem with one record: that record is skipped and named, the rest are imported.
struct RecordError {
  std::string where, what;
};
[[noreturn]] void bad_record(const std::string& where, const std::string& what) {
  throw RecordError{where, what};
}

std::string type_of(const json& v) {
  return v.is_number() ? "number" : v.type_name();
}

// An array member; absent is empty, any other type spoils the whole file.
const json& array_member(const json& o, const char* key) {
  static const json empty = json::array();
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return empty;
  if (!it->is_array()) bad(key, "expected an array, got " + type_of(*it));
  return *it;
}

// The array member of a record; any other type is that record's error.
const json& record_array(const json& o, const std::string& where, const char* key) {
  static const json empty = json::array();
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return empty;
  if (!it->is_array()) bad_record(where + "." + key, "expected an array, got " + type_of(*it));
  return *it;
}

const json& object_at(const json& array, std::size_t i, const std::string& where) {
  if (!array[i].is_object()) bad_record(where, "expected an object, got " + type_of(array[i]));
  return array[i];
}

std::string text_at(const json& o, const std::string& where, const char* key) {
  const auto it = o.find(key);
  if (it == o.end()) bad_record(where + "." + key, "missing");
  if (!it->is_string()) bad_record(where + "." + key, "expected a string, got " + type_of(*it));
  return it->get<std::string>();
}

std::string optional_text(const json& o, const std::string& where, const char* key) {
  const auto it = o.find(key);
  return it == o.end() || it->is_null() ? std::string() : text_at(o, where, key);
}

// JSON has no infinity: -inf levels travel as the string "-inf", as in route maps.
std::optional<double> number_at(const json& o, const std::string& where, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string() && it->get<std::string>() == "-inf") return -INFINITY;
  if (it->is_string() && it->get<std::string>() == "inf") return INFINITY;
  bad_record(where + "." + key, "expected a number, got " + type_of(*it));
}

double required_number(const json& o, const std::string& where, const char* key) {
  const auto v = number_at(o, where, key);
  if (!v) bad_record(where + "." + key, "missing");
  return *v;
}

bool optional_bool(const json& o, const std::string& where, const char* key, bool fallback) {
  const auto it = o.find(key);
  if (it == o.end()) return fallback;
  if (!it->is_boolean())
    bad_record(where + "." + key, "expected true or false, got " + type_of(*it));
  return it->get<bool>();
}

std::string checked_time(const json& o, const std::string& where, const char* key) {
  const std::string text = text_at(o, where, key);
  try {
    return checked_utc_time(text, key);
  } catch (const StoreError& e) {
    // checked_utc_time names the field first; the record's path names it here.
    bad_record(where + "." + key, e.what() + std::strlen(key) + 2);
  }
}

FindingRecord read_finding(const json& f, const std::string& where) {
  FindingRecord r{optional_text(f, where, "rule"),
                  optional_text(f, where, "severity"),
                  optional_text(f, where, "message"),
                  optional_text(f, where, "fix"),
                  {}};
  if (r.severity != "error" && r.severity != "warning" && r.severity != "info")
    bad_record(where + ".severity", "must be error, warning or info");
  const json& nodes = record_array(f, where, "nodes");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_string())
      bad_record(where + ".nodes[" + std::to_string(i) + "]", "expected a string");
    r.nodes.push_back(nodes[i].get<std::string>());
  }
  return r;
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

Store::Export Store::export_json() {
  Export out;
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
  std::vector<
      std::tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string>>
      rows;
  try {
    Statement& q = db_->prepare(
        "SELECT s.id, ss.fingerprint, s.taken_at, s.origin, s.label, m.route_map FROM snapshots s "
        "JOIN sessions ss ON ss.id = s.session_id JOIN snapshot_maps m ON m.snapshot_id = s.id "
        "ORDER BY s.id");
    while (q.step())
      rows.emplace_back(q.column_int(0), q.column_text(1), q.column_text(2), q.column_text(3),
                        q.column_text(4), q.column_text(5));
    q.reset();
  } catch (const StoreError& e) {
    // A damaged page ends the scan; what was read before it is still a backup worth having.
    const std::string after =
        rows.empty() ? "the first" : "snapshot " + std::to_string(std::get<0>(rows.back()));
    out.unreadable.push_back("the snapshots after " + after + ": " + e.what());
  }
  ojson snapshots = ojson::array();
  for (const auto& [id, fingerprint, taken_at, origin, label, route_map] : rows) {
    // Only what reads back as a route map is exported, so that the backup restores.
    const RouteMapLoad load = parse_route_map(route_map);
    if (!load.graph) {
      out.unreadable.push_back("snapshot " + std::to_string(id) + " (" + taken_at +
                               "): the stored route map cannot be read back: " +
                               format_diagnostic("", load.diagnostics.errors.front()));
      continue;
    }
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
  out.json = doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
  return out;
}

Store::ImportCounts Store::import_json(const std::string& text) {
  // Parse and check everything before writing anything, so a bad file changes nothing. Each
  // record of the four lists is read as soon as the parser has it and then dropped: the export
  // as one JSON tree would cost about 15 times its text.
  ImportCounts counts;
  struct PendingSnapshot {
    std::string fingerprint;
    RouteGraph graph;
    SnapshotMeta meta;
    std::vector<FindingRecord> findings;
    std::vector<MeterSummary> meters;
  };
  std::map<std::string, std::string> file_of;  // fingerprint -> file path
  std::vector<PendingSnapshot> pending;
  std::vector<std::pair<std::string, LatencyMeasurement>> latency;
  std::vector<std::pair<std::string, SurfaceMapping>> mappings;

  const auto read_session = [&](const json& s, const std::string& where) {
    file_of[text_at(s, where, "fingerprint")] = optional_text(s, where, "file_path");
  };
  const auto read_snapshot = [&](const json& s, const std::string& where) {
    PendingSnapshot p;
    p.fingerprint = text_at(s, where, "session");
    if (!s.contains("route_map")) bad_record(where + ".route_map", "missing");
    RouteMapLoad load = parse_route_map(s["route_map"].dump());
    if (!load.graph)
      bad_record(where + ".route_map." + load.diagnostics.errors.front().where,
                 load.diagnostics.errors.front().message);
    p.graph = std::move(*load.graph);
    p.meta.taken_at = checked_time(s, where, "taken_at");
    p.meta.origin = text_at(s, where, "origin");
    if (p.meta.origin != "import" && p.meta.origin != "mirror" && p.meta.origin != "manual")
      bad_record(where + ".origin", "must be import, mirror or manual");
    p.meta.label = optional_text(s, where, "label");
    const json& findings = record_array(s, where, "findings");
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const std::string at = where + ".findings[" + std::to_string(i) + "]";
      p.findings.push_back(read_finding(object_at(findings, i, at), at));
    }
    const json& meters = record_array(s, where, "meters");
    for (std::size_t i = 0; i < meters.size(); ++i) {
      const std::string at = where + ".meters[" + std::to_string(i) + "]";
      const json& m = object_at(meters, i, at);
      p.meters.push_back({text_at(m, at, "node_id"), number_at(m, at, "peak_dbfs"),
                          number_at(m, at, "rms_dbfs"), number_at(m, at, "true_peak_dbtp"),
                          number_at(m, at, "lufs_integrated")});
    }
    pending.push_back(std::move(p));
  };
  const auto read_latency = [&](const json& l, const std::string& where) {
    LatencyMeasurement m;
    if (std::string session = optional_text(l, where, "session"); !session.empty())
      m.session = std::move(session);
    m.target = text_at(l, where, "target");
    m.latency_samples = required_number(l, where, "latency_samples");
    m.sample_rate_hz = required_number(l, where, "sample_rate_hz");
    if (const auto b = number_at(l, where, "buffer_size")) {
      if (*b != std::floor(*b) || *b < 1 || *b > 1 << 20)
        bad_record(where + ".buffer_size", "expected a whole number of samples (1..1048576)");
      m.buffer_size = static_cast<std::int64_t>(*b);
    }
    m.method = text_at(l, where, "method");
    m.confidence = number_at(l, where, "confidence");
    m.device = optional_text(l, where, "device");
    m.measured_at = checked_time(l, where, "measured_at");
    latency.emplace_back(where, std::move(m));
  };
  const auto read_mapping = [&](const json& j, const std::string& where) {
    SurfaceMapping m;
    m.profile = text_at(j, where, "profile");
    m.control = text_at(j, where, "control");
    m.target_node = text_at(j, where, "target_node");
    m.parameter = text_at(j, where, "parameter");
    m.argument = optional_text(j, where, "argument");
    m.soft_takeover = optional_bool(j, where, "soft_takeover", true);
    m.created_at = checked_time(j, where, "created_at");
    mappings.emplace_back(where, std::move(m));
  };

  // The records are read one at a time as the parser completes them (see json_stream.hpp).
  const auto is_list = [](std::string_view key) {
    return key == "sessions" || key == "snapshots" || key == "latency" || key == "surface_mappings";
  };
  const auto read_record = [&](std::string_view list, std::size_t index, const json& parsed) {
    const std::string where = std::string(list) + "[" + std::to_string(index) + "]";
    try {
      if (!parsed.is_object()) bad_record(where, "expected an object, got " + type_of(parsed));
      if (list == "sessions")
        read_session(parsed, where);
      else if (list == "snapshots")
        read_snapshot(parsed, where);
      else if (list == "latency")
        read_latency(parsed, where);
      else
        read_mapping(parsed, where);
    } catch (const RecordError& e) {
      counts.rejected.push_back(e.where + ": " + e.what);
    }
  };
  const auto doc = parse_streaming_arrays(text, is_list, read_record, false);
  if (doc.is_discarded()) bad("(file)", "not valid JSON");
  if (!doc.is_object()) bad("(top level)", "expected an object, got " + type_of(doc));
  if (!doc.contains("format") || doc["format"] != "routewise-db-export")
    bad("format", "not a Routewise database export");
  if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"] != 1)
    bad("version", "unsupported export version (this program reads 1)");
  // What is left of the lists is empty when they were arrays; anything else spoils the file.
  for (const char* key : {"sessions", "snapshots", "latency", "surface_mappings"})
    array_member(doc, key);
  for (PendingSnapshot& p : pending)
    p.meta.file_path = file_of.count(p.fingerprint) ? file_of[p.fingerprint] : "";

  // A record the store itself refuses (out of range, unknown session) is skipped and named; a
  // failure of the database (a full disk) ends the import with nothing changed.
  const auto refused = [&counts](const std::string& where, const StoreError& e) {
    if (e.sqlite_code() != 0) throw e;
    counts.rejected.push_back(where + ": " + e.what());
  };
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
  for (const auto& [where, m] : latency) {
    Statement& exists = db_->prepare(
        "SELECT 1 FROM latency_measurements WHERE target = ? AND measured_at = ? AND "
        "latency_samples = ?");
    exists.bind(1, m.target).bind(2, m.measured_at).bind(3, m.latency_samples);
    const bool present = exists.step();
    exists.reset();
    if (present) continue;
    try {
      insert_latency(m);
      ++counts.latencies;
    } catch (const StoreError& e) {
      refused(where, e);
    }
  }
  for (const auto& [where, m] : mappings) {
    try {
      upsert_surface_mapping(m);
      ++counts.mappings;
    } catch (const StoreError& e) {
      refused(where, e);
    }
  }
  tx.commit();
  return counts;
}

}  // namespace routewise
