#pragma once
// Fader position <-> gain for each DAW, in one place, tested at the edges against the DAW's
// formula.

namespace routewise {

// Ardour (libs/pbd control_math.h, max gain 2.0 = +6.02 dB): pos = ((6·log2(g) + 192) / 198)^8.
// Position 0 is -inf; positions outside 0..1 are clamped.
double ardour_position_to_db(double position_0_1);
double ardour_db_to_position(double gain_db);

// Ardour's trim control: linear in dB over -20..+20.
double ardour_trim_position_to_db(double position_0_1);
double ardour_trim_db_to_position(double trim_db);

// REAPER's normalised /volume taper follows the user's fader preferences and is not published;
// Routewise talks to REAPER in dB (/track/@/volume/db) and never converts positions.

}  // namespace routewise
