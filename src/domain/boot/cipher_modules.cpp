#include "domain/boot/cipher_modules.hpp"

#include <algorithm>
#include <array>

namespace luksfit::domain {
namespace {

constexpr std::array<std::string_view, 9> kModes = {"xts",  "cbc", "ecb", "ctr",     "lrw",
						    "pcbc", "cts", "cfb", "adiantum"};
// IV generators that dm-crypt computes itself, with no crypto algorithm of their own.
constexpr std::array<std::string_view, 7> kPlainIvs = {"",	"plain", "plain64", "plain64be",
						       "benbi", "null",	 "eboiv"};

Error unknown(const CipherSpec &spec, const std::string &what)
{
	return Error{ExitCode::Failed, "unknown " + what + " in cipher '" + spec.text() + "'",
		     "luksfit resolves modules for the ciphers, modes and IV generators dm-crypt "
		     "documents; pass e.g. aes-xts-plain64 or xchacha12,aes-adiantum-plain64"};
}

std::vector<std::string> split_components(const std::string &cipher)
{
	std::vector<std::string> parts;
	std::string::size_type start = 0;
	while (true) {
		const auto comma = cipher.find(',', start);
		parts.push_back(cipher.substr(start, comma - start));
		if (comma == std::string::npos)
			return parts;
		start = comma + 1;
	}
}

bool contains(const std::vector<NeededModule> &list, const std::string &name)
{
	return std::any_of(list.begin(), list.end(),
			   [&](const NeededModule &m) { return m.name == name; });
}

void add_unique(std::vector<std::string> &list, const std::string &s)
{
	if (std::find(list.begin(), list.end(), s) == list.end())
		list.push_back(s);
}

// Adds `provider` and its modules.dep closure for `need`.
void add_with_deps(const ModuleIndex &index, const CryptoNeed &need, const std::string &provider,
		   ModuleResolution &out)
{
	const auto closure = dependency_closure(index, provider);
	for (std::size_t i = 0; i < closure.size(); i++) {
		const std::string &name = closure[i];
		if (is_afalg_module(name)) {
			add_unique(out.excluded, name);
			continue;
		}
		if (contains(out.modules, name))
			continue;
		NeededModule m{name, {}, need.alias, need.reason, {}};
		if (const auto p = index.paths.find(name); p != index.paths.end())
			m.path = p->second;
		if (i > 0)
			m.required_by = provider;
		out.modules.push_back(std::move(m));
	}
}

void resolve_need(const ModuleIndex &index, const CryptoNeed &need, ModuleResolution &out)
{
	std::vector<std::string> providers;
	std::vector<std::string> builtins;
	if (need.module) {
		if (index.loadable(need.alias))
			providers.push_back(need.alias);
		else if (index.is_builtin(need.alias))
			builtins.push_back(need.alias);
	} else {
		providers = alias_providers(index, need.alias);
		builtins = builtin_providers(index, need.alias);
	}
	for (const auto &b : builtins)
		if (!contains(out.builtin, b))
			out.builtin.push_back(NeededModule{b, {}, need.alias, need.reason, {}});
	for (const auto &p : providers)
		add_with_deps(index, need, p, out);
	const bool usable = std::any_of(providers.begin(), providers.end(),
					[](const std::string &p) { return !is_afalg_module(p); });
	if (!usable && builtins.empty())
		add_unique(out.missing, need.alias);
}

} // namespace

bool is_afalg_module(const std::string &name)
{
	return name == "af_alg" || name.starts_with("algif_");
}

Expected<std::vector<CryptoNeed>> crypto_needs(const CipherSpec &spec)
{
	if (block_bits(spec) == 0)
		return unknown(spec, "block cipher '" + spec.cipher + "'");
	if (std::find(kModes.begin(), kModes.end(), spec.mode) == kModes.end())
		return unknown(spec, "chaining mode '" + spec.mode + "'");
	const std::string algo = kernel_algorithm(spec);
	std::vector<CryptoNeed> needs;
	needs.push_back({"dm_crypt", "the dm-crypt target", true});
	needs.push_back({"crypto-" + spec.mode, "template of " + algo, false});
	for (const auto &part : split_components(spec.cipher))
		needs.push_back({"crypto-" + part, "component of " + algo, false});
	// Adiantum's hash part is implied: adiantum(xchacha12,aes) = adiantum(...,nhpoly1305).
	if (spec.mode == "adiantum")
		needs.push_back({"crypto-nhpoly1305", "hash part of " + algo, false});
	// The generic xts and lrw templates instantiate ecb(CIPHER) underneath.
	if (spec.mode == "xts" || spec.mode == "lrw")
		needs.push_back({"crypto-ecb",
				 spec.mode + " template instantiates ecb(" + spec.cipher + ")",
				 false});
	const std::string iv(iv_generator(spec));
	if (iv == "essiv") {
		const std::string hash = spec.iv.substr(spec.iv.find(':') + 1);
		if (hash.empty() || hash == spec.iv)
			return unknown(spec, "essiv hash");
		needs.push_back({"crypto-essiv", "IV generator essiv", false});
		needs.push_back({"crypto-" + hash, "hash of IV generator " + spec.iv, false});
	} else if (iv == "lmk") {
		needs.push_back({"crypto-md5", "hash of IV generator lmk", false});
	} else if (iv == "tcw") {
		needs.push_back({"crypto-crc32", "checksum of IV generator tcw", false});
	} else if (std::find(kPlainIvs.begin(), kPlainIvs.end(), iv) == kPlainIvs.end()) {
		return unknown(spec, "IV generator '" + iv + "'");
	}
	return needs;
}

ModuleResolution resolve_modules(const ModuleIndex &index,
				 const std::vector<std::vector<CryptoNeed>> &needs)
{
	ModuleResolution out;
	for (const auto &list : needs)
		for (const auto &need : list)
			resolve_need(index, need, out);
	return out;
}

} // namespace luksfit::domain
