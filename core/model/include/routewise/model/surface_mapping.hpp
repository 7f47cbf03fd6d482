#pragma once
// A learned controller mapping in its stored, text form: what the database keeps and the surfaces
// read (routewise_surfaces turns it into a GenericMapping, saying which field does not read).

#include <cstdint>
#include <string>

namespace routewise {

// A generic MIDI controller's control mapped to a mixer parameter (`routewise surface learn`).
// The strip is named as the DAW shows it, so a mapping outlives one session's node ids.
struct SurfaceMapping {
  std::int64_t id = 0;
  std::string profile = "default";  // one controller's set of mappings
  std::string control;              // "cc:1:7", "cc14:1:7", "nrpn:1:1234", "note:1:60", "pb:1"
  std::string target_node;          // the strip's name
  std::string parameter;            // fader, send, mute, solo, pan, bypass
  std::string argument;             // send: the bus it feeds; bypass: the plugin's 1-based slot
  bool soft_takeover = true;        // no motor: wait until the control meets the value
  std::string created_at;           // ISO-8601 UTC; empty: now
  bool operator==(const SurfaceMapping&) const = default;
};

}  // namespace routewise
