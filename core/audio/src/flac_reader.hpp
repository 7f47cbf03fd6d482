#pragma once
// 16- and 24-bit FLAC decoded by libFLAC straight to float (private to the audio library).
// libsndfile decodes FLAC through libFLAC too, then copies and converts every sample twice more:
// a sixth of the decoding time of a stem.

#include <FLAC/stream_decoder.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace routewise::detail {

class FlacReader {
 public:
  // Throws AudioFileError naming the file.
  FlacReader(const std::string& path, int channels, int bits_per_sample);
  // Interleaved frames, the same floats as libsndfile's; fewer than asked only at the end.
  // A damaged stream (lost sync, a frame whose CRC fails) is an AudioFileError naming the frame;
  // a stream cut short reads what is there.
  std::size_t read(float* interleaved, std::size_t frames);
  void seek(std::int64_t frame);

  // Whether the stream is what libsndfile said (16 or 24 bits, its channels): a 20-bit stream,
  // which libsndfile reads as 24, is left to libsndfile's own scaling.
  bool matches() const { return stream_bits_ == bits_ && stream_channels_ == channels_; }

  // libFLAC's callbacks, with this reader as their client data.
  void take_frame(const std::int32_t* const channels[], std::size_t frames, int bits);
  void take_stream_info(int bits, int channels);
  void fail(const char* why);

 private:
  struct Delete {
    void operator()(FLAC__StreamDecoder* decoder) const;
  };
  std::string path_;
  int channels_, bits_;
  std::vector<char> stdio_buffer_;  // declared before the decoder: its file uses it until closed
  std::unique_ptr<FLAC__StreamDecoder, Delete> decoder_;
  std::vector<float> pending_;  // decoded interleaved samples not handed out yet
  std::size_t pending_at_ = 0;  // in samples
  std::int64_t position_ = 0;   // frame of the next sample decoded
  // Where a read wants its frames: a decoded frame that fits goes there, not to pending_.
  float* direct_ = nullptr;
  std::size_t direct_room_ = 0, direct_written_ = 0;  // frames
  int stream_bits_ = 0, stream_channels_ = 0;         // from the STREAMINFO block
  std::string error_;                                 // the first decoding error
  bool frame_after_error_ = false;                    // and audio decoded after it
};

}  // namespace routewise::detail
