#pragma once
// Which column of the quick-reference card a node belongs to (drums, vocals, bass/keys,
// bus/master).

#include <string_view>

#include "routewise/model/graph_index.hpp"

namespace routewise {

enum class Category { general, drums, vocals, bass_keys, mix };
std::string_view to_string(Category category);

// From the node's stem tag first, then its name; master and mix/2-buses are `mix`.
Category categorize(const GraphIndex& index, NodeIndex n);

// Whether a return's name or plugins say it is a reverb (plate, hall, room, chamber, ...).
bool is_reverb(const Node& node);

// Case-insensitive: does `text` contain any of the comma-free words in `words`?
bool contains_any_word(std::string_view text, std::initializer_list<std::string_view> words);

}  // namespace routewise
