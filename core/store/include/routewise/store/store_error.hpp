#pragma once
// What the store throws: a message that names the database file, with SQLite's result code when
// the failure came from SQLite.

#include <stdexcept>
#include <string>

#include "routewise/model/error.hpp"

namespace routewise {

class StoreError : public Error {
 public:
  StoreError(const std::string& message, int sqlite_code = 0)
      : Error(message), code_(sqlite_code) {}
  int sqlite_code() const { return code_; }  // primary result code, 0 when not from SQLite

 private:
  int code_;
};

}  // namespace routewise
