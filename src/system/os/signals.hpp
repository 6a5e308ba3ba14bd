// SIGINT/SIGTERM/SIGHUP become an orderly unwind: the handler only records the signal; long
// operations call throw_if_interrupted() between steps, destructors clean up, and cli::run()
// finally re-raises the signal so the parent sees the real cause.
#pragma once

#include <optional>

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

// The same failure as an Error, for functions that return Expected (they never throw): nullopt
// when no signal is pending. cli::run() ends by the pending signal either way.
std::optional<Error> interruption();

// Restores the default action and raises `sig`: the process ends as if killed by it.
[[noreturn]] void reraise(int sig);

// While a secret is typed on a terminal (echo off), no signal may end or stop the process
// before the terminal is restored: SIGINT, SIGTERM, SIGHUP and SIGQUIT are recorded as
// pending_interrupt() (SIGQUIT would otherwise kill it at once), SIGTSTP, SIGTTIN and SIGTTOU
// as take_stop(), and blocking calls return EINTR. Signals the process ignored stay ignored;
// the previous actions come back on destruction.
class PromptSignals
{
public:
	PromptSignals();
	~PromptSignals();
	PromptSignals(const PromptSignals &) = delete;
	PromptSignals &operator=(const PromptSignals &) = delete;

	// The stop signal received since the prompt began (or the last call), or 0.
	int take_stop() noexcept;
	bool stop_pending() const noexcept;
};

// Stops the process with `sig` (SIGTSTP, SIGTTIN, SIGTTOU) as its default action would, once
// the terminal is restored; returns when the process is continued (at once in an orphaned
// process group, where the kernel discards such stops).
void stop_as_default(int sig);

} // namespace luksfit::sys
