#pragma once
// Audio files through libsndfile (WAV, AIFF, FLAC): streaming reader and writer, RAII handles.
// Every error is an AudioFileError whose message starts with the file name.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "routewise/model/error.hpp"

struct sf_private_tag;

namespace routewise {

struct AudioFileError : Error {
  using Error::Error;
};

struct AudioFileInfo {
  double sample_rate_hz = 0.0;
  int channels = 0;
  std::int64_t frames = 0;
  std::string format;  // e.g. "WAV float", "FLAC 24-bit"
};

class AudioFileReader {
 public:
  explicit AudioFileReader(const std::string& path);
  const AudioFileInfo& info() const { return info_; }
  const std::string& path() const { return path_; }
  // Reads up to `frames` interleaved frames; returns how many were read (0 at the end).
  std::size_t read(float* interleaved, std::size_t frames);

 private:
  struct Close {
    void operator()(sf_private_tag* file) const;
  };
  std::string path_;
  std::unique_ptr<sf_private_tag, Close> file_;
  AudioFileInfo info_;
};

enum class AudioEncoding { float32, pcm24, pcm16 };

class AudioFileWriter {
 public:
  // The container follows the extension (.wav, .aif/.aiff, .flac); FLAC cannot hold float32 and
  // is written as 24-bit. Samples beyond ±1 are clipped by integer encodings, never wrapped.
  AudioFileWriter(const std::string& path, double sample_rate_hz, int channels,
                  AudioEncoding encoding = AudioEncoding::float32);
  void write(const float* interleaved, std::size_t frames);
  // Flushes and closes, reporting a failure (full disk) instead of losing it in a destructor.
  void close();
  const std::string& path() const { return path_; }

 private:
  struct Close {
    void operator()(sf_private_tag* file) const;
  };
  std::string path_;
  std::unique_ptr<sf_private_tag, Close> file_;
  int channels_;
};

// A whole file in memory, one vector per channel.
struct AudioData {
  double sample_rate_hz = 0.0;
  std::vector<std::vector<float>> channels;
  std::size_t frames() const { return channels.empty() ? 0 : channels.front().size(); }
};

AudioData read_audio_file(const std::string& path);

// Whether a file name ends in an extension this reader and writer handle (.wav, .aif, .aiff,
// .flac, in any case).
bool has_audio_extension(const std::string& path);
void write_audio_file(const std::string& path, const AudioData& data,
                      AudioEncoding encoding = AudioEncoding::float32);

}  // namespace routewise
