// The controlling terminal, for questions that must come from a person (format's "type YES").
#pragma once

#include <optional>
#include <string>
#include <termios.h>

namespace luksfit::sys {

// Whether `fd` is a terminal (progress bars only go to terminals).
bool is_terminal(int fd);

// True when /dev/tty can be opened: someone is there to answer.
bool have_terminal();

// Writes `prompt` to /dev/tty and reads one line (echo on); nullopt without a terminal or on
// end of input. SIGINT/SIGTERM while waiting throw sys::Interrupted.
std::optional<std::string> ask_terminal(const std::string &prompt);

// Echo off on terminal `fd` while a secret is typed (newlines still echoed); the saved
// settings come back on destruction, also while unwinding.
class EchoOff
{
public:
	explicit EchoOff(int fd);
	~EchoOff();
	EchoOff(const EchoOff &) = delete;
	EchoOff &operator=(const EchoOff &) = delete;

	// Discards what was typed but not read (the rest of an over-long line, keys typed before
	// a signal): left queued, the next program reading the terminal, a shell maybe, gets it.
	void discard_input();

private:
	int fd_;
	termios saved_{};
	bool active_ = false;
};

} // namespace luksfit::sys
