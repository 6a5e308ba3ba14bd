#include "render/progress.hpp"

#include <algorithm>
#include <ostream>

namespace luksfit::render {

void Progress::update(double fraction)
{
	if (!enabled_)
		return;
	constexpr int width = 30;
	// NaN passes std::clamp unchanged, and casting it to int is undefined: draw it as 0.
	const double f = fraction >= 0.0 ? std::min(fraction, 1.0) : 0.0;
	const int filled = static_cast<int>(f * width);
	err_ << '\r' << label_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
	     << std::string(static_cast<std::size_t>(width - filled), ' ') << "] "
	     << static_cast<int>(f * 100) << '%' << std::flush;
	drawn_ = true;
}

void Progress::finish()
{
	if (!drawn_)
		return;
	err_ << "\r\033[K" << std::flush;
	drawn_ = false;
}

} // namespace luksfit::render
