// libFuzzer target: bytes as an audio file (WAV, AIFF, FLAC — libsndfile decides), read to the
// end through Routewise's reader (libFLAC directly for 16- and 24-bit FLAC), then seeked into; a
// broken file must give an AudioFileError, nothing else.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "routewise/audio/audio_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("fuzz_audio_" + std::to_string(::getpid()) + ".wav"))
                                      .string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    routewise::AudioFileReader reader(path);
    std::vector<float> chunk(4096 * static_cast<std::size_t>(reader.info().channels));
    std::size_t total = 0;
    while (const std::size_t got = reader.read(chunk.data(), 4096)) {
      total += got;
      if (total > 50'000'000) break;  // a header claiming billions of frames is read in bounds
    }
    // And a seek back into what was read (the null test seeks to stretches), then a read.
    if (total > 0) {
      reader.seek(static_cast<std::int64_t>(size % total));
      reader.read(chunk.data(), 4096);
    }
  } catch (const routewise::AudioFileError&) {
  }
  return 0;
}
