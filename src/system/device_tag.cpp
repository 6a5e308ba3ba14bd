#include "system/device_tag.hpp"

#include <cstdlib>
#include <memory>

#include <blkid/blkid.h>

namespace luksfit::sys {
namespace {

struct FreeString {
	void operator()(char *s) const noexcept { std::free(s); }
};

const char *tag_name(domain::DeviceRefKind kind)
{
	switch (kind) {
	case domain::DeviceRefKind::Uuid: return "UUID";
	case domain::DeviceRefKind::PartUuid: return "PARTUUID";
	case domain::DeviceRefKind::Label: return "LABEL";
	case domain::DeviceRefKind::PartLabel: return "PARTLABEL";
	case domain::DeviceRefKind::Path: break;
	}
	return nullptr;
}

} // namespace

Expected<std::string> resolve_device(const domain::DeviceRef &ref)
{
	const char *tag = tag_name(ref.kind);
	if (tag == nullptr)
		return ref.value;
	// blkid_evaluate_tag returns a malloc'd path, or NULL when no device carries the tag.
	std::unique_ptr<char, FreeString> path(blkid_evaluate_tag(tag, ref.value.c_str(), nullptr));
	if (!path)
		return Error{ExitCode::WrongDevice, "no device with " + ref.text(),
			     "check the crypttab entry; 'blkid' lists the devices and their tags"};
	return std::string(path.get());
}

} // namespace luksfit::sys
