#pragma once
// OSC messages as values, encoded and decoded with liblo.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace routewise {

using OscArg = std::variant<std::int32_t, float, std::string, std::int64_t, double>;

struct OscMessage {
  std::string path;
  std::vector<OscArg> args;

  std::string types() const;                          // "ifs..."
  std::optional<double> number(std::size_t i) const;  // i, f, h or d as a number
  // A whole number that fits an int (a strip id, an index); nothing for 2.5, 1e15 or NaN.
  std::optional<int> whole(std::size_t i) const;
  std::optional<std::string> text(std::size_t i) const;
  bool operator==(const OscMessage&) const = default;
};

// The datagram for one message (liblo's serialisation).
std::vector<std::uint8_t> encode_osc(const OscMessage& message);

// A datagram as messages: one, or the contents of a bundle (nested bundles flattened).
// Returns nothing for anything malformed: bad padding, unknown types, truncated data.
std::optional<std::vector<OscMessage>> decode_osc(const std::uint8_t* data, std::size_t size);

// "/strip/gain ifs 1 -3 'x'" for logs and tests.
std::string describe(const OscMessage& message);

}  // namespace routewise
