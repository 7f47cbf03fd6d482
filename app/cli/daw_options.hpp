#pragma once
// The options every command that talks to a live DAW shares: dialect, host, port and where to
// listen for its feedback.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "network_options.hpp"
#include "routewise/daw/daw_link.hpp"

namespace routewise::cli {

struct DawOptions {
  std::string dialect = "ardour", host = "127.0.0.1";
  std::uint16_t port = 0;
  NetworkOptions net;
};

// --dialect, --host, --port and the listening options (--listen, --listen-port, --allow).
void add_daw_options(CLI::App* cmd, DawOptions& o);
// --api jack|alsa: the MIDI system a surface or controller is found on.
void add_midi_api_option(CLI::App* cmd, std::string& api);
// The DAW link's options, with the dialect's default ports where none were given; nothing (and the
// reason on stderr) when the listening options do not parse.
std::optional<DawLinkOptions> daw_link_options(const CLI::App* cmd, DawOptions& o);

}  // namespace routewise::cli
