// ProgressBar: redraws at most 10 times a second, only when stderr is a terminal.
#include "common/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace sl {

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::advance(uint64_t n) {
  set(done_ + n);
}

void ProgressBar::set(uint64_t done) {
  done_ = done;
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) draw(true);
}

void ProgressBar::draw(bool final_line) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
  if (total_ > 0) {
    constexpr int width = 30;
    double fraction = static_cast<double>(done_) / static_cast<double>(total_);
    if (fraction > 1) fraction = 1;
    int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %3.0f%% %llu/%llu (%.0f/s)", label_.c_str(), bar.c_str(),
                 fraction * 100, static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), rate);
  } else {
    std::fprintf(stderr, "\r%s %llu (%.0f/s)", label_.c_str(),
                 static_cast<unsigned long long>(done_), rate);
  }
  if (final_line) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace sl
