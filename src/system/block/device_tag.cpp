#include "system/block/device_tag.hpp"

#include <cstdlib>
#include <memory>

#include <blkid/blkid.h>

namespace luksfit::sys {
namespace {

struct FreeString {
	void operator()(char *s) const noexcept { std::free(s); }
};

} // namespace

Expected<std::string> find_device_by_tag(const std::string &tag, const std::string &value)
{
	// blkid_evaluate_tag returns a malloc'd path, or NULL when no device carries the tag.
	std::unique_ptr<char, FreeString> path(blkid_evaluate_tag(tag.c_str(), value.c_str(), nullptr));
	if (!path)
		return Error{ExitCode::WrongDevice, "no device with " + tag + "=" + value,
			     "check the crypttab entry; 'blkid' lists the devices and their tags"};
	return std::string(path.get());
}

} // namespace luksfit::sys
