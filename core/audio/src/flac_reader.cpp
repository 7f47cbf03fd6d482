#include "flac_reader.hpp"

#include <FLAC/stream_decoder.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "routewise/audio/audio_file.hpp"

namespace routewise::detail {
namespace {

FLAC__StreamDecoderWriteStatus on_frame(const FLAC__StreamDecoder*, const FLAC__Frame* frame,
                                        const FLAC__int32* const buffer[], void* client) {
  auto* reader = static_cast<FlacReader*>(client);
  reader->take_frame(buffer, frame->header.blocksize,
                     static_cast<int>(frame->header.bits_per_sample));
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

void on_metadata(const FLAC__StreamDecoder*, const FLAC__StreamMetadata* metadata, void* client) {
  if (metadata->type == FLAC__METADATA_TYPE_STREAMINFO)
    static_cast<FlacReader*>(client)->take_stream_info(
        static_cast<int>(metadata->data.stream_info.bits_per_sample),
        static_cast<int>(metadata->data.stream_info.channels));
}

void on_error(const FLAC__StreamDecoder*, FLAC__StreamDecoderErrorStatus status, void* client) {
  static_cast<FlacReader*>(client)->fail(FLAC__StreamDecoderErrorStatusString[status]);
}

}  // namespace

void FlacReader::Delete::operator()(FLAC__StreamDecoder* decoder) const {
  FLAC__stream_decoder_delete(decoder);
}

FlacReader::FlacReader(const std::string& path, int channels, int bits_per_sample)
    : path_(path),
      channels_(channels),
      bits_(bits_per_sample),
      stdio_buffer_(std::size_t{1} << 20),
      decoder_(FLAC__stream_decoder_new()) {
  if (!decoder_) throw AudioFileError(path + ": cannot start a FLAC decoder");
  FLAC__stream_decoder_set_md5_checking(decoder_.get(), false);
  // libFLAC reads through stdio; with its 4 KB default buffer a stem costs thousands of read
  // calls a second of audio (a tenth of the decoding time went to the kernel).
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw AudioFileError(path + ": cannot be opened: " + std::strerror(errno));
  // glibc takes the size only with a buffer of ours; it outlives the file (see the header).
  std::setvbuf(file, stdio_buffer_.data(), _IOFBF, stdio_buffer_.size());
  // The decoder owns the file from here and closes it when deleted.
  const FLAC__StreamDecoderInitStatus status =
      FLAC__stream_decoder_init_FILE(decoder_.get(), file, on_frame, on_metadata, on_error, this);
  if (status != FLAC__STREAM_DECODER_INIT_STATUS_OK)
    throw AudioFileError(
        path + ": cannot be read as FLAC: " + FLAC__StreamDecoderInitStatusString[status]);
  if (!FLAC__stream_decoder_process_until_end_of_metadata(decoder_.get()) || !error_.empty())
    throw AudioFileError(path + ": its FLAC metadata cannot be read" +
                         (error_.empty() ? std::string() : " (" + error_ + ")"));
}

void FlacReader::take_stream_info(int bits, int channels) {
  stream_bits_ = bits;
  stream_channels_ = channels;
}

void FlacReader::take_frame(const std::int32_t* const channels[], std::size_t frames, int bits) {
  if (bits != bits_) {
    fail("a frame's bit depth differs from the stream's");
    frame_after_error_ = true;
    return;
  }
  // Audio after a decoding error: something in between was lost or is wrong.
  if (!error_.empty()) frame_after_error_ = true;
  const auto c = static_cast<std::size_t>(channels_);
  float* out = nullptr;
  if (pending_at_ == pending_.size() && direct_ && frames <= direct_room_) {
    // Straight into the caller's buffer when the frame fits: one copy fewer.
    out = direct_;
    direct_written_ = frames;
    direct_ = nullptr;
  } else {
    const std::size_t kept = pending_.size() - pending_at_;
    // What is left of the last frame moves to the front; the new one goes after it.
    if (kept > 0 && pending_at_ > 0)
      std::memmove(pending_.data(), pending_.data() + pending_at_, kept * sizeof(float));
    pending_.resize(kept + frames * c);
    pending_at_ = 0;
    out = pending_.data() + kept;
  }
  // Exact: a 24-bit integer fits a float's mantissa; libsndfile scales the same way.
  const float scale = 1.0f / static_cast<float>(std::int64_t{1} << (bits_ - 1));
  if (c == 2) {  // stereo, the usual stem: one pass writing each frame whole, which vectorises
    const std::int32_t *left = channels[0], *right = channels[1];
    for (std::size_t i = 0; i < frames; ++i) {
      out[2 * i] = static_cast<float>(left[i]) * scale;
      out[2 * i + 1] = static_cast<float>(right[i]) * scale;
    }
    return;
  }
  for (std::size_t ch = 0; ch < c; ++ch) {
    const std::int32_t* in = channels[ch];
    for (std::size_t i = 0; i < frames; ++i) out[i * c + ch] = static_cast<float>(in[i]) * scale;
  }
}

void FlacReader::fail(const char* why) {
  if (error_.empty()) error_ = why;
}

std::size_t FlacReader::read(float* interleaved, std::size_t frames) {
  const auto c = static_cast<std::size_t>(channels_);
  std::size_t done = 0;
  while (done < frames) {
    if (pending_at_ == pending_.size()) {
      if (FLAC__stream_decoder_get_state(decoder_.get()) == FLAC__STREAM_DECODER_END_OF_STREAM)
        break;
      direct_ = interleaved + done * c;
      direct_room_ = frames - done;
      direct_written_ = 0;
      const bool ok = FLAC__stream_decoder_process_single(decoder_.get());
      direct_ = nullptr;
      // An error followed by the end is a file cut short: what is there is read, as for WAV.
      // Followed by more audio, samples were lost or are wrong: that is an error.
      if (frame_after_error_)
        throw AudioFileError(path_ + ": damaged FLAC stream after frame " +
                             std::to_string(position_) + " (" + error_ + ")");
      if (!ok)
        throw AudioFileError(
            path_ + ": FLAC decoding stopped after frame " + std::to_string(position_) + " (" +
            FLAC__StreamDecoderStateString[FLAC__stream_decoder_get_state(decoder_.get())] + ")");
      done += direct_written_;
      position_ += static_cast<std::int64_t>(direct_written_);
      continue;
    }
    const std::size_t take = std::min(frames - done, (pending_.size() - pending_at_) / c);
    std::copy_n(pending_.data() + pending_at_, take * c, interleaved + done * c);
    pending_at_ += take * c;
    done += take;
    position_ += static_cast<std::int64_t>(take);
  }
  return done;
}

void FlacReader::seek(std::int64_t frame) {
  pending_.clear();
  pending_at_ = 0;
  error_.clear();
  frame_after_error_ = false;
  if (!FLAC__stream_decoder_seek_absolute(decoder_.get(), static_cast<FLAC__uint64>(frame))) {
    // A failed seek leaves the decoder needing a flush before it can be used again.
    FLAC__stream_decoder_flush(decoder_.get());
    throw AudioFileError(path_ + ": cannot seek to frame " + std::to_string(frame));
  }
  position_ = frame;
}

}  // namespace routewise::detail
