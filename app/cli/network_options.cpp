#include "network_options.hpp"

#include <iostream>

namespace routewise::cli {

void add_network_options(CLI::App* cmd, NetworkOptions& o, bool port_option) {
  cmd->add_option("--listen", o.listen,
                  "address to listen on (non-loopback addresses are announced)")
      ->capture_default_str();
  if (port_option)
    cmd->add_option("--listen-port", o.listen_port, "UDP port to listen on (0: any free port)");
  cmd->add_option("--allow", o.allow, "peers allowed to send, as IPv4 CIDR (default: 127.0.0.0/8)");
}

std::optional<OscEndpointOptions> endpoint_options(const NetworkOptions& o, std::uint16_t port) {
  OscEndpointOptions e;
  e.listen_host = o.listen;
  e.port = port;
  try {
    for (const std::string& a : o.allow) e.allow.push_back(parse_cidr(a));
  } catch (const OscError& err) {
    std::cerr << err.what() << "\n";
    return std::nullopt;
  }
  if (o.listen.rfind("127.", 0) != 0 && o.listen != "localhost")
    std::cerr << "warning: listening on " << o.listen
              << ", not only on this machine; peers outside the "
              << "allow-list are still refused\n";
  return e;
}

}  // namespace routewise::cli
