// The metrics registry and the Prometheus text format.
#include "common/metrics.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sl::metrics {

namespace {

void atomic_add(std::atomic<double>& target, double by) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

// A label value or a HELP text: backslash and newline escaped (and the double quote in values).
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
}

void append_labels(std::string& out, const Labels& labels, std::string_view le = {}) {
  if (labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& label : labels) {
    if (!first) out += ',';
    first = false;
    out += label.first;
    out += "=\"";
    append_escaped(out, label.second, true);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

}  // namespace

void Counter::inc(double by) {
  if (by > 0) atomic_add(value_, by);
}

void Gauge::add(double by) {
  atomic_add(value_, by);
}

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_.assign(bounds_.size() + 1, 0);
}

void Histogram::observe(double value) {
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += value;
  ++count_;
}

Histogram::Snapshot Histogram::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.upper_bounds = bounds_;
  uint64_t running = 0;
  for (uint64_t n : counts_) {
    running += n;
    s.cumulative.push_back(running);
  }
  s.sum = sum_;
  s.count = count_;
  return s;
}

std::vector<double> duration_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void Exposition::sample(std::string_view name, const Labels& labels, double value) {
  out_ += name;
  append_labels(out_, labels);
  out_ += ' ';
  out_ += format_value(value);
  out_ += '\n';
}

void Exposition::histogram(std::string_view name, const Labels& labels,
                           const Histogram::Snapshot& h) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    out_ += bucket;
    append_labels(out_, labels, format_value(h.upper_bounds[i]));
    out_ += ' ' + std::to_string(h.cumulative[i]) + '\n';
  }
  out_ += bucket;
  append_labels(out_, labels, "+Inf");
  out_ += ' ' + std::to_string(h.count) + '\n';
  sample(std::string(name) + "_sum", labels, h.sum);
  sample(std::string(name) + "_count", labels, static_cast<double>(h.count));
}

Registry::Family& Registry::family(std::string_view name, std::string_view help, Kind kind) {
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), Family{kind, std::string(help), {}, {}, {}}).first;
  if (it->second.kind != kind)
    throw std::logic_error("metric " + std::string(name) + " used as two kinds");
  return it->second;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::counter).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::gauge).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& upper_bounds, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::histogram).histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(upper_bounds);
  return *slot;
}

void Registry::render(Exposition& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    switch (f.kind) {
      case Kind::counter:
        out.family(name, "counter", f.help);
        for (const auto& [labels, c] : f.counters) out.sample(name, labels, c->value());
        break;
      case Kind::gauge:
        out.family(name, "gauge", f.help);
        for (const auto& [labels, g] : f.gauges) out.sample(name, labels, g->value());
        break;
      case Kind::histogram:
        out.family(name, "histogram", f.help);
        for (const auto& [labels, h] : f.histograms) out.histogram(name, labels, h->snapshot());
        break;
    }
  }
}

std::string Registry::render() const {
  std::string text;
  Exposition out(text);
  render(out);
  return text;
}

Registry& registry() {
  static Registry instance;
  return instance;
}

ScopedTimer::~ScopedTimer() {
  histogram_.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
}

}  // namespace sl::metrics
