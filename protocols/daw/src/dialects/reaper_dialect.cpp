// REAPER with its Default.ReaperOSC pattern file as a dialect: one bank holding every track, dB
// volume addresses and transport triggers; what would need its unpublished fader taper is not read.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "routewise/daw/osc_dialect.hpp"

namespace routewise {
namespace {

// One bank big enough for any session, so that track N is always "/track/N/...".
constexpr std::int32_t reaper_bank_size = 1024;
// REAPER action 41743, "Control surface: Refresh all surfaces": every track's state is sent again.
constexpr std::int32_t reaper_refresh_action = 41743;

std::vector<OscMessage> reaper_connect(std::uint16_t) {
  return {OscMessage{"/device/track/count", {reaper_bank_size}},
          OscMessage{"/device/track/bank/select", {std::int32_t{1}}},
          OscMessage{"/action", {reaper_refresh_action}}};
}

std::vector<OscMessage> reaper_refresh() {
  return {OscMessage{"/action", {reaper_refresh_action}}};
}

std::optional<MixerEvent> reaper_decode(const OscMessage& m) {
  std::string_view path = m.path;
  if (path == "/play" || path == "/stop" || path == "/record") {
    const auto v = m.number(0);
    if (!v) return std::nullopt;
    return TransportEvent{path == "/play"   ? TransportControl::play
                          : path == "/stop" ? TransportControl::stop
                                            : TransportControl::record,
                          *v > 0.5};
  }
  if (!path.starts_with("/track/")) return std::nullopt;
  path.remove_prefix(7);
  int track = 0;
  const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), track);
  if (ec != std::errc() || track < 1 || end == path.data() + path.size() || *end != '/')
    return std::nullopt;
  const std::string_view what(end + 1,
                              static_cast<std::size_t>(path.data() + path.size() - end - 1));
  if (what == "name") {
    const auto name = m.text(0);
    if (!name) return std::nullopt;
    return StripEvent{track, MixerControl::name, 0, *name};
  }
  if (what == "vu" || what == "vu/L" || what == "vu/R")
    return Heartbeat{m.number(0).value_or(0)};  // alive; scale undocumented
  const auto v = m.number(0);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  if (what == "volume/db")
    return StripEvent{track, MixerControl::gain_db, *v <= -150 ? -INFINITY : *v, {}};
  if (what == "mute") return StripEvent{track, MixerControl::mute, *v > 0.5 ? 1.0 : 0.0, {}};
  if (what == "solo") return StripEvent{track, MixerControl::solo, *v > 0.5 ? 1.0 : 0.0, {}};
  if (what == "pan")
    return StripEvent{
        track, MixerControl::pan, std::clamp(*v, 0.0, 1.0) * 2.0 - 1.0, {}};  // 0 = left
  return std::nullopt;  // normalised volume (taper unpublished), strings, sends: not mirrored
}

// REAPER's send volume is normalised with the same unpublished taper as track volume: not read.
std::optional<OscMessage> reaper_query_sends(int) {
  return std::nullopt;
}
std::optional<OscMessage> reaper_send_level(int, int, double) {
  return std::nullopt;
}

std::optional<OscMessage> reaper_control(int track, MixerControl c, double value) {
  const std::string base = "/track/" + std::to_string(track) + "/";
  switch (c) {
    case MixerControl::gain_db:
      return OscMessage{base + "volume/db",
                        {static_cast<float>(std::isinf(value) ? -150.0 : value)}};
    case MixerControl::mute:
      return OscMessage{base + "mute", {static_cast<float>(value > 0.5 ? 1 : 0)}};
    case MixerControl::solo:
      return OscMessage{base + "solo", {static_cast<float>(value > 0.5 ? 1 : 0)}};
    case MixerControl::pan:
      return OscMessage{base + "pan",
                        {static_cast<float>((std::clamp(value, -1.0, 1.0) + 1.0) / 2.0)}};
    default:
      return std::nullopt;
  }
}

// REAPER's default pattern file: t/play, t/stop, t/record triggers; b/rewind, b/forward held.
std::optional<OscMessage> reaper_transport(TransportControl c) {
  switch (c) {
    case TransportControl::play:
      return OscMessage{"/play", {1.0f}};
    case TransportControl::stop:
      return OscMessage{"/stop", {1.0f}};
    case TransportControl::record:
      return OscMessage{"/record", {1.0f}};
    case TransportControl::rewind:
      return OscMessage{"/rewind", {1.0f}};
    case TransportControl::fast_forward:
      return OscMessage{"/forward", {1.0f}};
  }
  return std::nullopt;
}

// REAPER's default pattern file has no master dB address (only the unpublished normalised taper).
std::optional<OscMessage> reaper_master_control(MixerControl, double) {
  return std::nullopt;
}

// REAPER answers nothing cheaper than a refresh of every surface.
const OscDialect reaper_osc{"reaper",
                            8000,
                            9000,
                            reaper_connect,
                            reaper_refresh,
                            reaper_refresh,
                            reaper_decode,
                            reaper_control,
                            reaper_query_sends,
                            reaper_send_level,
                            false,
                            reaper_master_control,
                            nullptr,
                            reaper_transport,
                            FaderLaw::reaper,
                            "REAPER"};

}  // namespace

const OscDialect& reaper_dialect() {
  return reaper_osc;
}

}  // namespace routewise
