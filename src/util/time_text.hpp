// Unix times as text, in UTC (bench results, cache notes).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace luksfit::util {

// `unix_time` formatted by strftime(3) `format` in UTC, e.g. "%Y-%m-%dT%H:%M:%SZ".
inline std::string utc_time_text(std::int64_t unix_time, const char *format)
{
	const auto tt = static_cast<std::time_t>(unix_time);
	std::tm tm{};
	gmtime_r(&tt, &tm);
	char buf[64];
	return std::strftime(buf, sizeof(buf), format, &tm) ? std::string(buf) : std::string();
}

} // namespace luksfit::util
