#pragma once
// The OSC listening options every networked command shares: address, port, allow-list.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "routewise/daw/osc_endpoint.hpp"

namespace routewise::cli {

struct NetworkOptions {
  std::string listen = "127.0.0.1";
  std::uint16_t listen_port = 0;
  std::vector<std::string> allow;
};

void add_network_options(CLI::App* cmd, NetworkOptions& o, bool port_option);
// Nothing (and the reason on stderr) when the allow-list does not parse; warns of non-loopback.
std::optional<OscEndpointOptions> endpoint_options(const NetworkOptions& o, std::uint16_t port);

}  // namespace routewise::cli
