#include "system/block/device_tag.hpp"

#include <blkid/blkid.h>

#include "util/unique_handle.hpp"

namespace luksfit::sys {
Expected<std::string> find_device_by_tag(const std::string &tag, const std::string &value)
{
	// blkid_evaluate_tag returns a malloc'd path, or NULL when no device carries the tag.
	util::UniqueHandle<char, util::free_memory> path(
		blkid_evaluate_tag(tag.c_str(), value.c_str(), nullptr));
	if (!path)
		return Error{ExitCode::WrongDevice, "no device with " + tag + "=" + value,
			     "check the crypttab entry; 'blkid' lists the devices and their tags"};
	return std::string(path.get());
}

} // namespace luksfit::sys
