#pragma once
// The one exception hierarchy (docs/architecture.md, "Errors"): what a library throws when the
// world outside the program fails it — a file, a socket, a MIDI or audio device, the database — is
// an Error whose message names the thing that failed and why. Each library has its own kind
// (StoreError, OscError, MidiError, AudioFileError, AudioLoopError), so a caller can catch one
// library's failures, or all of them as Error.

#include <stdexcept>

namespace routewise {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace routewise
