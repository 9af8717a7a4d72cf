// Silver → Gold for one year: the sport bonus and the well-being days of every employee (with
// the reason of each decision), the year's KPIs overall and by business unit, and activities
// per month and sport; the distribution of sporty commute distances (1 km bins) and of how many
// activities employees are short of the well-being days, so the dashboard's viewer role draws
// them without per-employee rows (both written to the lake only, not published). Pure: the same Silver, rules and year always give the same Gold, so any
// past year can be recomputed under any rule set.
//
// Who is counted in year Y: every employee of Silver hired before the end of Y (the HR file has
// no departure date: a departure is a delete in the source, gone from Silver). The bonus uses
// the current salary, mode and address (the HR file keeps no history of them); well-being counts
// the activities whose local start date falls in Y.
#pragma once

#include "lakehouse/silver_model.hpp"
#include "rewards/rules.hpp"

namespace sl::lakehouse {

Gold build_gold(const Silver& silver, int year, const rewards::RewardRules& rules);

}  // namespace sl::lakehouse
