#include "routewise/protocols/surface_service.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>

namespace routewise {

using Clock = std::chrono::steady_clock;

SurfaceService::SurfaceService(Mirror& mirror, SurfaceServiceOptions options)
    : mirror_(mirror),
      hotplug_interval_(options.hotplug_interval),
      tick_interval_(options.tick_interval) {
  if (options.unit_patterns.empty()) throw MidiError("no surface port pattern given");
  if (options.surface.units.size() != options.unit_patterns.size()) {
    options.surface.units.assign(options.unit_patterns.size(), mcu::Model::mcu_xt);
    options.surface.units.front() = mcu::Model::mcu;
  }
  // The same pattern twice means the next unit of that name, in name order.
  for (std::size_t i = 0; i < options.unit_patterns.size(); ++i) {
    const auto& p = options.unit_patterns[i];
    const int skip = static_cast<int>(
        std::count(options.unit_patterns.begin(), options.unit_patterns.begin() + i, p));
    ports_.push_back(std::make_unique<MidiDuplex>(
        options.api, fmt::format("{}-{}", options.client_name, i + 1), p, skip));
  }
  mcu_ = std::make_unique<mcu::Surface>(
      mirror_,
      [this](int unit, const MidiBytes& m) {
        ports_[static_cast<std::size_t>(unit)]->send(m);
        if (sent_probe_) sent_probe_(unit, m);
      },
      options.surface);
  listen_to_mirror();
}

SurfaceService::SurfaceService(Mirror& mirror, GenericServiceOptions options)
    : mirror_(mirror), hotplug_interval_(options.hotplug_interval) {
  if (options.port_pattern.empty()) throw MidiError("no controller port pattern given");
  // A controller without a MIDI input still works; it just gets no feedback.
  ports_.push_back(std::make_unique<MidiDuplex>(options.api, options.client_name,
                                                options.port_pattern, 0, false));
  generic_ = std::make_unique<GenericSurface>(
      mirror_, std::move(options.mappings), [this](const MidiBytes& m) { ports_[0]->send(m); },
      options.law);
  listen_to_mirror();
}

void SurfaceService::listen_to_mirror() {
  mirror_.on_change([this](const MirrorChange& c) {
    if (mcu_) mcu_->on_change(c);
    if (generic_) generic_->on_change(c);
    if (extra_listener_) extra_listener_(c);
  });
}

void SurfaceService::on_event(std::function<void(const std::string&)> listener) {
  events_ = listener;
  if (mcu_) mcu_->on_event(std::move(listener));
}

void SurfaceService::check_ports() {
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    MidiDuplex& port = *ports_[i];
    switch (port.check()) {
      case MidiDuplex::Change::opened:
        if (events_)
          events_(fmt::format("unit {}: found '{}'{}", i + 1, port.source_name(),
                              port.sink_name().empty() ? " (no MIDI input: no feedback)"
                                                       : " / '" + port.sink_name() + "'"));
        if (mcu_) mcu_->connected(static_cast<int>(i));
        break;
      case MidiDuplex::Change::closed:
        if (events_)
          events_(
              fmt::format("unit {}: {}; waiting for it to come back", i + 1, port.last_error()));
        if (mcu_) mcu_->disconnected(static_cast<int>(i));
        break;
      case MidiDuplex::Change::none:
        break;
    }
  }
}

void SurfaceService::poll(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::vector<pollfd> fds;
  fds.push_back({mirror_.socket_fd(), POLLIN, 0});
  for (const auto& p : ports_) fds.push_back({p->wake_fd(), POLLIN, 0});
  do {
    auto now = Clock::now();
    if (now >= next_hotplug_) {
      check_ports();
      next_hotplug_ = now + hotplug_interval_;
    }
    const auto wake = std::min({until, next_tick_, next_hotplug_});
    const auto wait = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count());
    for (pollfd& f : fds) f.revents = 0;
    ::poll(fds.data(), fds.size(), static_cast<int>(wait));
    // MIDI first: a hand on a fader is what must not wait.
    for (std::size_t i = 0; i < ports_.size(); ++i)
      if (fds[i + 1].revents & POLLIN)
        ports_[i]->drain([&](const MidiBytes& m, Clock::time_point handed_over) {
          if (mcu_) mcu_->on_midi(static_cast<int>(i), m);
          if (generic_) generic_->on_midi(m);
          if (handled_probe_) handled_probe_(handed_over);
        });
    mirror_.poll(std::chrono::milliseconds(0));
    now = Clock::now();
    if (now >= next_tick_) {
      if (mcu_) mcu_->tick(now);
      next_tick_ = now + tick_interval_;
    }
  } while (Clock::now() < until);
}

}  // namespace routewise
