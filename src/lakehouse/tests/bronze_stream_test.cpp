// BronzeStream: the same current state as BronzeState (the last change per key by
// (_commit_lsn, _lsn), deletes gone) when read one data file at a time, late transactions and
// keys spread over files included; each file hands over only its current rows.
#include "lakehouse/bronze_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <regex>

#include "delta/memory_storage.hpp"
#include "delta/table_writer.hpp"
#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {
namespace {

struct Change {
  int64_t id;
  std::string op;
  int64_t commit_lsn, lsn;
  std::string name;
};

columnar::RecordBatch log_of(const std::vector<Change>& changes) {
  TableBuilder t({long_field("id"), string_field("name"), string_field("city"),
                  string_field("_op", false), long_field("_lsn", false),
                  long_field("_commit_lsn", false)});
  for (const auto& c : changes)
    t.long_(c.id).text(c.name).text("c").text(c.op).long_(c.lsn).long_(c.commit_lsn).end_row();
  return t.take();
}

std::map<int64_t, std::string> current(const BronzeState& s) {
  std::map<int64_t, std::string> out;
  for (size_t row : s.rows()) {
    EXPECT_FALSE(out.contains(s.integer("id", row).value_or(-1))) << "a key twice";
    out[s.integer("id", row).value_or(-1)] = s.text("name", row).value_or("null");
  }
  return out;
}

// `n` changes over 14 files, keys coming back `n / 450` times.
void expect_same_current_state(int64_t n) {
  std::vector<Change> changes;
  const int64_t keys = n * 450 / 2000;
  for (int64_t i = 0; i < n; ++i) {
    // Keys come back across files; every 11th change belongs to a transaction that committed
    // earlier than its neighbours (a late transaction: lower commit LSN, later in the log).
    const int64_t commit = i % 11 == 0 ? 500 + i / 4 : 1000 + i;
    changes.push_back({i % keys, i < keys ? "r" : (i % 7 == 0 ? "d" : "u"), commit, 1000 + i,
                       "v" + std::to_string(i)});
  }
  delta::MemoryStorage storage;
  delta::WriteOptions write;
  write.max_rows_per_file = static_cast<size_t>(n / 14 + 7);  // 14 files
  ASSERT_TRUE(delta::write_table(storage, log_of(changes), write).ok());
  auto whole = BronzeState::of(log_of(changes), {"id"});
  ASSERT_TRUE(whole.ok());

  for (size_t threads : {1, 2, 3}) {
    auto stream = BronzeStream::open(storage, "id", {"name"}, threads);
    ASSERT_TRUE(stream.ok()) << stream.error().to_string();
    ASSERT_TRUE(stream->has_value());
    EXPECT_EQ((*stream)->changes(), static_cast<size_t>(n));
    EXPECT_EQ((*stream)->current_rows(), whole->rows().size());
    std::map<int64_t, std::string> streamed;
    size_t files = 0;
    auto st = (*stream)->for_each_file(storage, [&](const BronzeState& file) -> Status {
      ++files;
      EXPECT_FALSE(file.has("city")) << "not asked for";
      EXPECT_TRUE(std::is_sorted(file.rows().begin(), file.rows().end())) << "rows in file order";
      for (const auto& [id, name] : current(file)) {
        EXPECT_FALSE(streamed.contains(id)) << "key " << id << " in two files";
        streamed[id] = name;
      }
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    EXPECT_GT(files, 1u);
    EXPECT_EQ(streamed, current(*whole)) << n << " changes, " << threads << " threads";
  }
}

TEST(BronzeStream, SameCurrentStateAsBronzeStateFileByFile) {
  expect_same_current_state(2000);
  expect_same_current_state(100'000);  // a log sorted on two threads (parallel_sort's threshold)

  delta::MemoryStorage nothing;
  auto absent = BronzeStream::open(nothing, "id", {});
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value()) << "no table yet";
}

// The commit's `add` actions with their stats rewritten by `edit` (the JSON text of the log).
void edit_commit(delta::MemoryStorage& storage, const std::function<std::string(std::string)>& edit) {
  const std::string commit = "_delta_log/00000000000000000000.json";
  auto text = storage.read(commit);
  ASSERT_TRUE(text.ok());
  ASSERT_NE(text->find("numRecords"), std::string::npos) << *text;
  ASSERT_TRUE(storage.put(commit, edit(*text)).ok());
}

// Files without stats (a table written by a tool that leaves them out) have their changes
// counted by a read; a file whose stats disagree with its rows is refused, not misread.
TEST(BronzeStream, CountsFilesWithoutStatsAndRefusesWrongOnes) {
  std::vector<Change> changes;
  for (int64_t i = 0; i < 600; ++i)
    changes.push_back({i % 100, i < 100 ? "r" : (i % 5 == 0 ? "d" : "u"), 1000 + i, 1000 + i,
                       "v" + std::to_string(i)});
  delta::WriteOptions write;
  write.max_rows_per_file = 150;  // 4 files
  write.write_checkpoints = false;
  auto whole = BronzeState::of(log_of(changes), {"id"});
  ASSERT_TRUE(whole.ok());

  delta::MemoryStorage without_stats;
  ASSERT_TRUE(delta::write_table(without_stats, log_of(changes), write).ok());
  edit_commit(without_stats, [](std::string text) {
    text = std::regex_replace(text, std::regex(R"(,"stats":"([^"\\]|\\.)*")"), "");
    EXPECT_EQ(text.find("numRecords"), std::string::npos) << text;
    return text;
  });
  auto stream = BronzeStream::open(without_stats, "id", {"name"}, 2);
  ASSERT_TRUE(stream.ok()) << stream.error().to_string();
  EXPECT_EQ((*stream)->changes(), 600u);
  std::map<int64_t, std::string> streamed;
  ASSERT_TRUE((*stream)->for_each_file(without_stats, [&](const BronzeState& file) -> Status {
    for (const auto& [id, name] : current(file)) streamed[id] = name;
    return {};
  }).ok());
  EXPECT_EQ(streamed, current(*whole));

  delta::MemoryStorage wrong_stats;
  ASSERT_TRUE(delta::write_table(wrong_stats, log_of(changes), write).ok());
  edit_commit(wrong_stats, [](std::string text) {
    const std::string stated = "numRecords\\\":150";  // in the JSON text of the stats' JSON text
    const auto at = text.find(stated);
    EXPECT_NE(at, std::string::npos) << text;
    if (at != std::string::npos) text.replace(at, stated.size(), "numRecords\\\":151");
    return text;
  });
  auto refused = BronzeStream::open(wrong_stats, "id", {"name"}, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::corrupt) << refused.error().to_string();
}

TEST(BronzeStream, RefusesATextKey) {
  TableBuilder t({string_field("id"), string_field("_op", false), long_field("_lsn", false),
                  long_field("_commit_lsn", false)});
  t.text("a").text("r").long_(1).long_(1).end_row();
  delta::MemoryStorage storage;
  ASSERT_TRUE(delta::write_table(storage, t.take(), {}).ok());
  auto stream = BronzeStream::open(storage, "id", {});
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code, Errc::unsupported);
}

}  // namespace
}  // namespace sl::lakehouse
