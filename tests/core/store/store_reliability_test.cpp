// The store under crashes, contention, full disks, read-only media and damaged files: real
// processes, a real SQLite file, real signals.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <set>

#include "../../support/graph_builder.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/store/store.hpp"
#include "sqlite.hpp"  // the store's own connection type, to build databases by hand

namespace routewise {
using testing::GraphBuilder;
using testing::TempDir;

namespace {

// A 40-node session whose kick fader encodes `n`, so every snapshot differs and can be checked.
RouteGraph session(int n, const std::string& name = "Crash Test") {
  GraphBuilder b;
  b.graph().session.name = name;
  b.master();
  for (int i = 0; i < 39; ++i) {
    Node& t = b.track("t" + std::to_string(i));
    t.fader_db = i == 0 ? -static_cast<double>(n) / 100.0 : -6.0;
    b.output(t.id, "master");
  }
  return b.build();
}

struct Record {
  std::int64_t id;
  int n;
};

// Child: writes snapshots and reports each committed one on `fd`; never returns.
[[noreturn]] void writer(const std::filesystem::path& db, int fd, int first, int count,
                         const std::string& name) {
  try {
    Store store(db);
    for (int n = first; n < first + count; ++n) {
      const auto added = store.add_snapshot(session(n, name), {}, {});
      const Record r{added.id, n};
      if (::write(fd, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) ::_exit(4);
    }
    ::_exit(0);
  } catch (const StoreError& e) {
    std::fprintf(stderr, "writer: %s\n", e.what());
    ::_exit(3);
  } catch (...) {
    ::_exit(5);
  }
}

std::vector<Record> drain(int fd) {
  std::vector<Record> out;
  Record r;
  while (::read(fd, &r, sizeof r) == static_cast<ssize_t>(sizeof r)) out.push_back(r);
  return out;
}

void expect_intact(const std::filesystem::path& db, const std::vector<Record>& committed) {
  Store store(db);
  EXPECT_TRUE(store.integrity_check().empty());
  for (const Record& r : committed) {
    const auto graph = store.snapshot_graph(r.id);
    ASSERT_TRUE(graph) << "snapshot " << r.id << " reported committed but missing";
    EXPECT_DOUBLE_EQ(graph->nodes[1].fader_db, -r.n / 100.0) << "snapshot " << r.id;
  }
}

}  // namespace

TEST(StoreReliability, KillNineDuringThousandWritesLosesNothingCommitted) {
  TempDir dir;
  const auto db = dir / "crash.db";
  std::mt19937 rng(7);
  std::vector<Record> committed;
  int next = 0;
  for (int round = 0; round < 20; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      writer(db, fds[1], next, 1000, "Crash Test");
    }
    ::close(fds[1]);
    ::usleep(std::uniform_int_distribution<int>(1000, 150000)(rng));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    const auto reported = drain(fds[0]);
    ::close(fds[0]);
    committed.insert(committed.end(), reported.begin(), reported.end());
    next += 1000;
    expect_intact(db, committed);
  }
  EXPECT_GT(committed.size(), 20u);  // the writers did get work done between kills
}

TEST(StoreReliability, TwoProcessesWritingAtOnceBothSucceed) {
  TempDir dir;
  const auto db = dir / "shared.db";
  { Store create(db); }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::vector<pid_t> children;
  for (int w = 0; w < 2; ++w) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      writer(db, fds[1], w * 10000, 200, w == 0 ? "CLI session" : "Mirror session");
    }
    children.push_back(child);
  }
  ::close(fds[1]);
  for (pid_t c : children) {
    int status = 0;
    ::waitpid(c, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a writer failed under contention";
  }
  const auto committed = drain(fds[0]);
  ::close(fds[0]);
  EXPECT_EQ(committed.size(), 400u);
  expect_intact(db, committed);
  EXPECT_EQ(Store(db).history().size(), 400u);
}

TEST(StoreReliability, FullDiskFailsCleanlyAndKeepsEverythingCommitted) {
  TempDir dir;
  const auto db = dir / "full.db";
  { Store create(db); }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    // A file-size limit is a full disk as far as SQLite can tell: writes past it fail.
    ::signal(SIGXFSZ, SIG_IGN);
    const rlim_t limit = 256 * 1024;
    const rlimit rl{limit, limit};
    ::setrlimit(RLIMIT_FSIZE, &rl);
    writer(db, fds[1], 0, 100000, "Full Disk");
  }
  ::close(fds[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  const auto committed = drain(fds[0]);
  ::close(fds[0]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3)
      << "the writer should stop with a StoreError, not crash or succeed";
  EXPECT_GT(committed.size(), 0u);
  expect_intact(db, committed);
}

namespace {

// Child: takes the database's write lock as another program would, says so on `fd`, holds it for
// `hold_ms`, then lets go.
[[noreturn]] void lock_holder(const std::filesystem::path& db, int fd, int hold_ms) {
  try {
    Database other(db, Database::Mode::read_write_create);
    other.exec("BEGIN EXCLUSIVE");
    const char ready = 'L';
    if (::write(fd, &ready, 1) != 1) ::_exit(4);
    ::usleep(static_cast<useconds_t>(hold_ms) * 1000);
    other.exec("COMMIT");
    ::_exit(0);
  } catch (...) {
    ::_exit(5);
  }
}

pid_t hold_lock(const std::filesystem::path& db, int hold_ms) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    lock_holder(db, fds[1], hold_ms);
  }
  ::close(fds[1]);
  char ready = 0;
  if (::read(fds[0], &ready, 1) != 1) ready = 0;  // blocks until the lock is held
  ::close(fds[0]);
  return ready == 'L' ? child : -1;
}

}  // namespace

