#include "routewise/store/store.hpp"
#include "sqlite.hpp"  // the store's own connection type, to build databases by hand

#include <gtest/gtest.h>

#include <cmath>

#include "../../support/graph_builder.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
using testing::GraphBuilder;
using testing::TempDir;

namespace {

RouteGraph mix(double kick_fader_db, const std::string& verb_target = "master") {
  GraphBuilder b;
  b.graph().session.name = "Song";
  b.graph().session.source_daw = "Ardour";
  b.node("kick", NodeKind::track, "Kick").fader_db = kick_fader_db;
  b.node("verb", NodeKind::aux_return, "Verb");
  b.master();
  b.output("kick", "master");
  b.send("kick", "verb", -10);
  b.output("verb", verb_target);
  return b.build();
}

const std::vector<FindingRecord> one_warning = {{"orphan", "warning", "msg", "fix", {"kick"}}};

}  // namespace

TEST(Store, CreatesTheDatabaseWithParentsWalAndCurrentSchema) {
  TempDir dir;
  Store store(dir / "a/b/routewise.db");
  EXPECT_EQ(store.schema_version(), store_schema_version);
  EXPECT_TRUE(std::filesystem::exists(dir / "a/b/routewise.db"));
  Database raw(dir / "a/b/routewise.db", Database::Mode::read_only);
  Statement& q = raw.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.column_text(0), "wal");
}

TEST(Store, SnapshotRoundTripAndIdenticalConsecutiveSnapshotsAreStoredOnce) {
  TempDir dir;
  Store store(dir / "rw.db");
  const auto first =
      store.add_snapshot(mix(-3), {"import", "first", "/x/song.ardour", ""}, one_warning);
  EXPECT_TRUE(first.created);
  const auto again =
      store.add_snapshot(mix(-3), {"import", "again", "/x/song.ardour", ""}, one_warning);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  const auto changed = store.add_snapshot(mix(-6), {"mirror", "", "/x/song.ardour", ""}, {});
  EXPECT_TRUE(changed.created);
  const auto back = store.add_snapshot(mix(-3), {"manual", "", "/x/song.ardour", ""}, {});
  EXPECT_TRUE(back.created);  // equal to an older snapshot, but not to the latest one

  const auto rows = store.history();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.back().label, "first");
  EXPECT_EQ(rows.back().warnings, 1);
  EXPECT_EQ(rows.back().nodes, 3);
  EXPECT_EQ(store.history("Song").size(), 3u);
  EXPECT_EQ(*store.snapshot_graph(first.id), mix(-3));
  EXPECT_EQ(store.sessions().size(), 1u);
  EXPECT_THROW(store.history("No Such Song"), StoreError);
}

TEST(Store, SummaryFromTablesMatchesTheGraph) {
  TempDir dir;
  Store store(dir / "rw.db");
  const auto id = store.add_snapshot(mix(-3), {}, one_warning).id;
  const auto summary = store.snapshot_summary(id);
  ASSERT_TRUE(summary);
  const RouteSummary expected = summarize(mix(-3), one_warning);
  EXPECT_EQ(summary->nodes, expected.nodes);
  EXPECT_EQ(summary->edges, expected.edges);
  EXPECT_EQ(summary->findings, expected.findings);
  EXPECT_FALSE(store.snapshot_summary(999));
}

TEST(Store, MinusInfinityFadersSurvive) {
  TempDir dir;
  Store store(dir / "rw.db");
  const auto id = store.add_snapshot(mix(-INFINITY), {}, {}).id;
  EXPECT_TRUE(std::isinf(store.snapshot_summary(id)->nodes.at("kick").fader_db));
  EXPECT_TRUE(std::isinf(store.snapshot_graph(id)->nodes[0].fader_db));
}

TEST(Store, DiffOfTwoSnapshots) {
  TempDir dir;
  Store store(dir / "rw.db");
  const auto a = store.add_snapshot(mix(-3, "master"), {}, one_warning).id;
  const auto b = store.add_snapshot(mix(-6, "kick"), {}, {}).id;
  const RouteDiff d = diff_routes(*store.snapshot_summary(a), *store.snapshot_summary(b));
  ASSERT_EQ(d.rerouted.size(), 1u);
  EXPECT_EQ(d.rerouted[0].second.primary_output, "kick");
  ASSERT_EQ(d.level_changes.size(), 1u);
  EXPECT_EQ(d.level_changes[0].what, "'Kick' fader");
  EXPECT_DOUBLE_EQ(d.level_changes[0].before, -3);
  EXPECT_DOUBLE_EQ(d.level_changes[0].after, -6);
  EXPECT_EQ(d.resolved_findings.size(), 1u);
}

