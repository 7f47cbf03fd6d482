#pragma once
// What the MCU's 2x56 LCD shows: 7 characters per strip (6 and a separating space), long names
// abbreviated the way an engineer would, and the SysEx that changes only what changed.

#include <string>
#include <string_view>
#include <vector>

#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise::mcu {

// At most `width` characters, as Ardour's Mackie surface abbreviates: kept whole when it fits;
// otherwise spaces and punctuation go, then vowels, then consonants, the last first; digits stay
// ("Lead Vox 2" -> "LedVx2", "Overheads" -> "Ovrhds").
std::string abbreviate(std::string_view name, std::size_t width = 6);

// A row of the LCD from up to 8 cells: each cut or padded to 6 characters plus a space.
std::string lcd_row(const std::vector<std::string>& cells);

// The dB value as it fits a cell ("-12.5", "+3.0", "-inf").
std::string db_cell(double db);
// Pan as it fits a cell ("<50", "C", "100>"); -1 left .. +1 right.
std::string pan_cell(double pan);

// The SysEx messages that turn `shown` (2x56 characters) into `wanted`: one per run of changed
// characters (runs closer than 4 characters are merged), nothing when they are equal.
std::vector<MidiBytes> lcd_update(Model model, const std::string& shown, const std::string& wanted);

// Ardour's meter deflection (0..115) for a level, and the MCU segment (0..12) that shows it.
double meter_deflection(double db);
int meter_segment(double db);
bool meter_overloads(double db);  // deflection above 100: about 0 dBFS

}  // namespace routewise::mcu
