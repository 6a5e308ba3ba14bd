// /proc/crypto: which kernel implementations (drivers) exist for an algorithm, and which one
// the kernel picks (highest priority), e.g. what dm-crypt gets when it asks for "xts(aes)".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace luksfit::domain {

struct CryptoAlg {
	std::string name;   // "xts(aes)"
	std::string driver; // "xts-aes-aesni"
	std::string module; // "aesni_intel", "kernel" when built in
	std::string type;   // "skcipher", "lskcipher", "aead", "shash", ...
	int priority = 0;
	bool internal = false;	     // not reachable through the crypto API by name
	bool selftest_passed = true; // "selftest : passed" (or the field absent)
};

// Parses the blank-line separated records; unknown fields are ignored.
std::vector<CryptoAlg> parse_proc_crypto(std::string_view text);

// The implementation the kernel picks for `name` as a symmetric cipher (skcipher or lskcipher,
// which the skcipher API wraps): the highest-priority, non-internal one whose self-test passed.
std::optional<CryptoAlg> best_cipher_driver(const std::vector<CryptoAlg> &algs,
					    std::string_view name);

enum class Acceleration {
	CpuInstructions, // AES-NI, VAES, AVX2, ARMv8 CE, NEON, ...
	OffCpu,		 // a crypto engine outside the CPU (CCP, QAT, CAAM, ...)
	Generic,	 // portable C
};

// Classifies a driver by its name and module (what /proc/crypto tells).
Acceleration classify_driver(const CryptoAlg &alg);
const char *acceleration_name(Acceleration a);

} // namespace luksfit::domain
