// Renders udev-probe's properties: KEY=value lines for udev's IMPORT{program} (values limited
// to [A-Za-z0-9._:-], so neither udev's parser nor a shell that sources them can be fooled by a
// crafted header), or the JSON payload of `--json`.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "domain/boot/udev_properties.hpp"
#include "render/json.hpp"

namespace luksfit::render {

// `raw` with every character outside [A-Za-z0-9._:-] replaced by '_' (e.g. the ',' of
// "xchacha12,aes-adiantum-plain64"); at most 128 characters.
std::string udev_value(std::string_view raw);

// One KEY=value line per property; keys outside [A-Z0-9_] and empty values are left out.
void udev_properties_text(std::ostream &out, const std::vector<domain::UdevProperty> &props);

// {"KEY": "value", ...} with the same shell-safe values.
Json udev_properties_json(const std::vector<domain::UdevProperty> &props);

} // namespace luksfit::render
