#pragma once
// Fader position <-> gain for each DAW, and the ceiling every level in a route map is held to: in
// one place, tested at the edges against the DAW's formula. A surface speaks 0..1 positions; only
// its wire code knows how many bits a position has.

namespace routewise {

// The highest fader or send level a route map holds (route_map_json's range); a louder level
// read from a DAW or a session file is held to it.
inline constexpr double max_fader_db = 24.0;
double clamp_fader_db(double gain_db);  // NaN stays NaN for the caller's own check

enum class FaderLaw {
  ardour,  // Ardour's gain_to_slider_position_with_max, max +6.02 dB (as its own MCU surface)
  reaper,  // REAPER's curve is unpublished: the same shape topped at REAPER's +12 dB
};

// Position 0 is -inf; positions outside 0..1 are clamped, and so are gains above the law's top.
double fader_position_from_db(double gain_db, FaderLaw law);
double fader_db_from_position(double position_0_1, FaderLaw law);

// Ardour (libs/pbd control_math.h, max gain 2.0 = +6.02 dB): pos = ((6·log2(g) + 192) / 198)^8.
double ardour_position_to_db(double position_0_1);
double ardour_db_to_position(double gain_db);

// Ardour's trim control: linear in dB over -20..+20.
inline constexpr double ardour_trim_range_db = 20.0;
double ardour_trim_position_to_db(double position_0_1);
double ardour_trim_db_to_position(double trim_db);

// REAPER's normalised /volume taper follows the user's fader preferences and is not published;
// Routewise talks to REAPER in dB (/track/@/volume/db) and uses FaderLaw::reaper only for a
// surface's travel.

}  // namespace routewise
