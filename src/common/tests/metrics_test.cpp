// The metrics registry and its Prometheus text (the exposition is also parsed by
// prometheus_client in tests/serve/test_operations.py).
#include "common/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sl::metrics {
namespace {

TEST(Metrics, CountersGaugesAndLabelsRenderInTheTextFormat) {
  Registry r;
  r.counter("sl_rows_total", "Rows.", {{"table", "a\"b\\c\nd"}}).inc(3);
  r.counter("sl_rows_total", "ignored", {{"table", "x"}}).inc();
  r.gauge("sl_lag_bytes", "Lag.").set(1.5);
  EXPECT_EQ(r.render(),
            "# HELP sl_lag_bytes Lag.\n# TYPE sl_lag_bytes gauge\nsl_lag_bytes 1.5\n"
            "# HELP sl_rows_total Rows.\n# TYPE sl_rows_total counter\n"
            "sl_rows_total{table=\"a\\\"b\\\\c\\nd\"} 3\nsl_rows_total{table=\"x\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  auto& h = r.histogram("sl_seconds", "Time.", {1, 0.1});
  h.observe(0.05);
  h.observe(0.1);  // a bound is inclusive (le)
  h.observe(7);
  EXPECT_EQ(r.render(),
            "# HELP sl_seconds Time.\n# TYPE sl_seconds histogram\n"
            "sl_seconds_bucket{le=\"0.1\"} 2\nsl_seconds_bucket{le=\"1\"} 2\n"
            "sl_seconds_bucket{le=\"+Inf\"} 3\nsl_seconds_sum 7.15\nsl_seconds_count 3\n");
}

TEST(Metrics, AFamilyKeepsItsKind) {
  Registry r;
  r.counter("sl_x_total", "x");
  EXPECT_THROW(r.gauge("sl_x_total", "x"), std::logic_error);
}

TEST(Metrics, ConcurrentIncrementsAreAllCounted) {
  Registry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&r] {
      for (int i = 0; i < 10000; ++i) {
        r.counter("sl_n_total", "n").inc();
        r.histogram("sl_h_seconds", "h", duration_buckets()).observe(0.01);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.counter("sl_n_total", "n").value(), 40000);
  EXPECT_EQ(r.histogram("sl_h_seconds", "h", duration_buckets()).snapshot().count, 40000u);
}

TEST(Metrics, ValuesUseThePrometheusSpellings) {
  EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_value(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(format_value(0.0 / 0.0), "NaN");
  EXPECT_EQ(format_value(12345678), "12345678");
}

}  // namespace
}  // namespace sl::metrics
