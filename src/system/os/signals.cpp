#include "system/os/signals.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>

namespace luksfit::sys {
namespace {

std::atomic<int> g_signal{0};

void on_signal(int sig)
{
	int expected = 0;
	g_signal.compare_exchange_strong(expected, sig);
}

std::atomic<int> g_stop{0};

void on_stop(int sig)
{
	g_stop.store(sig);
}

constexpr int kPromptSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
constexpr std::size_t kPromptSignalCount = std::size(kPromptSignals);

bool is_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// The prompt's saved actions; one prompt at a time.
struct sigaction g_saved[kPromptSignalCount];

} // namespace

Interrupted::Interrupted(int sig)
    : Failure(Error{ExitCode::Failed, std::string("interrupted by ") + sigabbrev_np(sig),
		    "nothing was left behind; run the command again"}),
      sig_(sig)
{
}

void install_interrupt_handlers()
{
	struct sigaction sa {
	};
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

std::optional<Error> interruption()
{
	if (const int sig = pending_interrupt())
		return Interrupted(sig).error();
	return std::nullopt;
}

PromptSignals::PromptSignals()
{
	g_stop.store(0);
	for (std::size_t i = 0; i < kPromptSignalCount; ++i) {
		const int sig = kPromptSignals[i];
		sigaction(sig, nullptr, &g_saved[i]);
		if (g_saved[i].sa_handler == SIG_IGN)
			continue;
		struct sigaction sa {
		};
		sa.sa_handler = is_stop(sig) ? on_stop : on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0; // no SA_RESTART: the read returns EINTR
		sigaction(sig, &sa, nullptr);
	}
}

PromptSignals::~PromptSignals()
{
	for (std::size_t i = 0; i < kPromptSignalCount; ++i)
		sigaction(kPromptSignals[i], &g_saved[i], nullptr);
}

int PromptSignals::take_stop() noexcept
{
	return g_stop.exchange(0);
}

bool PromptSignals::stop_pending() const noexcept
{
	return g_stop.load() != 0;
}

void stop_as_default(int sig)
{
	struct sigaction dfl {
	}, old{};
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, &old);
	std::raise(sig); // stopped here until SIGCONT
	sigaction(sig, &old, nullptr);
}

void reraise(int sig)
{
	std::signal(sig, SIG_DFL);
	std::raise(sig);
	std::_Exit(128 + sig);
}

} // namespace luksfit::sys
