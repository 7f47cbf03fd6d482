#pragma once
// Reading a large JSON document without holding it whole: the elements of chosen top-level
// arrays are handed over one at a time as the parser completes them, then dropped (a whole
// document as a tree costs about 15 times its text, one element does not). For readers that
// already use nlohmann::json.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace routewise {

// Parses `text` as nlohmann::json::parse does (with `allow_exceptions` false, a bad text gives a
// discarded value). Each element of a top-level array whose key `streamed(key)` accepts goes to
// `element(key, index, value)` and is left out of the document returned, where that array stays,
// empty. `element` may throw to end the parse.
template <typename Streamed, typename Element>
nlohmann::json parse_streaming_arrays(std::string_view text, Streamed&& streamed, Element&& element,
                                      bool allow_exceptions = true) {
  using Event = nlohmann::json::parse_event_t;
  std::string key;  // the top-level key whose value is being read
  bool streaming = false;
  std::size_t index = 0;
  const auto on_event = [&](int depth, Event event, nlohmann::json& parsed) {
    if (depth == 1 && event == Event::key) {
      key = parsed.get<std::string>();
    } else if (depth == 1 && event == Event::array_start) {
      streaming = streamed(std::string_view(key));
      index = 0;
    } else if (depth == 1 && event == Event::array_end) {
      streaming = false;
    } else if (streaming && depth == 2 &&
               (event == Event::object_end || event == Event::array_end || event == Event::value)) {
      element(std::string_view(key), index++, parsed);
      return false;
    }
    return true;
  };
  return nlohmann::json::parse(text, on_event, allow_exceptions);
}

}  // namespace routewise
