#include "routewise/surfaces/surface_host.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>

namespace routewise {

SurfaceHost::SurfaceHost(LiveMixer& mixer, std::chrono::milliseconds hotplug_interval)
    : mixer_(mixer), hotplug_interval_(hotplug_interval) {}

mcu::Surface& SurfaceHost::add(McuHostOptions options) {
  if (options.unit_patterns.empty()) throw MidiError("no surface port pattern given");
  if (options.surface.units.size() != options.unit_patterns.size()) {
    options.surface.units.assign(options.unit_patterns.size(), mcu::Model::mcu_xt);
    options.surface.units.front() = mcu::Model::mcu;
  }
  Hosted h;
  // The same pattern twice means the next unit of that name, in name order.
  for (std::size_t i = 0; i < options.unit_patterns.size(); ++i) {
    const auto& p = options.unit_patterns[i];
    const int skip = static_cast<int>(
        std::count(options.unit_patterns.begin(), options.unit_patterns.begin() + i, p));
    h.ports.push_back(std::make_unique<MidiDuplex>(
        options.api, fmt::format("{}-{}", options.client_name, i + 1), p, skip));
  }
  const std::size_t index = surfaces_.size();
  auto surface = std::make_unique<mcu::Surface>(
      mixer_,
      [this, index](int unit, const MidiBytes& m) {
        surfaces_[index].ports[static_cast<std::size_t>(unit)]->send(m);
        if (sent_probe_) sent_probe_(unit, m);
      },
      options.surface);
  mcu::Surface& added = *surface;
  if (events_) added.on_event(events_);
  h.surface = std::move(surface);
  surfaces_.push_back(std::move(h));
  return added;
}

GenericSurface& SurfaceHost::add(GenericHostOptions options) {
  if (options.port_pattern.empty()) throw MidiError("no controller port pattern given");
  Hosted h;
  // A controller without a MIDI input still works; it just gets no feedback.
  h.ports.push_back(std::make_unique<MidiDuplex>(options.api, options.client_name,
                                                 options.port_pattern, 0, false));
  const std::size_t index = surfaces_.size();
  auto surface = std::make_unique<GenericSurface>(
      mixer_, std::move(options.mappings),
      [this, index](const MidiBytes& m) {
        surfaces_[index].ports[0]->send(m);
        if (sent_probe_) sent_probe_(0, m);
      },
      options.law);
  GenericSurface& added = *surface;
  h.surface = std::move(surface);
  surfaces_.push_back(std::move(h));
  return added;
}

const MidiDuplex& SurfaceHost::port(std::size_t surface, int unit) const {
  return *surfaces_.at(surface).ports.at(static_cast<std::size_t>(unit));
}

mcu::Surface* SurfaceHost::mcu() {
  for (Hosted& h : surfaces_)
    if (auto* s = dynamic_cast<mcu::Surface*>(h.surface.get())) return s;
  return nullptr;
}

GenericSurface* SurfaceHost::generic() {
  for (Hosted& h : surfaces_)
    if (auto* s = dynamic_cast<GenericSurface*>(h.surface.get())) return s;
  return nullptr;
}

void SurfaceHost::set_overloads(const std::set<std::string>& node_ids) {
  for (Hosted& h : surfaces_) h.surface->set_overloads(node_ids);
}

void SurfaceHost::set_markers(const std::map<std::string, std::string>& marker_by_node) {
  for (Hosted& h : surfaces_) h.surface->set_markers(marker_by_node);
}

void SurfaceHost::on_event(std::function<void(const std::string&)> listener) {
  events_ = std::move(listener);
  for (Hosted& h : surfaces_) h.surface->on_event(events_);
}

void SurfaceHost::check_ports() {
  for (Hosted& h : surfaces_)
    for (std::size_t i = 0; i < h.ports.size(); ++i) {
      MidiDuplex& port = *h.ports[i];
      switch (port.check()) {
        case MidiDuplex::Change::opened:
          say(fmt::format("unit {}: found '{}'{}", i + 1, port.source_name(),
                          port.sink_name().empty() ? " (no MIDI input: no feedback)"
                                                   : " / '" + port.sink_name() + "'"));
          h.surface->connected(static_cast<int>(i));
          break;
        case MidiDuplex::Change::closed:
          say(fmt::format("unit {}: {}; waiting for it to come back", i + 1, port.last_error()));
          h.surface->disconnected(static_cast<int>(i));
          break;
        case MidiDuplex::Change::none:
          break;
      }
    }
}

void SurfaceHost::poll(std::chrono::milliseconds timeout, int other_fd,
                       const std::function<void()>& serve_other) {
  const auto until = Clock::now() + timeout;
  std::vector<pollfd> fds;
  fds.push_back({other_fd, POLLIN, 0});  // a negative descriptor is ignored by poll()
  for (const Hosted& h : surfaces_)
    for (const auto& p : h.ports) fds.push_back({p->wake_fd(), POLLIN, 0});
  do {
    auto now = Clock::now();
    if (now >= next_hotplug_) {
      check_ports();
      next_hotplug_ = now + hotplug_interval_;
    }
    auto wake = std::min(until, next_hotplug_);
    for (const Hosted& h : surfaces_) wake = std::min(wake, h.next_tick);
    const auto wait = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count());
    for (pollfd& f : fds) f.revents = 0;
    ::poll(fds.data(), fds.size(), static_cast<int>(wait));
    // MIDI first: a hand on a fader is what must not wait.
    std::size_t k = 1;
    for (Hosted& h : surfaces_)
      for (std::size_t i = 0; i < h.ports.size(); ++i, ++k)
        if (fds[k].revents & POLLIN)
          h.ports[i]->drain([&](const MidiBytes& m, Clock::time_point handed_over) {
            h.surface->on_midi(static_cast<int>(i), m, Clock::now());
            if (handled_probe_) handled_probe_(handed_over);
          });
    if (serve_other) serve_other();
    now = Clock::now();
    for (Hosted& h : surfaces_)
      if (now >= h.next_tick) {
        h.surface->tick(now);
        h.next_tick = now + h.surface->tick_interval();
      }
  } while (Clock::now() < until);
}

}  // namespace routewise
