// Unix times as text, in UTC (bench results, cache notes).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace luksfit::util {

enum class TimeStyle {
	Iso8601,  // "2026-11-23T21:58:04Z", for JSON
	Readable, // "2026-11-23 21:58 UTC", for people
};

// `unix_time` as text in UTC. (The formats are literals so that -Wformat checks them.)
inline std::string utc_time_text(std::int64_t unix_time, TimeStyle style)
{
	const auto tt = static_cast<std::time_t>(unix_time);
	std::tm tm{};
	gmtime_r(&tt, &tm);
	char buf[64];
	const std::size_t n = style == TimeStyle::Iso8601
				      ? std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm)
				      : std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
	return std::string(buf, n);
}

} // namespace luksfit::util
