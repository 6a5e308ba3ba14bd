#include <sstream>

#include "catch_compat.hpp"

#include "render/udev_render.hpp"

using luksfit::domain::UdevProperty;
using namespace luksfit::render;

TEST_CASE("udev values keep [A-Za-z0-9._:-] and replace everything else")
{
	CHECK(udev_value("aes-xts-plain64") == "aes-xts-plain64");
	CHECK(udev_value("aes-cbc-essiv:sha256") == "aes-cbc-essiv:sha256");
	CHECK(udev_value("xchacha12,aes-adiantum-plain64") == "xchacha12_aes-adiantum-plain64");
	CHECK(udev_value("a b\"c'd$(e)`f`\\g\nh=i;j") == "a_b_c_d__e__f__g_h_i_j");
	CHECK(udev_value("caf\xc3\xa9") == "caf__"); // UTF-8 bytes, one '_' each
	CHECK(udev_value(std::string(300, 'x')).size() == 128);
}

TEST_CASE("KEY=value lines: one per property, unsafe keys and empty values left out")
{
	std::ostringstream out;
	udev_properties_text(out, {{"LUKSFIT_CIPHER", "xchacha12,aes-adiantum-plain64"},
				   {"LUKSFIT_KEY_SIZE", "256"},
				   {"LUKSFIT_EMPTY", ""},
				   {"bad key", "1"},
				   {"LUKSFIT_X=Y", "1"},
				   {"LUKSFIT_LABEL", "$(reboot)\nLUKSFIT_ADVICE=none"}});
	CHECK(out.str() == "LUKSFIT_CIPHER=xchacha12_aes-adiantum-plain64\n"
			   "LUKSFIT_KEY_SIZE=256\n"
			   "LUKSFIT_LABEL=__reboot__LUKSFIT_ADVICE_none\n");
}

TEST_CASE("the JSON payload has the same shell-safe values")
{
	const auto j = udev_properties_json(
		{{"LUKSFIT_CIPHER", "xchacha12,aes-adiantum-plain64"}, {"LUKSFIT_EMPTY", ""}});
	CHECK(j.size() == 1);
	CHECK(j["LUKSFIT_CIPHER"] == "xchacha12_aes-adiantum-plain64");
}
