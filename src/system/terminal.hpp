// The controlling terminal, for questions that must come from a person (format's "type YES").
#pragma once

#include <optional>
#include <string>

namespace luksfit::sys {

// Whether `fd` is a terminal (progress bars only go to terminals).
bool is_terminal(int fd);

// True when /dev/tty can be opened: someone is there to answer.
bool have_terminal();

// Writes `prompt` to /dev/tty and reads one line (echo on); nullopt without a terminal or on
// end of input. SIGINT/SIGTERM while waiting throw sys::Interrupted.
std::optional<std::string> ask_terminal(const std::string &prompt);

} // namespace luksfit::sys
