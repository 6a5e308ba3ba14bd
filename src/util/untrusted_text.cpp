#include "util/untrusted_text.hpp"

#include <array>

namespace luksfit::util {
namespace {

// The code point of the valid UTF-8 sequence at the start of `s` and its length; length 0 when
// the bytes are not valid UTF-8 (bad lead or continuation byte, overlong form, surrogate, beyond
// U+10FFFF, cut short).
struct Decoded {
	char32_t cp = 0;
	std::size_t len = 0;
};

Decoded decode_utf8(std::string_view s)
{
	const auto lead = static_cast<unsigned char>(s.front());
	if (lead < 0x80)
		return {lead, 1};
	std::size_t len = 0;
	char32_t cp = 0, min = 0;
	if ((lead & 0xe0) == 0xc0)
		len = 2, cp = lead & 0x1f, min = 0x80;
	else if ((lead & 0xf0) == 0xe0)
		len = 3, cp = lead & 0x0f, min = 0x800;
	else if ((lead & 0xf8) == 0xf0)
		len = 4, cp = lead & 0x07, min = 0x10000;
	if (len == 0 || s.size() < len)
		return {};
	for (std::size_t i = 1; i < len; ++i) {
		const auto b = static_cast<unsigned char>(s[i]);
		if ((b & 0xc0) != 0x80)
			return {};
		cp = (cp << 6) | (b & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return {};
	return {cp, len};
}

// Shown as it is: not a control character, and not one of the invisible characters that
// reorder or hide text on screen (Arabic letter mark, zero-width characters, LRM/RLM, line and
// paragraph separators, bidi embeddings, overrides and isolates, word joiner.., BOM).
bool shown_raw(char32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return false;
	return cp != 0x061c && !(cp >= 0x200b && cp <= 0x200f) && !(cp >= 0x2028 && cp <= 0x202e) &&
	       !(cp >= 0x2060 && cp <= 0x206f) && cp != 0xfeff;
}

void append_escaped(std::string &out, std::string_view bytes)
{
	constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
					       '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
	for (const char c : bytes) {
		const auto b = static_cast<unsigned char>(c);
		out += "\\x";
		out += kHex[b >> 4];
		out += kHex[b & 0xf];
	}
}

// Walks `s`, calling raw(bytes) for what may be shown and escaped(bytes) for the rest; stops
// (returning false) when a callback does.
template <typename Raw, typename Escaped> bool walk(std::string_view s, Raw raw, Escaped escaped)
{
	while (!s.empty()) {
		const Decoded d = decode_utf8(s);
		const std::size_t len = d.len == 0 ? 1 : d.len;
		const bool ok = d.len != 0 && shown_raw(d.cp);
		if (!(ok ? raw(s.substr(0, len)) : escaped(s.substr(0, len))))
			return false;
		s.remove_prefix(len);
	}
	return true;
}

bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

std::string printable(std::string_view raw)
{
	std::string out;
	out.reserve(raw.size());
	walk(
		raw,
		[&out](std::string_view b) {
			out += b;
			return true;
		},
		[&out](std::string_view b) {
			append_escaped(out, b);
			return true;
		});
	return out;
}

bool is_printable(std::string_view s)
{
	return walk(
		s, [](std::string_view) { return true; }, [](std::string_view) { return false; });
}

bool is_canonical_uuid(std::string_view s)
{
	if (s.size() != 36)
		return false;
	for (std::size_t i = 0; i < s.size(); ++i) {
		const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false;
	}
	return true;
}

} // namespace luksfit::util
