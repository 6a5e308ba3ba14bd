#include "system/os/child_process.hpp"

#include <csignal>
#include <sys/wait.h>
#include <utility>

#include "util/eintr.hpp"

namespace luksfit::sys {

ChildProcess::ChildProcess(ChildProcess &&o) noexcept : pid_(std::exchange(o.pid_, -1))
{
}

ChildProcess &ChildProcess::operator=(ChildProcess &&o) noexcept
{
	if (this != &o) {
		kill_and_reap();
		pid_ = std::exchange(o.pid_, -1);
	}
	return *this;
}

void ChildProcess::reap() noexcept
{
	if (!valid())
		return;
	util::retry_eintr([this] { return ::waitpid(pid_, nullptr, 0); });
	pid_ = -1;
}

void ChildProcess::kill_and_reap() noexcept
{
	if (!valid())
		return;
	::kill(pid_, SIGKILL);
	reap();
}

} // namespace luksfit::sys
