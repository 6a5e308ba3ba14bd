// The owner of a forked child process: whatever happens between fork and the caller's wait (an
// exception, a signal's unwind, an early return), the child does not outlive its owner
// unreaped: the destructor kills it (SIGKILL) and reaps it.
#pragma once

#include <sys/types.h>

namespace luksfit::sys {

class ChildProcess
{
public:
	ChildProcess() noexcept = default;
	explicit ChildProcess(pid_t pid) noexcept : pid_(pid) {}
	ChildProcess(ChildProcess &&o) noexcept;
	ChildProcess &operator=(ChildProcess &&o) noexcept;
	ChildProcess(const ChildProcess &) = delete;
	ChildProcess &operator=(const ChildProcess &) = delete;
	~ChildProcess() { kill_and_reap(); }

	bool valid() const noexcept { return pid_ > 0; }

	// Waits for the child to end (retrying on EINTR); nothing left to own afterwards.
	void reap() noexcept;
	// SIGKILL, then reap(): for a child that did not answer in time.
	void kill_and_reap() noexcept;

private:
	pid_t pid_ = -1;
};

} // namespace luksfit::sys
