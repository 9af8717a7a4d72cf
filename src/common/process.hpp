// Running child programs: argv only (never a shell), output captured, exit status as a value.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace sl::process {

struct Outcome {
  int exit_code = -1;  // -1 when killed by a signal (see `signal`)
  int signal = 0;
  std::string output;  // stdout and stderr, interleaved
  bool succeeded() const { return exit_code == 0; }
};

// Runs argv[0] (looked up in PATH) with the given arguments and waits for it. An error is
// returned only when the program cannot be started; a non-zero exit is an Outcome.
Result<Outcome> run(const std::vector<std::string>& argv);

// Replaces the current process image (for `db psql`); returns only on failure.
Error exec(const std::vector<std::string>& argv);

// "a b 'c d'": argv rendered for messages.
std::string render(const std::vector<std::string>& argv);

// Whether a program is on PATH (or an existing path).
bool on_path(const std::string& program);

// Makes the calling thread (only it: Linux schedules threads as tasks) yield to the others: CPU
// nice 19 and the lowest best-effort IO priority. For background work such as table maintenance
// that must not delay the ingest. Best effort: failures are ignored.
void lower_thread_priority();

}  // namespace sl::process
