#pragma once
// Stem null test: do the exported stems sum to the exported mix? Finds the time offset between
// the stem sum and the mix (sub-sample), subtracts, and measures what is left, overall and per
// octave band. Also attributes stem contents to the per-track sources (bleed).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace routewise {

struct RouteGraph;

struct NullTestOptions {
  double search_window_ms = 50.0;         // the offset is searched within ± this
  double threshold_dbfs = -60.0;          // residual peak below this is a null
  std::size_t analysis_frames = 1 << 18;  // frames used to find the offset
};

struct BandLevel {
  double centre_hz;
  double rms_dbfs;
};

struct NullTestResult {
  double sample_rate_hz = 0.0;
  int channels = 0;
  std::size_t frames = 0;       // compared length (the longer of mix and stem sum)
  double offset_samples = 0.0;  // the mix lags the stem sum by this much
  double correlation = 0.0;     // normalised correlation at the offset (1: identical shape)
  // The gain of the stem sum in the mix, fitted before the residual is taken (0 dB within
  // 0.01 dB): a master fader or master-bus gain the stems lack, not bleed.
  double gain_db = 0.0;
  bool polarity_inverted = false;
  double mix_rms_dbfs = 0.0;
  // mix − gain × shifted stem sum: the peak judged, which is that of the band below 20 kHz when
  // most of the residual lies above it (two interpolators differing near Nyquist)
  double residual_peak_dbfs = 0.0;
  double residual_rms_dbfs = 0.0;
  // RMS of the residual above 20 kHz, reported apart and not judged: set when the whole residual
  // fails the threshold and the rate reaches past 40 kHz.
  std::optional<double> above_20k_rms_dbfs;
  std::vector<BandLevel> bands;      // octave bands 31.5 Hz .. 16 kHz of the residual
  bool nulls = false;                // never with damaged files
  std::vector<std::string> notes;    // e.g. length differences
  std::vector<std::string> damaged;  // per file with NaN or infinite samples: how many, where
};

// Reads the files through libsndfile. Throws AudioFileError or std::invalid_argument naming the
// file whose rate or channel count differs from the mix.
NullTestResult null_test(const std::string& mix_path, const std::vector<std::string>& stem_paths,
                         const NullTestOptions& options = {});

// What a fractional offset between stems and mix comes from, when the session has a latency whose
// fractional part it is (within 0.01 sample): "0.400 samples: the fractional part of 'SSL
// G-Comp''s 72.4-sample round trip (delay compensation moves whole samples)". Empty otherwise.
std::vector<std::string> explain_offset(const RouteGraph& graph, double offset_samples);

struct BleedInput {
  std::string name;   // stem name, or a source's display name
  std::string group;  // for a source: the stem it belongs to ("" when unknown)
  std::string path;
};

struct BleedOptions {
  double search_window_ms = 100.0;
  double threshold_db = -60.0;            // off-group contributions above this are bleed
  std::size_t analysis_frames = 1 << 18;  // frames used for the least-squares fit
};

struct BleedReport {
  std::vector<std::string> rows;                 // stems (and "residual" when a mix was given)
  std::vector<std::string> sources;              // "GROUP/Name" when the group is known
  std::vector<std::vector<double>> gain_db;      // [row][source]; −inf when absent
  std::vector<std::vector<double>> lag_samples;  // [row][source]
  std::vector<double> unexplained_db;  // per row: what the fit leaves, relative to the row
  struct Bleed {
    std::string row, source;
    double gain_db;
    // For the "residual" row: true when the stems hold more of the source than the mix does (an
    // extra copy in a stem), false when the mix holds it outside every stem.
    bool in_stems_extra = false;
  };

  std::vector<Bleed> bleeds;         // loudest first
  std::vector<std::string> damaged;  // files with NaN or infinite samples (fitted as silence there)
};

// One sentence per bleed, loudest first: "DRUMS stem contains VOX/Lead Vox at -20.0 dB", "the mix
// contains VOX/Lead Vox at -15.0 dB that is in no stem", or, for a source the stems hold twice,
// "DRUMS/Kick In is in the stems twice: BASS stem contains it at -22.9 dB (the mix has it once)"
// in place of that stem's own line.
std::vector<std::string> bleed_sentences(const BleedReport& report);

// Estimates each row as a least-squares mix of the sources, each at its best lag. A source whose
// group differs from the row's name and whose gain is above the threshold is bleed; in the row
// "residual" (mix − stems), every source above the threshold is reported, since nothing should
// be there.
BleedReport attribute_bleed(const std::vector<BleedInput>& stems,
                            const std::vector<BleedInput>& sources, const std::string& mix_path,
                            const BleedOptions& options = {});

}  // namespace routewise
