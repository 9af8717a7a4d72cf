// Fault points: named places where a crash test can freeze the process, to kill -9 it exactly
// there (between a data file and its commit, in the middle of a checkpoint write...).
//
// `SPORTLAKE_FAULT_POINT=NAME` or `NAME:TEXT` (TEXT must occur in the point's detail, e.g. a file
// name) makes the process stop itself with SIGSTOP when it reaches that point; the test sees the
// stopped state in /proc and sends SIGKILL. Unset (always, outside tests), a point costs one
// branch on a value read once.
#pragma once

#include <string_view>

namespace sl {

void fault_point(std::string_view name, std::string_view detail = {});

}  // namespace sl
