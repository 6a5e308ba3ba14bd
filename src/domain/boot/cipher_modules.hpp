// Which kernel modules a dm-crypt data cipher needs at boot, resolved against the target
// kernel's module index: dm-crypt itself, the crypto template of the chaining mode, every
// module providing each component algorithm (generic and accelerated drivers alike: the
// initramfs must work on any CPU the kernel boots on), the IV generator's parts, then the
// transitive closure over modules.dep.
//
// Compared with Debian's cryptroot hook (cryptsetup-initramfs), this
//  - follows Adiantum's components: "adiantum(xchacha12,aes)" needs chacha (xchacha12),
//    aes and nhpoly1305 with their accelerated variants, which cryptroot is known to miss;
//  - never adds af_alg or algif_* (cryptroot adds algif_skcipher unconditionally): dm-crypt
//    does not use AF_ALG, and luksfit keeps keyslots on ciphers the userspace backend
//    implements (docs/compatibility.md, keyslots without AF_ALG), so opening a volume at boot
//    does not need it either.
#pragma once

#include <string>
#include <vector>

#include "domain/boot/module_index.hpp"
#include "domain/cipher/cipher_spec.hpp"
#include "util/expected.hpp"

namespace luksfit::domain {

// Something the kernel will ask for: a module alias ("crypto-xts") or a module name.
struct CryptoNeed {
	std::string alias;  // "crypto-xchacha12", or a module name when `module` is true
	std::string reason; // "cipher component of adiantum(xchacha12,aes)"
	bool module = false;
};

// The needs of one data cipher. Error (exit 1) for a cipher, mode or IV generator luksfit
// does not know.
Expected<std::vector<CryptoNeed>> crypto_needs(const CipherSpec &spec);

struct NeededModule {
	std::string name;	 // "nhpoly1305_avx2"
	std::string path;	 // "kernel/arch/x86/crypto/nhpoly1305-avx2.ko"
	std::string alias;	 // the alias (or module) that pulled it in
	std::string reason;	 // why that alias is needed
	std::string required_by; // set for a dependency from modules.dep: the module needing it
};

struct ModuleResolution {
	std::vector<NeededModule> modules; // loadable modules to put in the initramfs, each once
	std::vector<NeededModule> builtin; // providers built into the kernel: nothing to load
	std::vector<std::string> missing;  // needs no module and nothing built-in provides
	std::vector<std::string> excluded; // af_alg/algif_* left out on purpose
};

// Resolves the needs of every spec (specs must come through crypto_needs first).
ModuleResolution resolve_modules(const ModuleIndex &index,
				 const std::vector<std::vector<CryptoNeed>> &needs);

// af_alg and algif_*: the AF_ALG socket family, which booting a volume never needs.
bool is_afalg_module(const std::string &name);

} // namespace luksfit::domain

namespace luksfit::domain {

// Where a cipher came from, for reports.
struct VolumeCipher {
	std::string source; // "crypttab:LINE", "device", "--cipher"
	std::string name;   // crypttab mapping name, "" otherwise
	std::string device; // device or image path, "" for --cipher
	std::string cipher; // "xchacha12,aes-adiantum-plain64"
};

struct InitramfsModulesReport {
	std::string modules_dir;
	std::vector<VolumeCipher> volumes;
	ModuleResolution resolution;
};

} // namespace luksfit::domain
