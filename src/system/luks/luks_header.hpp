// Reads a LUKS1/LUKS2 header into the one header model, domain::LuksVolume, read-only
// (libcryptsetup crypt_init + crypt_load, metadata locking off so not even a lock file is created).
// Nothing is ever written to the target.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/volume/luks_volume.hpp"
#include "util/expected.hpp"

namespace luksfit::sys {

// The LUKS version (1 or 2) the primary header's magic announces, 0 when the first bytes are no
// LUKS signature (or the target is shorter than that); an Error when it cannot be opened.
// Reads 8 bytes and nothing else: no libcryptsetup, cheap enough for every udev event.
Expected<int> luks_signature(const std::string &path);

// The keyslot numbers in the order the LUKS2 metadata JSON (crypt_dump_json) lists them in its
// "keyslots" object; keys that are no keyslot number (0..31, as libcryptsetup writes them) are
// left out. Empty when the text is not a JSON object with a "keyslots" object.
std::vector<int> luks2_keyslot_order(std::string_view json);

class CryptDevice;

// What the header loaded into `dev` says, keyslots included: the one reader of header fields
// (path is dev.device(); device_size is left 0).
domain::LuksVolume loaded_header(CryptDevice &dev);

// loaded_header() of the volume at `path`, with its size, checked read-only (nothing locked).
// Errors: WrongDevice with a message telling "not a LUKS volume", "truncated" or "corrupted
// header" apart, or a UUID that is not canonical; Permission when it cannot be opened.
Expected<domain::LuksVolume> read_luks_header(const std::string &path);

} // namespace luksfit::sys
