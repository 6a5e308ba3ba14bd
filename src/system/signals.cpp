#include "system/signals.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace luksfit::sys {
namespace {

std::atomic<int> g_signal{0};

void on_signal(int sig)
{
	int expected = 0;
	g_signal.compare_exchange_strong(expected, sig);
}

} // namespace

Interrupted::Interrupted(int sig)
	: Failure(Error{ExitCode::Failed, std::string("interrupted by ") + sigabbrev_np(sig),
			"nothing was left behind; run the command again"}),
	  sig_(sig)
{
}

void install_interrupt_handlers()
{
	struct sigaction sa{};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; // no SA_RESTART: let blocking calls return EINTR
	for (const int sig : {SIGINT, SIGTERM, SIGHUP})
		sigaction(sig, &sa, nullptr);
}

int pending_interrupt() noexcept
{
	return g_signal.load();
}

void throw_if_interrupted()
{
	if (const int sig = pending_interrupt())
		throw Interrupted(sig);
}

void reraise(int sig)
{
	std::signal(sig, SIG_DFL);
	std::raise(sig);
	std::_Exit(128 + sig);
}

} // namespace luksfit::sys
