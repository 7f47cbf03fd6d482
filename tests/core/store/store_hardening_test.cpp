// The store on a bad day: wrong-typed backups, damaged maps and pages, bad times, bad values.
#include <gtest/gtest.h>

#include <cmath>

#include "../../support/graph_builder.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/store/store.hpp"
#include "sqlite.hpp"

namespace routewise {
using testing::GraphBuilder;
using testing::TempDir;

namespace {

RouteGraph song(double kick_fader_db = 0.0) {
  GraphBuilder b;
  b.graph().session.name = "Song";
  b.graph().session.source_daw = "Ardour";
  b.node("kick", NodeKind::track, "Kick").fader_db = kick_fader_db;
  b.master();
  b.output("kick", "master");
  return b.build();
}

std::string export_with(const std::string& members) {
  return R"({"format":"routewise-db-export","version":1,)" + members + "}";
}

}  // namespace

// Each of these aborted `db import` with an uncaught JSON type error (exit 134).
TEST(StoreHardening, WrongTypedExportsAreErrorsWithTheirPathNeverACrash) {
  TempDir dir;
  Store store(dir / "rw.db");
  store.add_snapshot(song(), {}, {});
  const std::vector<std::pair<std::string, std::string>> whole_file_errors = {
      {R"("snapshots":5)", "snapshots: expected an array, got number"},
      {R"("sessions":5)", "sessions: expected an array, got number"},
      {R"("latency":{"a":1})", "latency: expected an array, got object"},
      {R"("surface_mappings":"x")", "surface_mappings: expected an array, got string"},
  };
  for (const auto& [members, expected] : whole_file_errors) {
    try {
      store.import_json(export_with(members));
      ADD_FAILURE() << members << " was accepted";
    } catch (const StoreError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
  EXPECT_THROW(store.import_json(R"({"format":5,"version":1})"), StoreError);
  EXPECT_THROW(store.import_json("[1]"), StoreError);
  EXPECT_THROW(store.import_json(R"({"format":"routewise-db-export","version":"1"})"), StoreError);

  const std::vector<std::pair<std::string, std::string>> record_errors = {
      {R"("sessions":[5])", "sessions[0]: expected an object, got number"},
      {R"("sessions":[{"fingerprint":7}])", "sessions[0].fingerprint: expected a string"},
      {R"("snapshots":[{"session":"x","route_map":5,"taken_at":"2026-01-01","origin":"import"}])",
       "snapshots[0].route_map.(top level): expected an object"},
      {R"("snapshots":[{"session":"x","taken_at":"2026-01-01","origin":"import","findings":5,)"
       R"("route_map":{"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":48000},"nodes":[]}}])",
       "snapshots[0].findings: expected an array, got number"},
      {R"("snapshots":[{"session":"x","taken_at":"2026-01-01","origin":"import","meters":[{"node_id":"a","peak_dbfs":[1]}],)"
       R"("route_map":{"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":48000},"nodes":[]}}])",
       "snapshots[0].meters[0].peak_dbfs: expected a number, got array"},
      {R"("latency":[5])", "latency[0]: expected an object, got number"},
      {R"("latency":[{"target":"a","latency_samples":"x","sample_rate_hz":48000,"method":"mls","measured_at":"2026-01-01"}])",
       "latency[0].latency_samples: expected a number, got string"},
      {R"("latency":[{"target":"a","latency_samples":-5,"sample_rate_hz":48000,"method":"mls","measured_at":"2026-01-01"}])",
       "latency[0]: latency of -5"},
      {R"("surface_mappings":[{"profile":"p","control":"c","target_node":"n","parameter":"fader","soft_takeover":"yes","created_at":"2026-01-01"}])",
       "surface_mappings[0].soft_takeover: expected true or false, got string"},
  };
  for (const auto& [members, expected] : record_errors) {
    Store::ImportCounts counts;
    ASSERT_NO_THROW(counts = store.import_json(export_with(members))) << members;
    ASSERT_EQ(counts.rejected.size(), 1u) << members;
    EXPECT_EQ(counts.rejected[0].rfind(expected, 0), 0u) << counts.rejected[0];
  }
  EXPECT_EQ(store.history().size(), 1u);
  EXPECT_TRUE(store.latencies().empty());
  EXPECT_TRUE(store.integrity_check().empty());
}

TEST(StoreHardening, ARouteMapItsOwnReaderWouldRefuseIsNotStored) {
  TempDir dir;
  Store store(dir / "rw.db");
  RouteGraph hot = song(6160.0);
  EXPECT_THROW(store.add_snapshot(hot, {}, {}), StoreError);
  RouteGraph meter = song();
  meter.nodes[0].measured.peak_dbfs = 1e30;
  EXPECT_THROW(store.add_snapshot(meter, {}, {}), StoreError);
  RouteGraph blank = song();
  blank.nodes[0].name = "\t";
  try {
    store.add_snapshot(blank, {}, {});
    FAIL() << "a tab was stored as a name";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("nodes[0].name: is empty"), std::string::npos) << e.what();
  }
  RouteGraph nan_gain = song(NAN);
  EXPECT_THROW(store.add_snapshot(nan_gain, {}, {}), StoreError);
  EXPECT_TRUE(store.history().empty());
  // And a good map after them is stored, and restores.
  store.add_snapshot(song(-3), {}, {});
  Store copy(dir / "copy.db");
  const auto counts = copy.import_json(store.export_json().json);
  EXPECT_EQ(counts.snapshots, 1u);
  EXPECT_TRUE(counts.rejected.empty());
}

TEST(StoreHardening, TimesAreParsedValidatedAndKeptInOneForm) {
  EXPECT_EQ(checked_utc_time("2026-11-20T10:00:00Z", "at"), "2026-11-20T10:00:00.000Z");
  EXPECT_EQ(checked_utc_time("2026-11-20", "at"), "2026-11-20T00:00:00.000Z");
  EXPECT_EQ(checked_utc_time("2026-11-20T11:30:00.25+01:30", "at"), "2026-11-20T10:00:00.250Z");
  EXPECT_EQ(checked_utc_time("2026-11-20 10:00", "at"), "2026-11-20T10:00:00.000Z");
  for (const char* bad : {"garbage", "", "2026-13-01", "2026-02-30", "2026-11-20T25:00",
                          "2026-11-20T10:00:00Zjunk", "2099-01-01T00:00:00Z", "20261120"}) {
    try {
      checked_utc_time(bad, "measured_at");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const StoreError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("measured_at: ", 0), 0u) << e.what();
    }
  }
  TempDir dir;
  Store store(dir / "rw.db");
  LatencyMeasurement m;
  m.target = "a>b";
  m.latency_samples = 10;
  m.measured_at = "garbage";
  EXPECT_THROW(store.add_latency(m), StoreError);
}

// "Latest" was the largest taken_at string: after an import dated 2099 (now refused) or any
// later-dated import, going back to an earlier map was "unchanged; nothing stored".
TEST(StoreHardening, LatestIsTheSnapshotStoredLastWhateverItsTime) {
  TempDir dir;
  Store store(dir / "rw.db");
  store.add_snapshot(song(-3), {"manual", "", "", "2026-11-01T00:00:00Z"}, {});
  store.add_snapshot(song(-6), {"manual", "", "", "2026-12-01T00:00:00Z"}, {});
  store.add_snapshot(song(-3), {"manual", "", "", "2026-11-15T00:00:00Z"}, {});
  // The second is the latest by time but not the last stored; -3 again is stored.
  EXPECT_EQ(store.history().size(), 3u);
  EXPECT_FALSE(store.add_snapshot(song(-3), {}, {}).created);
}

TEST(StoreHardening, CheckListsDamagedPagesAndUnreadableMapsExportKeepsTheRest) {
  TempDir dir;
  const auto path = dir / "rw.db";
  {
    Store store(path);
    for (int n = 0; n < 3; ++n) store.add_snapshot(song(-n), {}, {});
  }
  {
    // A map damaged behind the store's back (another program, a bad disk).
    Database raw(path, Database::Mode::read_write_create);
    raw.exec("UPDATE snapshot_maps SET route_map = '{\"format\":' WHERE snapshot_id = 2");
  }
  Store store(path, Store::Access::read_only);
  const auto problems = store.integrity_check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("snapshot 2: the stored route map cannot be read back"),
            std::string::npos)
      << problems[0];
  const Store::Export exported = store.export_json();
  ASSERT_EQ(exported.unreadable.size(), 1u);
  EXPECT_NE(exported.unreadable[0].find("snapshot 2"), std::string::npos);
  Store copy(dir / "copy.db");
  EXPECT_EQ(copy.import_json(exported.json).snapshots, 2u);
}

TEST(StoreHardening, DamagedPagesAreListedNotAnError) {
  TempDir dir;
  const auto path = dir / "rw.db";
  {
    Store store(path);
    for (int n = 0; n < 60; ++n) {
      RouteGraph g = song(-n);
      for (int t = 0; t < 20; ++t) {
        Node& track = g.nodes.emplace_back();
        track.id = "t" + std::to_string(t);
        track.name = "Track " + std::to_string(t) + " of snapshot " + std::to_string(n);
      }
      store.add_snapshot(g, {}, {});
    }
    store.vacuum();
  }
  std::string bytes = testing::read_bytes(path);
  // Page 6 overwritten: a table page, not the header.
  for (std::size_t i = 5 * 4096; i < 6 * 4096 && i < bytes.size(); ++i) bytes[i] = 0x5a;
  testing::write_bytes(path, bytes);
  Store store(path, Store::Access::read_only);
  const auto problems = store.integrity_check();
  EXPECT_FALSE(problems.empty());
}

}  // namespace routewise
