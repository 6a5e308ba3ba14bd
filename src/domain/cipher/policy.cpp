#include "domain/cipher/policy.hpp"

#include <algorithm>

namespace luksfit::domain {
namespace {

Candidate make(const char *spec, unsigned key_bits)
{
	return Candidate{*parse_cipher_spec(spec), key_bits};
}

bool predictable_iv(std::string_view iv)
{
	return iv.empty() || iv == "plain" || iv == "plain64" || iv == "plain64be" || iv == "null";
}

} // namespace

std::string Candidate::label() const
{
	return spec.text() + "/" + std::to_string(key_bits);
}

const std::vector<Candidate> &default_candidates()
{
	static const std::vector<Candidate> list = {
		make("aes-xts-plain64", 512),
		make("aes-xts-plain64", 256),
		make("xchacha12,aes-adiantum-plain64", 256),
		make("xchacha20,aes-adiantum-plain64", 256),
		make("serpent-xts-plain64", 512),
		make("twofish-xts-plain64", 512),
	};
	return list;
}

int preference_rank(const Candidate &c)
{
	const auto &list = default_candidates();
	const auto it = std::find(list.begin(), list.end(), c);
	return it == list.end() ? static_cast<int>(list.size())
				: static_cast<int>(it - list.begin());
}

std::optional<std::string> safety_violation(const Candidate &c, bool fips)
{
	const CipherSpec &s = c.spec;
	if (s.cipher == "cipher_null" || s.cipher == "null" || s.mode == "null")
		return "the null cipher does not encrypt";
	if (s.mode == "ecb")
		return "ECB mode encrypts equal blocks to equal ciphertext and leaks data patterns";
	const unsigned block = block_bits(s);
	if (block == 0)
		return "unknown cipher '" + s.cipher + "': not one luksfit can vouch for";
	if (block < 128)
		return "'" + s.cipher +
		       "' has a 64-bit block: ciphertext collisions after a few GiB "
		       "(Sweet32)";
	if (s.mode == "cbc" && predictable_iv(iv_generator(s)))
		return "CBC with a predictable IV ('" + s.iv +
		       "') allows watermarking attacks; "
		       "use essiv or XTS";
	if (s.mode != "xts" && s.mode != "cbc" && s.mode != "adiantum")
		return "chaining mode '" + s.mode + "' is not one luksfit can vouch for";
	if (s.mode == "xts" && iv_generator(s) != "plain64" && iv_generator(s) != "plain64be")
		return "XTS needs a 64-bit sector IV (plain64); '" + s.iv +
		       "' wraps or is unvetted";
	if (s.mode == "adiantum" && c.key_bits != 256)
		return "Adiantum takes a 256-bit key";
	if (s.mode == "xts" && c.key_bits % 2 != 0)
		return "an XTS key must have two halves of equal size";
	if (key_strength_bits(s, c.key_bits) < 128)
		return "key strength " + std::to_string(key_strength_bits(s, c.key_bits)) +
		       " bits is under the 128-bit minimum";
	if (fips && !(s.cipher == "aes" && s.mode == "xts"))
		return "FIPS mode allows only AES-XTS";
	return std::nullopt;
}

bool assumed_userspace_keyslots(const CipherSpec &spec)
{
	return spec.cipher == "aes" && spec.mode == "xts";
}

const Candidate &fallback_keyslot_cipher()
{
	static const Candidate c = make("aes-xts-plain64", 512);
	return c;
}

} // namespace luksfit::domain
