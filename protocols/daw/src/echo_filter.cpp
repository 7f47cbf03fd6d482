#include "routewise/daw/echo_filter.hpp"

#include <algorithm>
#include <cmath>

namespace routewise {
namespace {

// A DAW that never echoes must not grow this.
constexpr std::size_t max_pending = 64;
constexpr auto forget_after = std::chrono::seconds(2);

}  // namespace

void EchoFilter::sent(int strip, MixerControl control, double value, Clock::time_point now) {
  auto& queue = pending_[{strip, control}];
  queue.emplace_back(value, now);
  if (queue.size() > max_pending) queue.pop_front();
}

bool EchoFilter::is_echo(int strip, MixerControl control, double value, Clock::time_point now) {
  const auto it = pending_.find({strip, control});
  if (it == pending_.end()) return false;
  auto& queue = it->second;
  std::erase_if(queue, [&](const auto& p) { return now - p.second > forget_after; });
  const auto match = std::find_if(queue.begin(), queue.end(), [&](const auto& p) {
    return same_value(control, p.first, value);
  });
  const bool echo = match != queue.end();
  if (echo) queue.erase(queue.begin(), match + 1);
  if (queue.empty()) pending_.erase(it);
  return echo;
}

}  // namespace routewise
