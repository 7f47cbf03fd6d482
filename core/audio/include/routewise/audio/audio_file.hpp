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
namespace detail {
class FlacReader;
}

struct AudioFileError : Error {
  using Error::Error;
};

struct AudioFileInfo {
  double sample_rate_hz = 0.0;
  int channels = 0;
  std::int64_t frames = 0;
  std::string format;  // e.g. "WAV float", "FLAC 24-bit"
};

// NaN and infinite samples met while reading (a float file from a crashed plugin or a broken
// export). They are handed on as 0 so that no sum, meter or fit turns into NaN, and counted so
// that every user of the file can say it is damaged: such a file is neither silent nor a null.
struct NonFiniteSamples {
  std::uint64_t count = 0;
  std::int64_t first_frame = -1;  // -1: none
  explicit operator bool() const { return count > 0; }
};
// "mix.wav: 12 samples are NaN or infinite, the first at 0.250 s (frame 12000); read as silence"
std::string describe(const std::string& path, const NonFiniteSamples& bad, double sample_rate_hz);

class AudioFileReader {
 public:
  explicit AudioFileReader(const std::string& path);
  const AudioFileInfo& info() const { return info_; }
  const std::string& path() const { return path_; }
  // Reads up to `frames` interleaved frames; returns how many were read (0 at the end).
  // Non-finite samples come out as 0 and are counted in non_finite().
  std::size_t read(float* interleaved, std::size_t frames);
  const NonFiniteSamples& non_finite() const { return non_finite_; }
  // The next read starts at `frame` (WAV, AIFF and FLAC seek; throws naming the file otherwise).
  void seek(std::int64_t frame);

 private:
  struct Close {
    void operator()(sf_private_tag* file) const;
  };
  std::string path_;
  std::unique_ptr<sf_private_tag, Close> file_;
  AudioFileInfo info_;
  NonFiniteSamples non_finite_;
  std::int64_t frames_read_ = 0;
  bool integer_ = false;      // 8 to 24-bit PCM: read as integers and scaled here
  std::vector<int> scratch_;  // those integers
  struct FlacDelete {
    void operator()(detail::FlacReader* reader) const;
  };
  std::unique_ptr<detail::FlacReader, FlacDelete> flac_;  // 16- and 24-bit FLAC, read directly
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
  NonFiniteSamples non_finite;  // read as 0
  std::size_t frames() const { return channels.empty() ? 0 : channels.front().size(); }
};

AudioData read_audio_file(const std::string& path);

// Whether a file name ends in an extension this reader and writer handle (.wav, .aif, .aiff,
// .flac, in any case).
bool has_audio_extension(const std::string& path);
void write_audio_file(const std::string& path, const AudioData& data,
                      AudioEncoding encoding = AudioEncoding::float32);

}  // namespace routewise