TEST(Store, LatencyMeasurementsListTrendAndLatestPerTarget) {
  TempDir dir;
  Store store(dir / "rw.db");
  store.add_snapshot(mix(-3), {}, {});
  LatencyMeasurement m;
  m.session = "Song";
  m.target = "mix>comp";
  m.latency_samples = 211.37;
  m.buffer_size = 256;
  m.method = "mls";
  m.confidence = 0.98;
  m.measured_at = "2026-11-24T10:00:00.000Z";
  store.add_latency(m);
  m.latency_samples = 212.0;
  m.measured_at = "2026-11-26T10:00:00.000Z";
  store.add_latency(m);
  m.target = "vox>1176";
  m.latency_samples = 96;
  store.add_latency(m);
  const auto all = store.latencies("mix>comp");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_DOUBLE_EQ(all[0].latency_samples, 212.0);  // newest first
  EXPECT_NEAR(all[0].latency_ms(), 4.4167, 1e-4);
  EXPECT_EQ(all[0].session, "Song");
  EXPECT_EQ(store.latest_latencies("Song").size(), 2u);
  m.latency_samples = -5;
  EXPECT_THROW(store.add_latency(m), StoreError);
  m.latency_samples = 5;
  m.session = "Unknown";
  EXPECT_THROW(store.add_latency(m), StoreError);
}

TEST(Store, ExportImportRoundTripIsIdempotent) {
  TempDir dir;
  std::string exported;
  {
    Store store(dir / "a.db");
    store.add_snapshot(mix(-3), {"import", "one", "", "2026-11-20T10:00:00.000Z"}, one_warning,
                       {{"master", -1.0, -14.0, -0.5, -13.2}});
    store.add_snapshot(mix(-6), {"mirror", "two", "", "2026-11-21T10:00:00.000Z"}, {});
    LatencyMeasurement m;
    m.target = "mix>comp";
    m.latency_samples = 100;
    m.measured_at = "2026-11-21T11:00:00.000Z";
    store.add_latency(m);
    store.put_surface_mapping(
        {0, "nanoKONTROL", "cc:1:0", "Lead Vox", "fader", "", true, "2026-11-21T12:00:00.000Z"});
    exported = store.export_json().json;
  }
  Store copy(dir / "b.db");
  auto counts = copy.import_json(exported);
  EXPECT_EQ(counts.snapshots, 2u);
  EXPECT_EQ(counts.latencies, 1u);
  EXPECT_EQ(counts.mappings, 1u);
  ASSERT_EQ(copy.surface_mappings().size(), 1u);
  EXPECT_EQ(copy.surface_mappings()[0].target_node, "Lead Vox");
  counts = copy.import_json(exported);
  EXPECT_EQ(counts.snapshots, 0u);
  EXPECT_EQ(counts.skipped, 2u);
  EXPECT_EQ(counts.latencies, 0u);
  const auto rows = copy.history();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].taken_at, "2026-11-20T10:00:00.000Z");
  EXPECT_EQ(rows[1].warnings, 1);
  EXPECT_EQ(*copy.snapshot_graph(rows[1].id), mix(-3));
  const auto meters = copy.meter_summaries(rows[1].id);
  ASSERT_EQ(meters.size(), 1u);
  EXPECT_DOUBLE_EQ(*meters[0].lufs_integrated, -13.2);
  // Re-exporting gives the same content apart from the export time.
  std::string again = copy.export_json().json;
  const auto strip_time = [](std::string s) { return s.erase(s.find("\"exported_at\""), 50); };
  EXPECT_EQ(strip_time(again), strip_time(exported));
}

TEST(Store, AFileThatIsNotAnExportChangesNothing) {
  TempDir dir;
  Store store(dir / "rw.db");
  store.add_snapshot(mix(-3), {}, {});
  EXPECT_THROW(store.import_json("not json"), StoreError);
  EXPECT_THROW(store.import_json(R"({"format":"other"})"), StoreError);
  EXPECT_EQ(store.history().size(), 1u);
}

TEST(Store, ABadRecordIsSkippedAndNamedAndTheRestIsRestored) {
  TempDir dir;
  Store store(dir / "rw.db");
  const std::string export_text =
      R"({"format":"routewise-db-export","version":1,"sessions":[],"snapshots":[
    {"session":"x","taken_at":"2026-11-20T10:00:00Z","origin":"import","label":"",
     "route_map":{"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":48000},"nodes":[]}},
    {"session":"x","taken_at":"2026-11-20T11:00:00Z","origin":"import","label":"","route_map":{"format":"nope"}},
    {"session":"x","taken_at":"garbage","origin":"import","label":"",
     "route_map":{"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":48000},"nodes":[]}}]})";
  const auto counts = store.import_json(export_text);
  EXPECT_EQ(counts.snapshots, 1u);
  ASSERT_EQ(counts.rejected.size(), 2u);
  EXPECT_NE(counts.rejected[0].find("snapshots[1].route_map.format"), std::string::npos)
      << counts.rejected[0];
  EXPECT_NE(counts.rejected[1].find("snapshots[2].taken_at"), std::string::npos)
      << counts.rejected[1];
  EXPECT_EQ(store.history().size(), 1u);
  EXPECT_EQ(store.history()[0].taken_at, "2026-11-20T10:00:00.000Z");
}

