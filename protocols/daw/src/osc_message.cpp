#include "routewise/daw/osc_message.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <lo/lo.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace routewise {
namespace {

struct MessageFree {
  void operator()(lo_message m) const { lo_message_free(m); }
};
using MessagePtr = std::unique_ptr<std::remove_pointer_t<lo_message>, MessageFree>;

constexpr int max_bundle_depth = 8;

bool decode_into(const std::uint8_t* data, std::size_t size, std::vector<OscMessage>& out,
                 int depth) {
  if (size < 4 || size % 4 != 0) return false;
  if (size >= 8 && std::memcmp(data, "#bundle\0", 8) == 0) {
    if (depth >= max_bundle_depth || size < 16) return false;
    std::size_t pos = 16;  // "#bundle\0" + 8-byte time tag
    while (pos < size) {
      if (pos + 4 > size) return false;
      std::uint32_t element;
      std::memcpy(&element, data + pos, 4);
      element = ntohl(element);
      pos += 4;
      if (element == 0 || element > size - pos) return false;
      if (!decode_into(data + pos, element, out, depth + 1)) return false;
      pos += element;
    }
    return true;
  }
  // Ardour answers /strip/list on "#reply", outside the OSC 1.0 address rule; accept '#' paths too.
  if (data[0] != '/' && data[0] != '#') return false;
  const std::size_t path_len = strnlen(reinterpret_cast<const char*>(data), size);
  if (path_len == size) return false;
  int result = 0;
  MessagePtr m(lo_message_deserialise(const_cast<std::uint8_t*>(data), size, &result));
  if (!m || result != 0) return false;
  OscMessage msg;
  msg.path.assign(reinterpret_cast<const char*>(data), path_len);
  const char* types = lo_message_get_types(m.get());
  lo_arg** argv = lo_message_get_argv(m.get());
  const int argc = lo_message_get_argc(m.get());
  // liblo packs the arguments, so a 64-bit one may sit on a 4-byte boundary: copy, never
  // dereference.
  const auto read = [](const lo_arg* arg, auto value) {
    std::memcpy(&value, arg, sizeof value);
    return value;
  };
  for (int i = 0; i < argc; ++i) {
    switch (types[i]) {
      case LO_INT32:
        msg.args.emplace_back(read(argv[i], std::int32_t{}));
        break;
      case LO_FLOAT:
        msg.args.emplace_back(read(argv[i], float{}));
        break;
      case LO_STRING:
      case LO_SYMBOL:
        msg.args.emplace_back(std::string(reinterpret_cast<const char*>(argv[i])));
        break;
      case LO_INT64:
        msg.args.emplace_back(read(argv[i], std::int64_t{}));
        break;
      case LO_DOUBLE:
        msg.args.emplace_back(read(argv[i], double{}));
        break;
      case LO_TRUE:
        msg.args.emplace_back(std::int32_t{1});
        break;
      case LO_FALSE:
        msg.args.emplace_back(std::int32_t{0});
        break;
      default:
        break;  // blobs, MIDI, nil, infinitum: not used by the dialects; dropped
    }
  }
  out.push_back(std::move(msg));
  return true;
}

}  // namespace

std::string OscMessage::types() const {
  std::string t;
  for (const OscArg& a : args) t += "ifshd"[a.index()];
  return t;
}

std::optional<double> OscMessage::number(std::size_t i) const {
  if (i >= args.size()) return std::nullopt;
  return std::visit(
      [](const auto& v) -> std::optional<double> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>)
          return std::nullopt;
        else
          return static_cast<double>(v);
      },
      args[i]);
}

std::optional<int> OscMessage::whole(std::size_t i) const {
  const auto v = number(i);
  if (!v || !std::isfinite(*v) || *v != std::floor(*v) ||
      *v < static_cast<double>(std::numeric_limits<int>::min()) ||
      *v > static_cast<double>(std::numeric_limits<int>::max()))
    return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<std::string> OscMessage::text(std::size_t i) const {
  if (i >= args.size() || !std::holds_alternative<std::string>(args[i])) return std::nullopt;
  return std::get<std::string>(args[i]);
}

std::vector<std::uint8_t> encode_osc(const OscMessage& message) {
  MessagePtr m(lo_message_new());
  for (const OscArg& a : message.args) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::int32_t>)
            lo_message_add_int32(m.get(), v);
          else if constexpr (std::is_same_v<T, float>)
            lo_message_add_float(m.get(), v);
          else if constexpr (std::is_same_v<T, std::string>)
            lo_message_add_string(m.get(), v.c_str());
          else if constexpr (std::is_same_v<T, std::int64_t>)
            lo_message_add_int64(m.get(), v);
          else
            lo_message_add_double(m.get(), v);
        },
        a);
  }
  std::size_t size = 0;
  void* raw = lo_message_serialise(m.get(), message.path.c_str(), nullptr, &size);
  std::vector<std::uint8_t> out(static_cast<std::uint8_t*>(raw),
                                static_cast<std::uint8_t*>(raw) + size);
  std::free(raw);
  return out;
}

std::optional<std::vector<OscMessage>> decode_osc(const std::uint8_t* data, std::size_t size) {
  std::vector<OscMessage> out;
  if (!decode_into(data, size, out, 0)) return std::nullopt;
  return out;
}

std::string describe(const OscMessage& message) {
  std::string out = message.path + " " + message.types();
  for (const OscArg& a : message.args)
    out += std::visit(
        [](const auto& v) -> std::string {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>)
            return " '" + v + "'";
          else
            return fmt::format(" {}", v);
        },
        a);
  return out;
}

}  // namespace routewise
