// Text from outside luksfit (a LUKS header, a file-system label, a cache file): how it is shown,
// and the checks it must pass before it goes into a file. docs/threat-model.md says which values
// are outside ones and where they enter.
#pragma once

#include <string>
#include <string_view>

namespace luksfit::util {

// `raw` with every byte that could act on a terminal, break a line or disguise text written as
// \xNN (lower-case hex): C0 controls (newline, tab, ESC...), DEL, C1 controls, bidirectional and
// invisible format characters (each of their UTF-8 bytes), and every byte that is not part of
// valid UTF-8. Printable UTF-8 is kept, and so is '\': escaping twice changes nothing.
std::string printable(std::string_view raw);

// True when printable(s) == s: no byte would be escaped.
bool is_printable(std::string_view s);

// Canonical UUID text: 36 characters, 8-4-4-4-12 hexadecimal digits (either case).
bool is_canonical_uuid(std::string_view s);

} // namespace luksfit::util
