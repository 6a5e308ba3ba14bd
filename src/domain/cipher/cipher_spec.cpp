#include "domain/cipher/cipher_spec.hpp"

#include <array>
#include <utility>

namespace luksfit::domain {
namespace {

bool valid_token(std::string_view s)
{
	if (s.empty())
		return false;
	for (const char c : s) {
		const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
				c == ',' || c == ':' || c == '(' || c == ')';
		if (!ok)
			return false;
	}
	return true;
}

Error bad_spec(std::string_view text, std::string why)
{
	return Error{ExitCode::Failed,
		     "invalid cipher specification '" + std::string(text) + "': " + std::move(why),
		     "use cryptsetup's form CIPHER-MODE-IV, e.g. aes-xts-plain64"};
}

} // namespace

std::string CipherSpec::text() const
{
	std::string s = cipher + "-" + mode;
	if (!iv.empty())
		s += "-" + iv;
	return s;
}

Expected<CipherSpec> parse_cipher_spec(std::string_view text)
{
	if (text.starts_with("capi:"))
		return bad_spec(text, "the kernel crypto API form is not supported");
	const auto first = text.find('-');
	if (first == std::string_view::npos)
		return bad_spec(text, "expected CIPHER-MODE[-IV]");
	const auto second = text.find('-', first + 1);
	CipherSpec spec;
	spec.cipher = text.substr(0, first);
	if (second == std::string_view::npos) {
		spec.mode = text.substr(first + 1);
	} else {
		spec.mode = text.substr(first + 1, second - first - 1);
		spec.iv = text.substr(second + 1);
		if (spec.iv.empty())
			return bad_spec(text, "empty IV generator");
	}
	if (!valid_token(spec.cipher) || !valid_token(spec.mode) ||
	    (!spec.iv.empty() && !valid_token(spec.iv)))
		return bad_spec(text, "unexpected character or empty part");
	return spec;
}

std::string_view iv_generator(const CipherSpec &spec)
{
	const std::string_view iv = spec.iv;
	return iv.substr(0, iv.find(':'));
}

unsigned block_bits(const CipherSpec &spec)
{
	static constexpr std::array<std::pair<std::string_view, unsigned>, 14> kBlocks = {{
		{"aes", 128},
		{"serpent", 128},
		{"twofish", 128},
		{"camellia", 128},
		{"sm4", 128},
		{"aria", 128},
		{"cast6", 128},
		{"xchacha12,aes", 128},
		{"xchacha20,aes", 128},
		{"des", 64},
		{"des3_ede", 64},
		{"blowfish", 64},
		{"cast5", 64},
		{"idea", 64},
	}};
	for (const auto &[name, bits] : kBlocks)
		if (spec.cipher == name)
			return bits;
	return 0;
}

unsigned key_strength_bits(const CipherSpec &spec, unsigned key_bits)
{
	return spec.mode == "xts" ? key_bits / 2 : key_bits;
}

std::string kernel_algorithm(const CipherSpec &spec)
{
	return spec.mode + "(" + spec.cipher + ")";
}

} // namespace luksfit::domain
