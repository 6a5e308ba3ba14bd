// The one EINTR loop: a system call interrupted by a signal is made again, unless the caller
// has a reason to stop (luksfit's signal handlers run without SA_RESTART so that a pending
// SIGINT or SIGTERM can end a blocking call: system/os/signals.hpp).
#pragma once

#include <cerrno>

namespace luksfit::util {

// Calls `call()` until it does not fail with EINTR, or `give_up()` (asked after each EINTR; it
// may also throw) returns true. Returns the last result; errno is as the call left it.
template <typename Call, typename GiveUp> auto retry_eintr(Call call, GiveUp give_up)
{
	for (;;) {
		const auto r = call();
		if (r >= 0 || errno != EINTR)
			return r;
		if (give_up()) {
			errno = EINTR;
			return r;
		}
	}
}

// Retries on every EINTR: for calls that end soon (reads of regular files, socket reads).
template <typename Call> auto retry_eintr(Call call)
{
	return retry_eintr(call, [] { return false; });
}

} // namespace luksfit::util
