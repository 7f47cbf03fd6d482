// The SQLite store: snapshot write throughput, history listing and diff latency on a full database
// (figures in RESULTS.md). The floor measured in the same run is a bare INSERT of the same JSON.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "routewise/model/route_map_json.hpp"
#include "routewise/store/store.hpp"
#include "sqlite.hpp"  // the store's own connection type, to build databases by hand
#include "synthetic_session.hpp"

namespace {

namespace fs = std::filesystem;
using namespace routewise;

fs::path fresh(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("routewise_bench_" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  return p;
}

// 200-node session with the first track's fader set from `n`, so each snapshot differs.
RouteGraph variant(const RouteGraph& base, std::int64_t n) {
  RouteGraph g = base;
  for (Node& node : g.nodes)
    if (node.kind == NodeKind::track) {
      node.fader_db = -static_cast<double>(n % 9000) / 100.0;
      break;
    }
  return g;
}

void snapshot_writes(benchmark::State& state) {
  const RouteGraph base = bench::synthetic_session(200);
  Store store(fresh("writes"));
  std::int64_t n = 0;
  for (auto _ : state) store.add_snapshot(variant(base, n++), {"mirror", "", "", ""}, {});
  state.counters["snapshots_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
  state.counters["nodes"] = static_cast<double>(base.nodes.size());
}
BENCHMARK(snapshot_writes)->Iterations(10000)->Unit(benchmark::kMicrosecond);

// Floor: the same JSON as one row per transaction, no node/edge/finding tables.
void bare_json_inserts(benchmark::State& state) {
  const RouteGraph base = bench::synthetic_session(200);
  Database db(fresh("bare"), Database::Mode::read_write_create);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, route_map TEXT NOT NULL)");
  std::int64_t n = 0;
  for (auto _ : state) {
    const std::string json = write_route_map(variant(base, n++));
    Transaction tx(db);
    db.prepare("INSERT INTO blobs (route_map) VALUES (?)").bind(1, json).run();
    tx.commit();
  }
  state.counters["snapshots_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(bare_json_inserts)->Iterations(10000)->Unit(benchmark::kMicrosecond);

// A database holding 10 000 snapshots of a 200-node session, built once.
Store& full_store() {
  static Store store = [] {
    const fs::path p = fresh("full");
    Store s(p);
    const RouteGraph base = bench::synthetic_session(200);
    for (std::int64_t n = 0; n < 10000; ++n)
      s.add_snapshot(variant(base, n), {"mirror", "", "", ""}, {});
    return Store(p);
  }();
  return store;
}

void history_listing(benchmark::State& state) {
  Store& store = full_store();
  std::size_t rows = 0;
  for (auto _ : state) rows = store.history().size();
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(history_listing)->Unit(benchmark::kMillisecond);

void diff_of_two_10k_node_snapshots(benchmark::State& state) {
  Store store(fresh("diff"));
  const RouteGraph a = bench::synthetic_session(10000, 1);
  RouteGraph b = a;
  for (std::size_t i = 0; i < b.nodes.size(); i += 50)
    b.nodes[i].fader_db -= 1.5;  // 200 level changes
  for (std::size_t i = 0; i < b.nodes.size(); i += 997) b.nodes[i].name += " (new)";  // renames
  b.edges.erase(b.edges.begin() + 100, b.edges.begin() + 110);  // removed routing
  const auto ida = store.add_snapshot(a, {}, {}).id, idb = store.add_snapshot(b, {}, {}).id;
  std::size_t changes = 0;
  for (auto _ : state) {
    const RouteDiff d = diff_routes(*store.snapshot_summary(ida), *store.snapshot_summary(idb));
    changes = d.level_changes.size() + d.renamed.size() + d.removed_edges.size();
  }
  state.counters["changes"] = static_cast<double>(changes);
  state.counters["nodes"] = static_cast<double>(a.nodes.size());
}
BENCHMARK(diff_of_two_10k_node_snapshots)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

namespace {
// Reading one 10 000-node snapshot's tables: the part of a diff the database does.
void summary_of_a_10k_node_snapshot(benchmark::State& state) {
  Store store(fresh("summary"));
  const auto id = store.add_snapshot(bench::synthetic_session(10000, 1), {}, {}).id;
  for (auto _ : state) benchmark::DoNotOptimize(store.snapshot_summary(id));
}
BENCHMARK(summary_of_a_10k_node_snapshot)->Unit(benchmark::kMillisecond);
}  // namespace
