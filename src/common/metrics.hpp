// metrics: the process's counters, gauges and histograms, and their Prometheus text exposition
// (format 0.0.4). One registry per process (`metrics::registry()`): the jobs of `sportlake up`
// increment it in-process and the dashboard's `/metrics` renders it.
//
// Names follow Prometheus' conventions: `sportlake_` prefix, base units in the name (`_seconds`,
// `_bytes`), counters end in `_total`. Labels take a bounded set of values (a table, a route
// pattern, an outcome): never an id or a path from a request.
//
// Thread-safe: a metric is found (or created) under the registry's lock and stays at the same
// address for the process's life, so a caller may keep the reference; updates are lock-free for
// counters and gauges, under the histogram's own lock for histograms.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sl::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(double by = 1);  // by ≥ 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (= count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket (not cumulative), the last one beyond every bound
  double sum_ = 0;
  uint64_t count_ = 0;
};

// Bucket bounds for durations of calls and commits: 5 ms to 60 s.
std::vector<double> duration_buckets();

// Writes the text format: a family's HELP and TYPE, then its samples.
class Exposition {
 public:
  explicit Exposition(std::string& out) : out_(out) {}
  // type: "counter", "gauge", "histogram"
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void histogram(std::string_view name, const Labels& labels, const Histogram::Snapshot& h);

 private:
  std::string& out_;
};

// A value as the format writes it: shortest round-trip text, +Inf, -Inf, NaN.
std::string format_value(double value);

class Registry {
 public:
  // The metric of `name` with `labels`, created at its first use. The help text and the kind
  // are the family's (first use wins); asking a family for another kind is a programming error
  // (std::logic_error).
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help,
                       const std::vector<double>& upper_bounds, const Labels& labels = {});

  // Every family, sorted by name, each metric sorted by its labels.
  void render(Exposition& out) const;
  std::string render() const;

 private:
  enum class Kind { counter, gauge, histogram };
  struct Family {
    Kind kind;
    std::string help;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(std::string_view name, std::string_view help, Kind kind);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// The process's registry.
Registry& registry();

// Observes the seconds from its construction to its destruction into a histogram.
class ScopedTimer {
 public:
  explicit ScopedTimer(Histogram& histogram)
      : histogram_(histogram), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer();
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  Histogram& histogram_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace sl::metrics
