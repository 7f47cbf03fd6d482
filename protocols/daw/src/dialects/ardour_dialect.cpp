// Ardour's OSC surface (libs/surfaces/osc) as a dialect: set-up, refresh and ping, strip and
// master writes, send levels, plugin bypass and transport (the wire codec is ardour_osc.cpp).
#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/osc_dialect.hpp"

namespace routewise {
namespace {

// Only /set_surface: against Ardour 7.3 a /strip/list right after it answers nothing at the reply
// port and blanks every strip (name " ", gain -193), so the mirror reads the feedback instead.
std::vector<OscMessage> ardour_connect(std::uint16_t reply_port) {
  ardour::SurfaceSettings settings;
  settings.reply_port = reply_port;
  return {ardour::set_surface(settings)};
}

std::vector<OscMessage> ardour_refresh() {
  return {OscMessage{"/refresh", {}}};
}

// The playhead query: Ardour answers it at once, stopped or not, on its own path, and it touches
// no strip. (A stopped Ardour sends no meters. Ardour 7.3 answered the strip query "/strip/gain 1"
// with a bare "/strip/gain <value>" that names no strip; a bare /set_surface, documented as a
// query, reset the surface.)
std::vector<OscMessage> ardour_ping() {
  return {OscMessage{"/transport_frame", {}}};
}

std::optional<OscMessage> ardour_control(int ssid, MixerControl c, double value) {
  if (c == MixerControl::name || c == MixerControl::meter_db) return std::nullopt;
  return ardour::strip_control(ssid, c, value);
}

std::optional<OscMessage> ardour_query_sends(int ssid) {
  return ardour::strip_sends_query(ssid);
}
std::optional<OscMessage> ardour_send_level(int ssid, int index, double db) {
  return ardour::send_gain(ssid, index, db);
}

std::optional<OscMessage> ardour_master_control(MixerControl c, double value) {
  if (c != MixerControl::gain_db && c != MixerControl::mute && c != MixerControl::trim_db)
    return std::nullopt;
  return ardour::master_control(c, value);
}

std::optional<OscMessage> ardour_plugin_bypass(int ssid, int slot, bool bypassed) {
  return OscMessage{bypassed ? "/strip/plugin/deactivate" : "/strip/plugin/activate",
                    {std::int32_t{ssid}, std::int32_t{slot}}};
}

std::optional<OscMessage> ardour_transport(TransportControl c) {
  return ardour::transport(c);
}

const OscDialect ardour_osc{"ardour",
                            ardour::default_port,
                            0,
                            ardour_connect,
                            ardour_refresh,
                            ardour_ping,
                            ardour::decode,
                            ardour_control,
                            ardour_query_sends,
                            ardour_send_level,
                            true,
                            ardour_master_control,
                            ardour_plugin_bypass,
                            ardour_transport,
                            FaderLaw::ardour,
                            "Ardour"};

}  // namespace

const OscDialect& ardour_dialect() {
  return ardour_osc;
}

}  // namespace routewise
