#include "system/os/terminal.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "system/os/signals.hpp"
#include "util/eintr.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

bool is_terminal(int fd)
{
	return ::isatty(fd) == 1;
}

bool have_terminal()
{
	UniqueFd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
	return tty.valid();
}

std::optional<std::string> ask_terminal(const std::string &prompt)
{
	UniqueFd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
	if (!tty.valid())
		return std::nullopt;
	if (::write(tty.get(), prompt.data(), prompt.size()) < 0)
		return std::nullopt;
	std::string line;
	for (;;) {
		char c = 0;
		const ssize_t n = util::retry_eintr([&] { return ::read(tty.get(), &c, 1); },
						    [] { return throw_if_interrupted(), false; });
		if (n <= 0)
			return line.empty() ? std::nullopt : std::optional<std::string>(line);
		if (c == '\n')
			return line;
		line += c;
	}
}

EchoOff::EchoOff(int fd) : fd_(fd)
{
	if (::tcgetattr(fd_, &saved_) != 0)
		return;
	termios quiet = saved_;
	quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
	quiet.c_lflag |= ECHONL;
	active_ = ::tcsetattr(fd_, TCSANOW, &quiet) == 0;
}

EchoOff::~EchoOff()
{
	if (!active_)
		return;
	// A signal may interrupt it (EINTR): try again, a bounded number of times (a process put
	// in the background gets SIGTTOU on every try).
	for (int i = 0; i < 3; ++i)
		if (::tcsetattr(fd_, TCSANOW, &saved_) == 0 || errno != EINTR)
			return;
}

void EchoOff::discard_input()
{
	::tcflush(fd_, TCIFLUSH);
}

} // namespace luksfit::sys
