// SIGINT/SIGTERM/SIGHUP become an orderly unwind: the handler only records the signal; long
// operations call throw_if_interrupted() between steps, destructors clean up, and cli::run()
// finally re-raises the signal so the parent sees the real cause.
#pragma once

#include "util/error.hpp"

namespace luksfit::sys {

// Thrown by throw_if_interrupted(); carries the signal number.
class Interrupted : public Failure
{
public:
	explicit Interrupted(int sig);
	int signal() const noexcept { return sig_; }

private:
	int sig_;
};

// Installs the handlers (without SA_RESTART, so blocking calls return EINTR). Idempotent.
void install_interrupt_handlers();

// The first signal received since install, or 0.
int pending_interrupt() noexcept;

void throw_if_interrupted();

// Restores the default action and raises `sig`: the process ends as if killed by it.
[[noreturn]] void reraise(int sig);

} // namespace luksfit::sys
