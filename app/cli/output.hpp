#pragma once
// A command's result, written where the user asked: the named file (whole or not at all) or
// standard output, with a failed write reported.

#include <iosfwd>
#include <string>
#include <string_view>

namespace routewise::cli {

// Writes `data` to `file` (atomically: a temporary file renamed into place) or, when `file` is
// empty, to standard output. On failure says "FILE: cannot be written: REASON" on `err` and
// returns false; a named file is then left as it was.
bool write_output(const std::string& file, std::string_view data, std::ostream& err);

// Flushes standard output at the end of a command; a write that failed on the way (a full disk,
// a closed pipe) is reported on `err` and returns false.
bool finish_standard_output(std::ostream& err);

}  // namespace routewise::cli
