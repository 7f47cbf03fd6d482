#pragma once
// Messages from RtMidi's thread (JACK's process thread under the JACK API) to the owner's loop:
// a short critical section to append, an eventfd to wake the owner.

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "routewise/protocols/midi_message.hpp"

namespace routewise {

class MidiInbox {
 public:
  MidiInbox() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~MidiInbox() {
    if (fd_ >= 0) ::close(fd_);
  }
  MidiInbox(const MidiInbox&) = delete;
  MidiInbox& operator=(const MidiInbox&) = delete;

  void push(const std::uint8_t* data, std::size_t size) {
    {
      const std::lock_guard lock(mutex_);
      queue_.emplace_back(data, data + size);
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
  }
  void drain(const std::function<void(const MidiBytes&)>& handler) {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto n = ::read(fd_, &count, sizeof count);
    {
      const std::lock_guard lock(mutex_);
      taken_.swap(queue_);
    }
    for (const MidiBytes& m : taken_) handler(m);
    taken_.clear();
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::mutex mutex_;
  std::vector<MidiBytes> queue_, taken_;
};

}  // namespace routewise
