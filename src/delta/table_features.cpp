// Protocol and table-property checks.
#include "delta/table_features.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace sl::delta {

namespace {

// vacuumProtocolCheck only asks vacuum to check the protocol, which ours always does.
constexpr std::string_view k_supported_reader_features[] = {"timestampNtz", "vacuumProtocolCheck"};
constexpr std::string_view k_supported_writer_features[] = {"appendOnly", "invariants",
                                                            "vacuumProtocolCheck"};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

std::string_view property(const Metadata& m, std::string_view key) {
  auto it = m.configuration.find(std::string(key));
  return it == m.configuration.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace

Status check_read_supported(const Protocol& p, const Metadata& m) {
  if (p.min_reader_version < 1 || p.min_reader_version > 3) {
    return make_error(Errc::unsupported, "table needs reader version " +
                                             std::to_string(p.min_reader_version) +
                                             " (sportlake reads versions 1 to 3)");
  }
  auto mapping = property(m, "delta.columnMapping.mode");
  if (!mapping.empty() && mapping != "none") {
    return make_error(Errc::unsupported, "table uses the reader feature 'columnMapping' (mode " +
                                             std::string(mapping) +
                                             "), which sportlake does not support");
  }
  if (p.min_reader_version == 3) {
    if (!p.reader_features) {
      return make_error(Errc::corrupt, "protocol: reader version 3 without readerFeatures");
    }
    for (const auto& f : *p.reader_features) {
      if (!contains(k_supported_reader_features, f)) {
        return make_error(Errc::unsupported, "table uses the reader feature '" + f +
                                                 "', which sportlake does not support");
      }
    }
  }
  return {};
}

Status check_write_supported(const Protocol& p, const Metadata& m) {
  SL_TRY(check_read_supported(p, m));
  if (p.min_writer_version < 1 || p.min_writer_version > 7) {
    return make_error(Errc::unsupported,
                      "table needs writer version " + std::to_string(p.min_writer_version));
  }
  if (p.min_writer_version >= 3 && p.min_writer_version <= 6) {
    return make_error(Errc::unsupported,
                      "table needs writer version " + std::to_string(p.min_writer_version) +
                          " (check constraints, change data feed, generated or identity columns,"
                          " column mapping), which sportlake does not write");
  }
  if (p.min_writer_version == 7) {
    if (!p.writer_features) {
      return make_error(Errc::corrupt, "protocol: writer version 7 without writerFeatures");
    }
    for (const auto& f : *p.writer_features) {
      if (!contains(k_supported_writer_features, f)) {
        return make_error(Errc::unsupported, "table uses the writer feature '" + f +
                                                 "', which sportlake cannot honour when writing");
      }
    }
  }
  return {};
}

std::optional<int64_t> parse_interval_ms(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view s = lower;
  if (s.starts_with("interval")) s.remove_prefix(8);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  int64_t amount = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), amount);
  if (ec != std::errc() || amount < 0) return std::nullopt;
  s.remove_prefix(static_cast<size_t>(end - s.data()));
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.ends_with("s") && s.size() > 1) s.remove_suffix(1);
  constexpr int64_t k_second = 1000, k_minute = 60 * k_second, k_hour = 60 * k_minute,
                    k_day = 24 * k_hour;
  if (s == "millisecond") return amount;
  if (s == "second") return amount * k_second;
  if (s == "minute") return amount * k_minute;
  if (s == "hour") return amount * k_hour;
  if (s == "day") return amount * k_day;
  if (s == "week") return amount * 7 * k_day;
  return std::nullopt;
}

int64_t checkpoint_interval(const Metadata& m) {
  auto text = property(m, "delta.checkpointInterval");
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && v > 0 ? v : 10;
}

bool append_only(const Metadata& m) {
  return property(m, "delta.appendOnly") == "true";
}

int64_t log_retention_ms(const Metadata& m) {
  return parse_interval_ms(property(m, "delta.logRetentionDuration"))
      .value_or(30LL * 24 * 3600 * 1000);
}

int64_t deleted_file_retention_ms(const Metadata& m) {
  return parse_interval_ms(property(m, "delta.deletedFileRetentionDuration"))
      .value_or(7LL * 24 * 3600 * 1000);
}

std::optional<int64_t> set_transaction_retention_ms(const Metadata& m) {
  return parse_interval_ms(property(m, "delta.setTransactionRetentionDuration"));
}

}  // namespace sl::delta
