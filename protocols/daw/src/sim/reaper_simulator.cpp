#include "routewise/daw/reaper_simulator.hpp"

#include <charconv>
#include <cmath>

#include "routewise/model/fader_law.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

bool is_track(NodeKind k) {
  return k == NodeKind::track || k == NodeKind::bus || k == NodeKind::aux_return ||
         k == NodeKind::stem_bus || k == NodeKind::cue_mix;
}

constexpr double reaper_floor_db = -150.0;  // what REAPER shows for a fader at -inf

}  // namespace

ReaperSimulator::ReaperSimulator(RouteGraph session, const ReaperSimulatorOptions& options)
    : session_(std::move(session)),
      options_(options),
      endpoint_(options.endpoint),
      device_(make_peer(options.device_host, options.device_port)) {
  for (std::size_t i = 0; i < session_.nodes.size(); ++i)
    if (is_track(session_.nodes[i].kind)) tracks_.push_back(i);
  next_vu_ = std::chrono::steady_clock::now();
}

const Node& ReaperSimulator::track(int number) const {
  return session_.nodes.at(tracks_.at(static_cast<std::size_t>(number - 1)));
}
Node& ReaperSimulator::node(int number) {
  return session_.nodes.at(tracks_.at(static_cast<std::size_t>(number - 1)));
}

void ReaperSimulator::poll(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  do {
    const auto now = std::chrono::steady_clock::now();
    const auto wait = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(std::min(next_vu_, until) - now));
    endpoint_.poll(wait, [this](const OscPeer&, const OscMessage& m) { handle(m); });
    if (std::chrono::steady_clock::now() >= next_vu_) {
      next_vu_ = std::chrono::steady_clock::now() + options_.vu_interval;
      // VU feedback for the bank: REAPER sends it continuously while surfaces are attached.
      for (int i = 1; i <= bank_size_; ++i) {
        const int number = (bank_ - 1) * bank_size_ + i;
        if (number > static_cast<int>(tracks_.size())) break;
        const double level =
            db_to_amplitude(node(number).source.average_dbfs.value_or(-60) + node(number).fader_db);
        endpoint_.send(device_, {"/track/" + std::to_string(i) + "/vu",
                                 {static_cast<float>(std::min(level, 1.0))}});
      }
    }
  } while (std::chrono::steady_clock::now() < until);
}

void ReaperSimulator::send_track(int number) {
  const int slot = number - (bank_ - 1) * bank_size_;
  if (slot < 1 || slot > bank_size_) return;  // REAPER only reports the device's current bank
  const Node& n = node(number);
  const std::string base = "/track/" + std::to_string(slot) + "/";
  endpoint_.send(device_, {base + "name", {n.name}});
  endpoint_.send(device_,
                 {base + "volume/db",
                  {static_cast<float>(std::isinf(n.fader_db) ? reaper_floor_db : n.fader_db)}});
  // REAPER's normalised taper is not published; Ardour's stands in so the address carries
  // something.
  endpoint_.send(device_,
                 {base + "volume", {static_cast<float>(ardour_db_to_position(n.fader_db))}});
  endpoint_.send(device_, {base + "mute", {n.mute ? 1.0f : 0.0f}});
  endpoint_.send(device_, {base + "solo", {n.solo ? 1.0f : 0.0f}});
  endpoint_.send(device_, {base + "pan", {static_cast<float>((n.pan + 1.0) / 2.0)}});
}

void ReaperSimulator::handle(const OscMessage& m) {
  const std::string& p = m.path;
  const auto int_arg = [&](int fallback) { return m.whole(0).value_or(fallback); };
  if (p == "/device/track/count") {
    bank_size_ = std::clamp(int_arg(8), 1, 4096);
    return;
  }
  if (p == "/device/track/bank/select") {
    bank_ = std::max(1, int_arg(1));
    return;
  }
  if (p == "/action") {
    if (int_arg(0) == 41743)  // Control surface: refresh all surfaces
      for (int i = 1; i <= static_cast<int>(tracks_.size()); ++i) send_track(i);
    return;
  }
  if (!p.starts_with("/track/")) {
    ++unknown_;
    return;
  }
  const std::string_view rest = std::string_view(p).substr(7);
  int slot = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), slot);
  const int number = (bank_ - 1) * bank_size_ + slot;
  const auto value = m.number(0);
  if (ec != std::errc() || end == rest.data() + rest.size() || *end != '/' || slot < 1 ||
      number > static_cast<int>(tracks_.size()) || !value || !std::isfinite(*value)) {
    ++unknown_;
    return;
  }
  const std::string_view what(end + 1,
                              static_cast<std::size_t>(rest.data() + rest.size() - end - 1));
  Node& n = node(number);
  if (what == "volume/db")
    n.fader_db = *value <= reaper_floor_db ? minus_inf_db : clamp_fader_db(*value);
  else if (what == "mute")
    n.mute = *value > 0.5;
  else if (what == "solo")
    n.solo = *value > 0.5;
  else if (what == "pan")
    n.pan = std::clamp(*value, 0.0, 1.0) * 2.0 - 1.0;
  else {
    ++unknown_;
    return;
  }
  send_track(number);
}

void ReaperSimulator::set_gain_db(int number, double gain_db) {
  node(number).fader_db = gain_db;
  send_track(number);
}

}  // namespace routewise
