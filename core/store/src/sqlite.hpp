#pragma once
// A small RAII wrapper over the SQLite C API, private to the store: one connection, cached prepared
// statements, bound parameters only. Errors throw StoreError with the database path and SQLite's
// message.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "routewise/store/store_error.hpp"

namespace routewise {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view where)
      : db_(db), stmt_(stmt), where_(where) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Binds by 1-based position. std::nullopt binds NULL.
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  template <typename T>
  Statement& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    return bind_null(i);
  }
  Statement& bind_null(int i);

  bool step();  // true while a row is available; throws on error
  void run();   // step to completion (INSERT/UPDATE/DDL) and reset
  void reset();

  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  std::string column_text(int i) const;
  std::optional<double> column_optional_double(int i) const;
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

 private:
  [[noreturn]] void fail(int rc) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string where_;
};

class Database {
 public:
  // read_only_immutable: a file on a read-only folder or mount, where SQLite cannot make the
  // shared-memory file a WAL database is read through; read as it is on disk.
  enum class Mode { read_write_create, read_only, read_only_immutable };
  Database(const std::filesystem::path& path, Mode mode);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // A cached statement, reset and with bindings cleared, ready to bind and step.
  Statement& prepare(std::string_view sql);
  // For statements without parameters (pragmas, DDL).
  void exec(std::string_view sql);
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }
  [[noreturn]] void fail(int rc, std::string_view doing) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::filesystem::path path_;
  std::unique_ptr<sqlite3, Closer> db_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace routewise
