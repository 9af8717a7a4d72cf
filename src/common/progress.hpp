// ProgressBar: a one-line progress display on stderr when it is a terminal, silent otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sl {

class ProgressBar {
 public:
  // `total` 0 means unknown (shows a counter and a rate, no percentage).
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void advance(uint64_t n = 1);
  void set(uint64_t done);
  // Prints the final line (if enabled) and stops redrawing.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw(bool final_line);

  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace sl
