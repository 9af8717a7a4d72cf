// `sportlake simulate`: new Strava-like activities (live, at a rate, or a backfilled history).
#include <fmt/core.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "cli/commands.hpp"
#include "cli/source_database.hpp"
#include "common/clock.hpp"
#include "common/progress.hpp"
#include "source/activity_writer.hpp"

namespace sl::cli {

namespace {

// "2s", "500ms", "0.2" (seconds) → seconds.
std::optional<double> parse_duration(std::string_view text) {
  double scale = 1;
  if (text.ends_with("ms")) {
    scale = 0.001;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  std::string s(text);
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || v < 0) return std::nullopt;
  return v * scale;
}

// "2s..6s" or "3s" → [min, max] seconds.
std::optional<std::pair<double, double>> parse_delay(const std::string& text) {
  auto dots = text.find("..");
  auto lo = parse_duration(dots == std::string::npos ? text : text.substr(0, dots));
  auto hi = dots == std::string::npos ? lo : parse_duration(text.substr(dots + 2));
  if (!lo || !hi || *hi < *lo) return std::nullopt;
  return std::pair{*lo, *hi};
}

// "2026-11-25" or "2026-11-25T10:00:00Z" → epoch seconds (UTC).
std::optional<int64_t> parse_as_of(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (end == nullptr || (*end != '\0' && std::string_view(end) != "Z")) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

int64_t now_seconds() {
  return unix_now_us() / 1'000'000;
}

std::string describe(const source::Activity& a, const source::Practitioner& who) {
  std::string what = a.distance_m > 0 ? fmt::format("{:.1f} km in {} min", a.distance_m / 1000,
                                                    a.moving_time_s / 60)
                                      : fmt::format("{} min", a.moving_time_s / 60);
  return fmt::format("{} {} {} — {} ({}): {}", a.activity_id, who.first_name, who.last_name, a.name,
                     a.sport_type, what);
}

}  // namespace

void add_simulate_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "simulate", "insert simulated Strava-like activities for employees with a sport");
  static int count = 20;
  static std::string delay_text = "2s..6s";
  static int backfill_months = 0;
  static double rate = 0;
  static std::optional<uint64_t> seed;
  static std::string as_of_text;
  auto* count_opt = cmd->add_option("--count", count, "number of activities (default 20)")
                        ->check(CLI::NonNegativeNumber);
  cmd->add_option("--delay", delay_text,
                  "pause between live activities, MIN..MAX (default 2s..6s)");
  cmd->add_option("--backfill-months", backfill_months,
                  "write a realistic history of the last M months instead")
      ->check(CLI::Range(1, 120));
  cmd->add_option("--rate", rate, "insert --count activities at R rows/s (load tests)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", seed,
                  "random seed: same seed, data and --as-of give the same activities");
  cmd->add_option("--as-of", as_of_text,
                  "reference time for the backfill (YYYY-MM-DD[THH:MM:SSZ], default now)");
  cmd->callback([&ctx, count_opt] {
    auto fail = [&ctx](const std::string& message) {
      fmt::print(stderr, "sportlake simulate: {}\n", message);
      ctx.exit_code = 1;
    };
    auto delay = parse_delay(delay_text);
    if (!delay)
      return fail("--delay '" + delay_text + "' is not MIN..MAX (e.g. 2s..6s, 200ms..1s)");
    int64_t as_of = now_seconds();
    if (!as_of_text.empty()) {
      auto parsed = parse_as_of(as_of_text);
      if (!parsed) return fail("--as-of '" + as_of_text + "' is not a date (YYYY-MM-DD)");
      as_of = *parsed;
    }
    auto conn = open_source_database(ctx);
    if (!conn) return fail(conn.error().to_string());
    auto practitioners = source::read_practitioners(*conn);
    if (!practitioners) return fail(practitioners.error().to_string());
    if (practitioners->empty())
      return fail("no employee declares a sport: run `sportlake load` first");
    auto first_id = source::next_activity_id(*conn);
    if (!first_id) return fail(first_id.error().to_string());
    uint64_t effective_seed = seed ? *seed : std::random_device{}();
    source::ActivityGenerator generator(*practitioners, effective_seed, *first_id);

    if (backfill_months > 0) {
      auto history = generator.backfill(backfill_months, as_of);
      ProgressBar progress("backfill", history.size());
      constexpr size_t batch = 5000;
      for (size_t off = 0; off < history.size(); off += batch) {
        std::vector<source::Activity> part(
            history.begin() + static_cast<long>(off),
            history.begin() + static_cast<long>(std::min(history.size(), off + batch)));
        auto stored = source::insert_activities(*conn, part, as_of);
        if (!stored) return fail(stored.error().to_string());
        progress.advance(part.size());
      }
      progress.finish();
      fmt::print("backfilled {} activities over {} months for {} employees (seed {})\n",
                 history.size(), backfill_months, practitioners->size(), effective_seed);
      if (count_opt->count() == 0) return;
    }

    std::map<int64_t, const source::Practitioner*> by_id;
    for (const auto& p : *practitioners) by_id[p.employee_id] = &p;
    std::mt19937_64 pause_rng(effective_seed ^ 0x9e3779b97f4a7c15ULL);
    auto start = std::chrono::steady_clock::now();
    ProgressBar progress("simulate", rate > 0 ? static_cast<uint64_t>(count) : 0);
    for (int i = 0; i < count; ++i) {
      if (rate > 0) {
        // Paced by the schedule, not by sleeps after each insert, so the rate holds under load.
        auto due = start + std::chrono::duration<double>(i / rate);
        std::this_thread::sleep_until(due);
      } else if (i > 0) {
        double pause =
            std::uniform_real_distribution<double>(delay->first, delay->second)(pause_rng);
        std::this_thread::sleep_for(std::chrono::duration<double>(pause));
      }
      const int64_t now = now_seconds();
      auto activity = generator.next_live(now);
      auto stored = source::insert_activities(*conn, {activity}, now);
      if (!stored) return fail(stored.error().to_string());
      if (rate > 0) {
        progress.advance();
      } else {
        fmt::print("{}\n", describe(activity, *by_id[activity.employee_id]));
        std::fflush(stdout);
      }
    }
    progress.finish();
    if (rate > 0) {
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print("inserted {} activities in {:.1f} s ({:.0f}/s)\n", count, seconds,
                 count / seconds);
    }
  });
}

}  // namespace sl::cli
