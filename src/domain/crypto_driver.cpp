#include "domain/crypto_driver.hpp"

#include <string>

namespace luksfit::domain {
namespace {

std::string_view trim(std::string_view s)
{
	const auto b = s.find_first_not_of(" \t");
	const auto e = s.find_last_not_of(" \t\r");
	return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

struct Entry {
	std::string name, driver;
	long priority = -1;
	bool selftest_ok = true;
};

} // namespace

std::string best_driver(std::string_view text, std::string_view algorithm)
{
	std::string best;
	long best_prio = -1;
	Entry cur;
	auto flush = [&] {
		if (cur.name == algorithm && cur.selftest_ok && cur.priority > best_prio) {
			best = cur.driver;
			best_prio = cur.priority;
		}
		cur = Entry{};
	};
	std::size_t pos = 0;
	while (pos <= text.size()) {
		const auto end = std::min(text.find('\n', pos), text.size());
		const std::string_view line = text.substr(pos, end - pos);
		pos = end + 1;
		if (trim(line).empty()) {
			flush();
			if (end == text.size())
				break;
			continue;
		}
		const auto colon = line.find(':');
		if (colon == std::string_view::npos)
			continue;
		const std::string_view key = trim(line.substr(0, colon));
		const std::string_view val = trim(line.substr(colon + 1));
		if (key == "name")
			cur.name = val;
		else if (key == "driver")
			cur.driver = val;
		else if (key == "priority")
			cur.priority = std::stol(std::string(val));
		else if (key == "selftest")
			cur.selftest_ok = val != "unknown" && val != "failed";
	}
	flush();
	return best;
}

} // namespace luksfit::domain
