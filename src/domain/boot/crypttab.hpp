// /etc/crypttab (crypttab(5)): "NAME DEVICE [KEYFILE [OPTIONS]]" per line, '#' comments,
// fields separated by blanks, options separated by commas ("luks,discard,keyscript=...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace luksfit::domain {

enum class DeviceRefKind { Path, Uuid, PartUuid, Label, PartLabel };

struct DeviceRef {
	DeviceRefKind kind = DeviceRefKind::Path;
	std::string value; // the path, or the tag's value without "UUID="

	std::string text() const; // back to crypttab's form
	std::string tag() const;  // "UUID", "PARTUUID", "LABEL", "PARTLABEL"; "" for a path
};

struct CrypttabEntry {
	std::string name; // the mapping, /dev/mapper/NAME
	DeviceRef device;
	std::optional<std::string> keyfile; // nullopt for "none", "-" or a missing field
	std::vector<std::pair<std::string, std::string>>
		options; // {"discard",""}, {"keyscript","x"}
	int line = 0;	 // 1-based, for messages

	bool has_option(std::string_view key) const;
	std::optional<std::string> option(std::string_view key) const;
};

struct CrypttabIssue {
	int line = 0;
	std::string message;
};

struct Crypttab {
	std::vector<CrypttabEntry> entries;
	std::vector<CrypttabIssue> issues; // lines that could not be read (fewer than 2 fields)
};

DeviceRef parse_device_ref(std::string_view text);
Crypttab parse_crypttab(std::string_view text);

} // namespace luksfit::domain
