#pragma once
// Pan laws: how a mono signal is spread over two channels, and how a stereo signal is balanced.

#include <optional>
#include <string_view>

namespace routewise {

enum class PanLaw {
  constant_power_3db,  // centre −3 dB per side; total power constant across the sweep
  linear_6db,          // centre −6 dB per side; amplitudes add to one
  balance_0db,         // centre 0 dB per side; the far side fades out, the near side stays
};

struct StereoGains {
  float left = 1.0f;
  float right = 1.0f;
};

// Gains for a mono source at `pan` (−1 hard left .. +1 hard right; clamped).
StereoGains pan_mono(PanLaw law, double pan);
// Gains for a stereo source: unity at centre under every law; moving towards one side fades the
// other side along the law's curve, normalised so that the near side never exceeds unity.
StereoGains pan_stereo(PanLaw law, double pan);

std::optional<PanLaw> pan_law_from_string(std::string_view text);  // "-3", "-6", "0"
std::string_view to_string(PanLaw law);

}  // namespace routewise
