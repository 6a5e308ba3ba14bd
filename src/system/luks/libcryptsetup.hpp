// libcryptsetup, library-wide facts (per-device handles live in their own adapter).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace luksfit::sys {

struct LibcryptsetupVersion {
	std::string version;  // e.g. "2.7.5": the library in use when runtime, else `build`
	bool runtime = false; // reported by the loaded library itself
	std::string build;    // the version luksfit was built against
};

// The libcryptsetup version, asked once per process (cached). No release up to 2.8 has an API
// for it; every release since 2.0 names its PACKAGE_VERSION in the debug message it logs once
// per process when its crypto backend first starts. Falls back to the build version (runtime
// false) when that message does not come (crypto already started in this process).
const LibcryptsetupVersion &libcryptsetup_version();

// Asks again, uncached (for tests): a debug-logged crypt_load of an empty memfd.
LibcryptsetupVersion query_libcryptsetup_version();

// "2.7.5" from "Crypto backend (OpenSSL 3.5.1 ...) initialized in cryptsetup library version
// 2.7.5.", nothing from any other line.
std::optional<std::string> version_from_log_line(std::string_view line);

} // namespace luksfit::sys
