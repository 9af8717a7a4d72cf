// Statistical secrecy: what a viewer (a role without access to per-employee rows) may read of
// the Gold aggregates. A bonus is 5 % of a salary, so any money figure that sums one or two
// people's bonuses gives their pay back: a business unit with one eligible employee, or the year's
// largest bonus. France's statistical-secrecy rule (INSEE, "secret statistique") publishes an
// aggregate only when it counts at least three contributors, and hides a second cell when a
// single hidden one could be recovered by subtracting the others from the total ("secret
// secondaire"). The same rule applies here; hr reads every figure.
#pragma once

#include <cstdint>
#include <memory>

#include "columnar/column.hpp"

namespace sl::serve {

// Fewest contributors a published money figure may count.
inline constexpr int64_t k_min_contributors = 3;

// `rows` of a Gold aggregate table as a viewer may read them: `max_bonus_eur` (one person's
// figure) null in every row; `total_bonus_eur` null where `eligible_bonus` counts 1 or 2 people,
// and, when that hides exactly one row of several, also in the row with the next fewest eligible
// employees. Tables without those columns come back unchanged (the same pointer).
std::shared_ptr<const columnar::RecordBatch> hide_small_groups(
    std::shared_ptr<const columnar::RecordBatch> rows);

}  // namespace sl::serve
