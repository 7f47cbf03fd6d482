#include "daw_options.hpp"

namespace routewise::cli {

void add_daw_options(CLI::App* cmd, DawOptions& o) {
  cmd->add_option("--dialect", o.dialect, "the DAW's OSC dialect")
      ->check(CLI::IsMember({"ardour", "reaper"}))
      ->capture_default_str();
  cmd->add_option("--host", o.host, "the DAW's host")->capture_default_str();
  cmd->add_option("--port,-p", o.port,
                  "the DAW's OSC port (default: 3819 for Ardour, 8000 for REAPER)");
  add_network_options(cmd, o.net, true);
}

void add_midi_api_option(CLI::App* cmd, std::string& api) {
  cmd->add_option("--api", api, "MIDI system")
      ->check(CLI::IsMember({"jack", "alsa"}))
      ->capture_default_str();
}

std::optional<DawLinkOptions> daw_link_options(const CLI::App* cmd, DawOptions& o) {
  const OscDialect* dialect = dialect_named(o.dialect);
  // REAPER sends to the device port set in its preferences (8000 in, 9000 out by convention).
  if (cmd->count("--port") == 0) o.port = dialect->default_daw_port;
  if (cmd->count("--listen-port") == 0) o.net.listen_port = dialect->default_listen_port;
  const auto endpoint = endpoint_options(o.net, o.net.listen_port);
  if (!endpoint) return std::nullopt;
  DawLinkOptions m;
  m.dialect = dialect;
  m.daw_host = o.host;
  m.daw_port = o.port;
  m.listen = *endpoint;
  return m;
}

}  // namespace routewise::cli
