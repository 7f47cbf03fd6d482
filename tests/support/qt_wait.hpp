#pragma once
// Waiting in a GUI test: the event loop keeps running (timers, queued signals) until a condition
// holds or time is up.

#include <QApplication>
#include <chrono>

namespace routewise::testing {

template <typename Done>
bool wait_for(Done done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until)
    QApplication::processEvents(QEventLoop::AllEvents, 5);
  return done();
}

}  // namespace routewise::testing
