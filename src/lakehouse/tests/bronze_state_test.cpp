// BronzeState: the last change per key wins by (_commit_lsn, _lsn) whatever the order of the log,
// a delete removes the key, composite and integer keys, typed access by name.
#include "lakehouse/bronze_state.hpp"

#include <gtest/gtest.h>

#include "delta/memory_storage.hpp"
#include "delta/table_writer.hpp"
#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {
namespace {

struct Change {
  int64_t id;
  std::string city;
  std::string op;
  int64_t commit_lsn, lsn;
  std::optional<std::string> name;
};

columnar::RecordBatch log_of(const std::vector<Change>& changes) {
  TableBuilder t({long_field("id", false), string_field("city"), string_field("name"),
                  string_field("_op", false), long_field("_lsn", false),
                  long_field("_commit_lsn", false)});
  for (const auto& c : changes)
    t.long_(c.id).text(c.city).text(c.name).text(c.op).long_(c.lsn).long_(c.commit_lsn).end_row();
  return t.take();
}

std::vector<std::string> names(const BronzeState& s) {
  std::vector<std::string> out;
  for (size_t row : s.rows()) out.push_back(s.text("name", row).value_or("null"));
  return out;
}

TEST(BronzeState, LastChangeWinsAndDeletesRemove) {
  // Out of order on purpose: a transaction that began earlier (smaller _lsn) but committed later.
  auto state = BronzeState::of(log_of({{1, "a", "u", 300, 250, "one v3"},
                                       {1, "a", "r", 100, 100, "one v1"},
                                       {2, "a", "r", 100, 100, "two"},
                                       {1, "a", "u", 200, 260, "one v2"},
                                       {2, "a", "d", 400, 390, "two"},
                                       {3, "a", "c", 500, 450, std::nullopt}}),
                               {"id"});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->changes(), 6u);
  EXPECT_EQ(names(*state), (std::vector<std::string>{"one v3", "null"}));
  EXPECT_EQ(state->integer("id", state->rows()[1]), 3);
  EXPECT_FALSE(state->text("name", state->rows()[1]).has_value());
  EXPECT_FALSE(state->has("missing"));
  EXPECT_FALSE(state->integer("name", 0).has_value()) << "a string is not an integer";
}

TEST(BronzeState, CompositeKeys) {
  auto state = BronzeState::of(log_of({{1, "a", "r", 100, 100, "1a"},
                                       {1, "b", "r", 100, 100, "1b"},
                                       {1, "a", "u", 200, 150, "1a v2"}}),
                               {"id", "city"});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(names(*state), (std::vector<std::string>{"1a v2", "1b"}));
}

TEST(BronzeState, ReplayedChangeKeepsLogOrderAndKeysRankByFirstChange) {
  // Key 5 first appears after key 9 in log order; two changes of key 9 at the same position (a
  // replayed change): the later row wins.
  auto state = BronzeState::of(log_of({{5, "a", "r", 300, 300, "five"},
                                       {9, "a", "r", 100, 100, "nine v1"},
                                       {9, "a", "u", 200, 200, "nine v2"},
                                       {9, "a", "u", 200, 200, "nine v2 again"}}),
                               {"id"});
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(names(*state), (std::vector<std::string>{"nine v2 again", "five"}));
}

// Read from a Delta table of several data files, on two threads: the same state as from the
// whole log in memory, and only the columns asked for (plus keys and change metadata).
TEST(BronzeState, ReadsEveryDataFileOfTheTable) {
  std::vector<Change> changes;
  for (int64_t i = 0; i < 1000; ++i) {
    changes.push_back({i % 300, "c", i < 300 ? "r" : (i % 7 == 0 ? "d" : "u"), 1000 + i, 1000 + i,
                       "v" + std::to_string(i)});
  }
  delta::MemoryStorage storage;
  delta::WriteOptions write;
  write.max_rows_per_file = 128;  // 8 files
  ASSERT_TRUE(delta::write_table(storage, log_of(changes), write).ok());
  auto read = BronzeState::read(storage, {"id"}, {"name"}, 2);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  ASSERT_TRUE(read->has_value());
  auto whole = BronzeState::of(log_of(changes), {"id"});
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ((*read)->changes(), 1000u);
  EXPECT_EQ(names(**read), names(*whole));
  EXPECT_FALSE((*read)->has("city")) << "not asked for";
  for (size_t k = 0; k < (*read)->rows().size(); ++k)
    EXPECT_EQ((*read)->integer("id", (*read)->rows()[k]), whole->integer("id", whole->rows()[k]));

  delta::MemoryStorage nothing;
  auto absent = BronzeState::read(nothing, {"id"});
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value()) << "no table yet";
}

TEST(BronzeState, RefusesWhatIsNotABronzeTable) {
  auto batch = log_of({});
  EXPECT_FALSE(BronzeState::of(batch, {"nope"}).ok());
  TableBuilder plain({long_field("id")});
  plain.long_(1).end_row();
  EXPECT_FALSE(BronzeState::of(plain.take(), {"id"}).ok());
}

}  // namespace
}  // namespace sl::lakehouse