TEST(Store, SurfaceMappingsAreReplacedPerControlListedAndRemoved) {
  TempDir dir;
  Store store(dir / "rw.db");
  SurfaceMapping m{0, "nano", "cc14:1:7", "Kick", "fader", "", true, ""};
  const auto first = store.put_surface_mapping(m);
  m.target_node = "Snare";  // relearned: the same control now moves another strip
  EXPECT_EQ(store.put_surface_mapping(m), first);
  store.put_surface_mapping({0, "nano", "note:1:60", "Kick", "mute", "", false, ""});
  store.put_surface_mapping({0, "other", "cc:2:1", "Vox", "send", "Plate", true, ""});
  const auto nano = store.surface_mappings("nano");
  ASSERT_EQ(nano.size(), 2u);
  EXPECT_EQ(nano[0].target_node, "Snare");
  EXPECT_FALSE(nano[0].created_at.empty());
  EXPECT_FALSE(nano[1].soft_takeover);
  EXPECT_EQ(store.surface_mappings().size(), 3u);
  EXPECT_TRUE(store.remove_surface_mapping("nano", "note:1:60"));
  EXPECT_FALSE(store.remove_surface_mapping("nano", "note:1:60"));
  EXPECT_EQ(store.surface_mappings("nano").size(), 1u);
  // Nonsense is refused with the field named, and nothing is written.
  try {
    store.put_surface_mapping({0, "nano", "cc:1:9", "Kick", "volume", "", true, ""});
    FAIL() << "expected an error";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("surface mapping parameter"), std::string::npos);
  }
  EXPECT_THROW(store.put_surface_mapping({0, "nano", "cc:1:9", "Kick", "send", "", true, ""}),
               StoreError);
  EXPECT_EQ(store.surface_mappings().size(), 2u);
}

TEST(StoreSchema, MigratesAVersionOneDatabaseForward) {
  TempDir dir;
  {
    Database db(dir / "v1.db", Database::Mode::read_write_create);
    migrate_to(db, 1);
    db.exec("INSERT INTO sessions (name, fingerprint, created_at) VALUES ('Old', 'f', 't')");
  }
  Store store(dir / "v1.db");
  EXPECT_EQ(store.schema_version(), store_schema_version);
  EXPECT_EQ(store.sessions().size(), 1u);
  LatencyMeasurement m;
  m.target = "x";
  m.latency_samples = 1;
  m.session = "Old";
  EXPECT_GT(store.add_latency(m), 0);  // the version 2 table exists now
}

TEST(StoreSchema, EmptyDatabaseFileIsInitialised) {
  TempDir dir;
  testing::write_bytes(dir / "empty.db", "");
  Store store(dir / "empty.db");
  EXPECT_EQ(store.schema_version(), store_schema_version);
}

TEST(StoreSchema, NewerDatabaseIsRefusedAndLeftUnchanged) {
  TempDir dir;
  {
    Store store(dir / "new.db");
    store.add_snapshot(mix(-3), {}, {});
    store.vacuum();
  }
  {
    Database db(dir / "new.db", Database::Mode::read_write_create);
    db.exec("PRAGMA user_version = 9");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const std::string before = testing::read_bytes(dir / "new.db");
  try {
    Store store(dir / "new.db");
    FAIL() << "a newer database was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 9 is newer than this program reads (" +
                                         std::to_string(store_schema_version) + ")"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(testing::read_bytes(dir / "new.db"), before);
}

TEST(StoreSchema, NonDatabaseAndForeignDatabasesAreRefusedUntouched) {
  TempDir dir;
  const std::string text = "this is a session note, not a database\n" + std::string(5000, 'x');
  testing::write_bytes(dir / "note.db", text);
  EXPECT_THROW(Store(dir / "note.db"), StoreError);
  EXPECT_EQ(testing::read_bytes(dir / "note.db"), text);
  {
    Database other(dir / "other.db", Database::Mode::read_write_create);
    other.exec("CREATE TABLE invoices (id INTEGER)");
  }
  const std::string other_bytes = testing::read_bytes(dir / "other.db");
  try {
    Store store(dir / "other.db");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not Routewise's"), std::string::npos) << e.what();
  }
  EXPECT_EQ(testing::read_bytes(dir / "other.db"), other_bytes);
  EXPECT_THROW(Store(dir / "missing.db", Store::Access::read_only), StoreError);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db"));
}

TEST(StoreSchema, DefaultPathFollowsRoutewiseDbThenXdg) {
  ::setenv("ROUTEWISE_DB", "/tmp/x.db", 1);
  EXPECT_EQ(default_store_path(), "/tmp/x.db");
  ::unsetenv("ROUTEWISE_DB");
  ::setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(default_store_path(), "/tmp/xdg/routewise/routewise.db");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/home/eng", 1);
  EXPECT_EQ(default_store_path(), "/home/eng/.local/share/routewise/routewise.db");
}

}  // namespace routewise
