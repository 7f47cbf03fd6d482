#include "sqlite.hpp"

#include <cctype>

namespace routewise {

Statement& Statement::bind(int i, std::int64_t v) {
  if (const int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) fail(rc);
  return *this;
}

Statement& Statement::bind(int i, double v) {
  if (const int rc = sqlite3_bind_double(stmt_, i, v); rc != SQLITE_OK) fail(rc);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  if (const int rc =
          sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Statement& Statement::bind_null(int i) {
  if (const int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) fail(rc);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  fail(rc);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::column_text(int i) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
              : std::string();
}

std::optional<double> Statement::column_optional_double(int i) const {
  if (column_is_null(i)) return std::nullopt;
  return column_double(i);
}

namespace {
// What a person can do about the common failures, added to SQLite's own words.
std::string hint(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return "; the disk is full";
    case SQLITE_IOERR:
      return "; the disk may be full, failing or at a file-size limit";
    case SQLITE_READONLY:
      return "; the file or its folder is read-only";
    case SQLITE_BUSY:
      return "; another process held the database too long";
    case SQLITE_CORRUPT:
      return "; the file is damaged (routewise db check, then restore an export)";
    default:
      return "";
  }
}
// A file: URI, so that a path with '?' or '#' stays a path and immutable can be asked for.
std::string uri(const std::filesystem::path& path, bool immutable) {
  std::string out = "file:";
  for (const unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return immutable ? out + "?immutable=1" : out;
}
}  // namespace

void Statement::fail(int rc) const {
  throw StoreError(where_ + ": " + sqlite3_errmsg(db_) + hint(rc), rc & 0xff);
}

Database::Database(const std::filesystem::path& path, Mode mode) : path_(path) {
  sqlite3* raw = nullptr;
  const int flags = (mode == Mode::read_write_create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                     : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  const int rc =
      sqlite3_open_v2(uri(path, mode == Mode::read_only_immutable).c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail(rc, "cannot open");
  sqlite3_extended_result_codes(raw, 1);
}

void Database::fail(int rc, std::string_view doing) const {
  const char* message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  throw StoreError(path_.string() + ": " + std::string(doing) + ": " + message + hint(rc),
                   rc & 0xff);
}

Statement& Database::prepare(std::string_view sql) {
  const auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, "cannot prepare a statement");
  auto& slot = cache_[std::string(sql)];
  slot = std::make_unique<Statement>(db_.get(), stmt, path_.string());
  return *slot;
}

void Database::exec(std::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(path_.string() + ": " + message + hint(rc), rc & 0xff);
  }
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace routewise
