// dm-crypt cipher specifications, as cryptsetup writes them: "cipher-chainmode-ivmode[:ivopts]",
// e.g. "aes-xts-plain64", "aes-cbc-essiv:sha256", "xchacha12,aes-adiantum-plain64".
#pragma once

#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace luksfit::domain {

struct CipherSpec {
	std::string cipher; // block cipher, or "xchacha12,aes" for Adiantum
	std::string mode;   // chaining mode: "xts", "cbc", "ecb", "adiantum", ...
	std::string iv;	    // IV generator with options: "plain64", "essiv:sha256", "" (none)

	std::string text() const; // back to cryptsetup's form
	bool operator==(const CipherSpec &) const = default;
};

// Parses a cryptsetup cipher string. The kernel crypto API form ("capi:...") is not accepted:
// luksfit reasons about the parts.
Expected<CipherSpec> parse_cipher_spec(std::string_view text);

// The IV generator's name without its options: "essiv:sha256" -> "essiv".
std::string_view iv_generator(const CipherSpec &spec);

// Block size in bits of a known block cipher, 0 when unknown (stream-based Adiantum: 128).
unsigned block_bits(const CipherSpec &spec);

// Security strength in bits of a key of `key_bits` for this spec: XTS splits its key in two.
unsigned key_strength_bits(const CipherSpec &spec, unsigned key_bits);

// The kernel crypto API name dm-crypt asks for, e.g. "xts(aes)", "adiantum(xchacha12,aes)".
std::string kernel_algorithm(const CipherSpec &spec);

} // namespace luksfit::domain
