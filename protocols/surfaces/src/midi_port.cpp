#include "routewise/surfaces/midi_port.hpp"

#include <fmt/format.h>
#include <rtmidi/RtMidi.h>

#include <algorithm>
#include <regex>

#include "midi_inbox.hpp"

namespace routewise {
namespace {

RtMidi::Api rt_api(MidiApi api) {
  return api == MidiApi::jack ? RtMidi::UNIX_JACK : RtMidi::LINUX_ALSA;
}

constexpr unsigned int queue_limit = 4096;

// RtMidi reports through this instead of printing to stderr; the last text is kept.
void keep_error(RtMidiError::Type, const std::string& text, void* user) {
  *static_cast<std::string*>(user) = text;
}

void on_message(double, std::vector<unsigned char>* message, void* user) {
  if (message && !message->empty())
    static_cast<MidiInbox*>(user)->push(message->data(), message->size());
}

template <typename Port>
std::vector<std::string> port_names(Port& port) {
  std::vector<std::string> names;
  const unsigned int count = port.getPortCount();
  for (unsigned int i = 0; i < count; ++i) names.push_back(port.getPortName(i));
  return names;
}

template <typename Port>
std::optional<unsigned int> port_index(Port& port, const std::string& name) {
  const unsigned int count = port.getPortCount();
  for (unsigned int i = 0; i < count; ++i)
    if (port.getPortName(i) == name) return i;
  return std::nullopt;
}

}  // namespace

std::optional<MidiApi> midi_api_named(std::string_view name) {
  if (name == "jack") return MidiApi::jack;
  if (name == "alsa") return MidiApi::alsa;
  return std::nullopt;
}

std::string_view to_string(MidiApi api) {
  return api == MidiApi::jack ? "jack" : "alsa";
}

MidiPortList list_midi_ports(MidiApi api) {
  MidiPortList list;
  try {
    std::string error;
    RtMidiIn in(rt_api(api), "routewise-list");
    in.setErrorCallback(keep_error, &error);
    RtMidiOut out(rt_api(api), "routewise-list");
    out.setErrorCallback(keep_error, &error);
    list.sources = port_names(in);
    list.sinks = port_names(out);
    list.error = error;
  } catch (const RtMidiError& e) {
    list.error = e.getMessage();
  }
  return list;
}

struct MidiDuplex::Rt {
  RtMidiIn in;
  RtMidiOut out;
  std::string in_error, out_error;
  Rt(MidiApi api, const std::string& client)
      : in(rt_api(api), client, queue_limit), out(rt_api(api), client) {
    in.setErrorCallback(keep_error, &in_error);
    out.setErrorCallback(keep_error, &out_error);
    in.ignoreTypes(false, true, true);  // SysEx in; clock and active sensing out
  }
};

MidiDuplex::MidiDuplex(MidiApi api, std::string client_name, std::string pattern, int skip,
                       bool needs_sink)
    : api_(api),
      client_name_(std::move(client_name)),
      pattern_(std::move(pattern)),
      skip_(skip),
      needs_sink_(needs_sink),
      inbox_(std::make_unique<MidiInbox>()) {
  try {
    (void)std::regex(pattern_, std::regex::icase);
  } catch (const std::regex_error& e) {
    throw MidiError(
        fmt::format("port pattern '{}' is not a valid regular expression: {}", pattern_, e.what()));
  }
  try {
    rt_ = std::make_unique<Rt>(api_, client_name_);
    rt_->in.setCallback(on_message, inbox_.get());
  } catch (const RtMidiError& e) {
    throw MidiError(fmt::format("cannot open MIDI ({}): {}", to_string(api_), e.getMessage()));
  }
}

MidiDuplex::~MidiDuplex() {
  close();
}

void MidiDuplex::close() {
  if (!rt_) return;
  if (rt_->in.isPortOpen()) rt_->in.closePort();
  if (rt_->out.isPortOpen()) rt_->out.closePort();
  open_ = false;
}

MidiDuplex::Change MidiDuplex::check() {
  const std::regex re(pattern_, std::regex::icase);
  // Ports of our own client (and of its renamed twins, "name-01") are never the surface.
  const std::regex own(
      "^" + std::regex_replace(client_name_, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
      "(-[0-9]+)?:");
  const auto ours = [&](const std::string& name) { return std::regex_search(name, own); };
  const auto pick = [&](const std::vector<std::string>& names) -> std::optional<std::string> {
    std::vector<std::string> matches;
    for (const std::string& n : names)
      if (!ours(n) && std::regex_search(n, re)) matches.push_back(n);
    std::sort(matches.begin(), matches.end());
    if (static_cast<int>(matches.size()) <= skip_) return std::nullopt;
    return matches[static_cast<std::size_t>(skip_)];
  };
  if (open_) {
    const bool still_there = port_index(rt_->in, source_name_) &&
                             (sink_name_.empty() || port_index(rt_->out, sink_name_));
    if (still_there) return Change::none;
    close();
    last_error_ = fmt::format("'{}' / '{}' vanished", source_name_, sink_name_);
    return Change::closed;
  }
  const auto source = pick(port_names(rt_->in));
  const auto sink = pick(port_names(rt_->out));
  if (!source || (!sink && needs_sink_)) {
    last_error_ = fmt::format("no MIDI {} matches '{}'", !source ? "source" : "sink", pattern_);
    return Change::none;
  }
  const auto in_index = port_index(rt_->in, *source);
  const auto out_index = sink ? port_index(rt_->out, *sink) : std::nullopt;
  if (!in_index || (sink && !out_index)) return Change::none;
  rt_->in_error.clear();
  rt_->out_error.clear();
  rt_->in.openPort(*in_index, "from-surface");
  if (out_index) rt_->out.openPort(*out_index, "to-surface");
  if (!rt_->in.isPortOpen() || (out_index && !rt_->out.isPortOpen())) {
    last_error_ = fmt::format("cannot open '{}' / '{}': {}{}", *source, sink.value_or(""),
                              rt_->in_error, rt_->out_error);
    close();
    return Change::none;
  }
  source_name_ = *source;
  sink_name_ = sink.value_or("");
  open_ = true;
  last_error_.clear();
  return Change::opened;
}

bool MidiDuplex::send(const MidiBytes& message) {
  if (!open_ || message.empty() || !rt_->out.isPortOpen()) return false;
  rt_->out.sendMessage(message.data(), message.size());
  return true;
}

void MidiDuplex::drain(const Handler& handler) {
  inbox_->drain(handler);
}

std::size_t MidiDuplex::queue_high_water() const {
  return inbox_->high_water();
}

int MidiDuplex::wake_fd() const {
  return inbox_->fd();
}

struct VirtualMidiDuplex::Rt {
  RtMidiIn in;
  RtMidiOut out;
  std::string error;
  Rt(MidiApi api, const std::string& client)
      : in(rt_api(api), client, queue_limit), out(rt_api(api), client) {
    in.setErrorCallback(keep_error, &error);
    out.setErrorCallback(keep_error, &error);
    in.ignoreTypes(false, true, true);
  }
};

VirtualMidiDuplex::VirtualMidiDuplex(MidiApi api, const std::string& client_name,
                                     const std::string& port_base)
    : inbox_(std::make_unique<MidiInbox>()) {
  try {
    rt_ = std::make_unique<Rt>(api, client_name);
    rt_->in.setCallback(on_message, inbox_.get());
    rt_->in.openVirtualPort(port_base + " in");
    rt_->out.openVirtualPort(port_base + " out");
  } catch (const RtMidiError& e) {
    throw MidiError(fmt::format("cannot create MIDI ports '{}' ({}): {}", port_base, to_string(api),
                                e.getMessage()));
  }
  if (!rt_->error.empty())
    throw MidiError(fmt::format("cannot create MIDI ports '{}' ({}): {}", port_base, to_string(api),
                                rt_->error.empty() ? "no server" : rt_->error));
}

VirtualMidiDuplex::~VirtualMidiDuplex() = default;

bool VirtualMidiDuplex::send(const MidiBytes& message) {
  if (message.empty()) return false;
  rt_->out.sendMessage(message.data(), message.size());
  return true;
}

void VirtualMidiDuplex::drain(const std::function<void(const MidiBytes&)>& handler) {
  inbox_->drain([&](const MidiBytes& m, MidiInbox::Clock::time_point) { handler(m); });
}

int VirtualMidiDuplex::wake_fd() const {
  return inbox_->fd();
}

}  // namespace routewise
