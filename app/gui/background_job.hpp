#pragma once
// Long work (a measurement, a render) on a worker thread of its own, so the window stays live:
// the work reads cancelled() between its steps and posts what it has to the UI thread.

#include <QMetaObject>
#include <QObject>
#include <atomic>
#include <functional>
#include <thread>

namespace routewise::gui {

class BackgroundJob {
 public:
  // `receiver` lives on the UI thread; what is posted to it runs there, and is dropped with it.
  explicit BackgroundJob(QObject& receiver) : receiver_(receiver) {}
  ~BackgroundJob() {
    cancel();
    join();
  }
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;

  bool running() const { return thread_.joinable(); }
  // Starts `work` (the job must not be running; join() a finished one first).
  void start(std::function<void()> work) {
    cancelled_ = false;
    thread_ = std::thread(std::move(work));
  }
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }
  // From the worker: runs `f` on the UI thread.
  void post(std::function<void()> f) {
    QMetaObject::invokeMethod(&receiver_, std::move(f), Qt::QueuedConnection);
  }
  // On the UI thread, once the work has posted its last word.
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  QObject& receiver_;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

}  // namespace routewise::gui
