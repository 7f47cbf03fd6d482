#pragma once
// Plays a signal out of one audio port and records another at the same time, through RtAudio
// (JACK, or ALSA where a device exists): the physical half of a latency measurement.

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "routewise/model/error.hpp"

namespace routewise {

enum class AudioBackend { jack, alsa };

struct AudioLoopError : Error {
  using Error::Error;
};
// Samples were lost during the take (an xrun): the take is void, a new one may well succeed.
struct AudioLoopXrun : AudioLoopError {
  using AudioLoopError::AudioLoopError;
};

struct LoopRecording {
  std::vector<float> recording;  // starts on the same frame the signal starts playing
  double sample_rate_hz = 0.0;
  unsigned buffer_frames = 0;
  std::string device;  // "jack:OUT -> IN" or the ALSA device names
};

// `out_port` receives the signal, `in_port` is recorded for signal.size() + extra_frames frames.
// JACK ports are full port names ("system:playback_1", "insert:in"); ALSA ports are
// "DEVICE NAME#CHANNEL" (channel from 1) as `audio_ports` lists them. Throws AudioLoopError
// naming the port when it does not exist, the server is not running, or an xrun spoiled the take.
LoopRecording play_and_record(AudioBackend backend, const std::string& out_port,
                              const std::string& in_port, const std::vector<float>& signal,
                              std::size_t extra_frames, std::chrono::milliseconds timeout);

// The ports that can be played into (`playback` true) or recorded from.
std::vector<std::string> audio_ports(AudioBackend backend, bool playback);

}  // namespace routewise