TEST(StoreReliability, ALockHeldByAnotherProcessIsWaitedOutOrRefusedCleanly) {
  TempDir dir;
  const auto db = dir / "locked.db";
  { Store(db).add_snapshot(session(1), {}, {}); }

  // Held for a moment (a backup, another Routewise): the write waits and goes through.
  pid_t child = hold_lock(db, 1500);
  ASSERT_GT(child, 0);
  {
    Store store(db);
    EXPECT_NO_THROW(store.add_snapshot(session(2), {}, {}));
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  // Held past the busy timeout: a clear error naming the file, and nothing lost or half-written.
  child = hold_lock(db, 12000);
  ASSERT_GT(child, 0);
  try {
    Store store(db);
    store.add_snapshot(session(3), {}, {});
    FAIL() << "a write went through a lock held by another process";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(db.string()), std::string::npos) << what;
    EXPECT_NE(what.find("locked"), std::string::npos) << what;
  }
  ::waitpid(child, &status, 0);
  Store store(db);
  EXPECT_TRUE(store.integrity_check().empty());
  EXPECT_EQ(store.history().size(), 2u);
  EXPECT_NO_THROW(store.add_snapshot(session(3), {}, {}));  // once it is free again
  EXPECT_EQ(store.history().size(), 3u);
}

TEST(StoreReliability, DamagedFilesGiveClearErrorsAndAreNotOverwritten) {
  TempDir dir;
  const auto db = dir / "damaged.db";
  {
    Store store(db);
    for (int n = 0; n < 200; ++n) store.add_snapshot(session(n), {}, {});
    store.vacuum();
  }
  const std::string good = testing::read_bytes(db);
  ASSERT_GT(good.size(), 100000u);

  // Truncated to half: opening may work (page 1 is intact) but reading is refused and reported.
  testing::write_bytes(db, good.substr(0, good.size() / 2));
  const std::string truncated = testing::read_bytes(db);
  try {
    Store store(db);
    EXPECT_FALSE(store.integrity_check().empty());
    (void)store.history();
  } catch (const StoreError& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
  }
  EXPECT_EQ(testing::read_bytes(db), truncated);

  // A header overwritten with garbage: not a database any more.
  std::string garbled = good;
  for (int i = 0; i < 16; ++i) garbled[static_cast<std::size_t>(i)] = static_cast<char>(0xA5);
  testing::write_bytes(db, garbled);
  try {
    Store store(db);
    FAIL() << "a garbled header was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not a Routewise database"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(testing::read_bytes(db), garbled);
}

TEST(StoreReliability, ReadOnlyMediaRefuseWritesAndKeepTheFile) {
  TempDir dir;
  const auto mount_point = dir / "ro";
  std::filesystem::create_directories(mount_point);
  if (::geteuid() != 0 || ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=8m") != 0)
    GTEST_SKIP() << "needs root to mount a read-only tmpfs (as CI runs)";
  const auto db = mount_point / "rw.db";
  {
    Store store(db);
    store.add_snapshot(session(1), {}, {});
  }
  ASSERT_EQ(::mount("tmpfs", mount_point.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=8m"), 0);
  const std::string before = testing::read_bytes(db);
  bool refused = false;
  try {
    Store store(db);
    store.add_snapshot(session(2), {}, {});
  } catch (const StoreError& e) {
    refused = true;
    EXPECT_NE(std::string(e.what()).find(db.string()), std::string::npos) << e.what();
  }
  EXPECT_TRUE(refused);
  // Reading needs no write: history, export and check work on the read-only mount (they failed
  // with "attempt to write a readonly database").
  try {
    Store store(db, Store::Access::read_only);
    EXPECT_EQ(store.history().size(), 1u);
    EXPECT_TRUE(store.export_json().unreadable.empty());
    EXPECT_TRUE(store.integrity_check().empty());
  } catch (const StoreError& e) {
    ADD_FAILURE() << e.what();
  }
  EXPECT_EQ(testing::read_bytes(db), before);
  ::umount(mount_point.c_str());
}

}  // namespace routewise
