#include <limits>
#include <sstream>

#include "catch_compat.hpp"

#include "render/progress.hpp"

using luksfit::render::Progress;

namespace {

// One frame as Progress draws it: "\r<label> [<30 cells>] <percent>%".
std::string progress_frame(const std::string &label, int filled, int percent)
{
	return "\r" + label + " [" + std::string(static_cast<std::size_t>(filled), '#') +
	       std::string(static_cast<std::size_t>(30 - filled), ' ') + "] " +
	       std::to_string(percent) + "%";
}

const std::string kClearLine = "\r\033[K";

} // namespace

TEST_CASE("an enabled bar draws one frame per update on a single line")
{
	std::ostringstream err;
	Progress p(err, true, "bench dmcrypt");
	p.update(0.0);
	p.update(0.5);
	p.update(1.0);
	CHECK(err.str() == progress_frame("bench dmcrypt", 0, 0) +
				   progress_frame("bench dmcrypt", 15, 50) +
				   progress_frame("bench dmcrypt", 30, 100));
	CHECK(err.str().find('\n') == std::string::npos);
}

TEST_CASE("partial cells round down")
{
	std::ostringstream err;
	Progress p(err, true, "x");
	p.update(0.999);
	CHECK(err.str() == progress_frame("x", 29, 99));
}

TEST_CASE("finish clears the line once; the destructor clears a line left drawn")
{
	std::ostringstream err;
	{
		Progress p(err, true, "bench afalg");
		p.update(0.25);
		p.finish();
		CHECK(err.str() == progress_frame("bench afalg", 7, 25) + kClearLine);
		p.finish();
		CHECK(err.str() == progress_frame("bench afalg", 7, 25) + kClearLine);
		p.update(0.5);
	}
	CHECK(err.str() == progress_frame("bench afalg", 7, 25) + kClearLine +
				   progress_frame("bench afalg", 15, 50) + kClearLine);
}

TEST_CASE("finish without a frame drawn writes nothing")
{
	std::ostringstream err;
	{
		Progress p(err, true, "bench");
		p.finish();
	}
	CHECK(err.str().empty());
}

TEST_CASE("a disabled bar writes nothing at all")
{
	std::ostringstream err;
	{
		Progress p(err, false, "bench dmcrypt");
		p.update(0.3);
		p.update(1.0);
		p.finish();
	}
	CHECK(err.str().empty());
}

TEST_CASE("fractions outside 0..1 are clamped, NaN drawn as 0")
{
	std::ostringstream err;
	Progress p(err, true, "b");
	p.update(-0.5);
	p.update(1.7);
	p.update(std::numeric_limits<double>::infinity());
	p.update(std::numeric_limits<double>::quiet_NaN());
	CHECK(err.str() == progress_frame("b", 0, 0) + progress_frame("b", 30, 100) +
				   progress_frame("b", 30, 100) + progress_frame("b", 0, 0));
}
