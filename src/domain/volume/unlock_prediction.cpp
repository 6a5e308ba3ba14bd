#include "domain/volume/unlock_prediction.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "domain/volume/boot_unlock.hpp"
#include "util/text.hpp"

namespace luksfit::domain {
namespace {

// How one keyslot is processed (the keyslot alone: no boot order, no data segment).
struct Route {
	Tri processed = Tri::Unknown;
	std::optional<UnlockPath> path;
	std::string why;
};

std::string lib_name(const UnlockHost &h)
{
	return h.libcryptsetup.empty() ? "this libcryptsetup" : "libcryptsetup " + h.libcryptsetup;
}

std::string with_detail(std::string s, const std::string &detail)
{
	return detail.empty() ? s : s + " (" + detail + ")";
}

// Neither AF_ALG nor the userspace backend: a temporary dm-crypt mapping is the last way.
Route dm_route(const LuksVolume &v, const VolumeKeyslot &k, const KeyslotPaths &p,
	       const UnlockHost &h)
{
	const std::string lib = lib_name(h);
	const std::string none = lib + "'s userspace backend cannot process " + k.encryption;
	if (h.dm_crypt == Tri::No)
		return {Tri::No, std::nullopt,
			with_detail(
				none + ", and without dm-crypt no temporary dm-crypt mapping can "
				       "stand in",
				h.dm_detail)};
	if (p.dm_fallback == Tri::Yes)
		return {Tri::Yes, UnlockPath::DmCrypt,
			none + "; a temporary dm-crypt mapping does (tried; root only)"};
	if (p.dm_fallback == Tri::No)
		return {Tri::No, std::nullopt,
			with_detail(none + ", nor does a temporary dm-crypt mapping", p.detail)};
	const bool luks1 = v.version == 1;
	if (!luks1 && version_at_least(h.libcryptsetup, kLuks2DmFallbackSince) != true)
		return {Tri::No, std::nullopt,
			none +
				", and it has no dm-crypt fallback for LUKS2 keyslots "
				"(libcryptsetup " +
				kLuks2DmFallbackSince + " and later have one, as root)"};
	return {Tri::Unknown, UnlockPath::DmCrypt,
		with_detail(none + "; expected through a temporary dm-crypt mapping (root only, " +
				    (luks1 ? std::string("as for every LUKS1 keyslot")
					   : "libcryptsetup " + std::string(kLuks2DmFallbackSince) +
						     "+") +
				    "), not tried",
			    p.detail)};
}

Route route(const LuksVolume &v, const VolumeKeyslot &k, const KeyslotPaths &p, const UnlockHost &h,
	    bool afalg)
{
	if (p.userspace == Tri::Yes)
		return {Tri::Yes, UnlockPath::Userspace,
			lib_name(h) + "'s userspace crypto backend processes " + k.encryption};
	if (p.userspace == Tri::Unknown)
		return {Tri::Unknown, std::nullopt,
			with_detail("the keyslot probe could not run", p.detail)};
	if (afalg)
		return {Tri::Yes, UnlockPath::Afalg,
			"the kernel processes " + k.encryption + " through AF_ALG (" + lib_name(h) +
				"'s userspace backend cannot)"};
	return dm_route(v, k, p, h);
}

std::string slots_text(const std::vector<int> &slots)
{
	return (slots.size() == 1 ? "keyslot " : "keyslots ") +
	       util::join(slots, ", ", [](const int n) { return std::to_string(n); });
}

const BootSlot *boot_slot(const std::vector<BootSlot> &order, int slot)
{
	for (const auto &b : order)
		if (b.slot == slot)
			return &b;
	return nullptr;
}

UnlockPrediction predict(const Route &r, const BootSlot *b, const UnlockHost &h)
{
	UnlockPrediction p{std::nullopt, r.path, r.why, r.processed, {}};
	if (r.processed == Tri::No) {
		p.opens = false;
		return p;
	}
	if (b && !b->position) {
		p.opens = false;
		p.why = "priority ignore: never tried without a named keyslot (as at boot)";
		return p;
	}
	if (b && !b->blocked_by.empty()) {
		p.blocked_by = b->blocked_by;
		p.opens = false;
		p.why = slots_text(b->blocked_by) + ", tried first, fail" +
			(b->blocked_by.size() == 1 ? "s" : "") +
			" for any key and end the search (" + r.why + ")";
		return p;
	}
	if (h.dm_crypt == Tri::No) {
		p.opens = false;
		p.why = with_detail(
			r.why + ", but the data segment cannot be activated: no dm-crypt",
			h.dm_detail);
		return p;
	}
	if (r.processed == Tri::Yes && h.dm_crypt == Tri::Yes)
		p.opens = true;
	else if (h.dm_crypt == Tri::Unknown)
		p.why = with_detail(r.why + "; whether dm-crypt can activate the data segment is "
					    "unknown",
				    h.dm_detail);
	return p;
}

std::vector<int> failing(const std::vector<KeyslotUnlock> &ks, bool without_afalg)
{
	std::vector<int> out;
	for (const auto &k : ks)
		if ((without_afalg ? k.without_afalg : k.here).processed == Tri::No)
			out.push_back(k.slot);
	return out;
}

std::optional<std::vector<unsigned>> parse_version(std::string_view s)
{
	std::vector<unsigned> parts;
	const char *p = s.data(), *end = s.data() + s.size();
	while (true) {
		unsigned n = 0;
		const auto r = std::from_chars(p, end, n);
		if (r.ec != std::errc{})
			return std::nullopt;
		parts.push_back(n);
		p = r.ptr;
		if (p == end || *p != '.')
			break; // a suffix ("-rc1", "~git") does not count
		++p;
	}
	return parts;
}

} // namespace

const char *unlock_path_name(UnlockPath p)
{
	switch (p) {
	case UnlockPath::Afalg:
		return "afalg";
	case UnlockPath::Userspace:
		return "userspace";
	case UnlockPath::DmCrypt:
		return "dm-crypt";
	}
	return "userspace";
}

std::optional<bool> version_at_least(const std::string &version, const std::string &since)
{
	const auto a = parse_version(version), b = parse_version(since);
	if (!a || !b)
		return std::nullopt;
	return !std::lexicographical_compare(a->begin(), a->end(), b->begin(), b->end());
}

UnlockForecast predict_unlock(const LuksVolume &v, const UnlockHost &host,
			      const KeyslotPathsFn &paths)
{
	UnlockForecast f;
	std::vector<Route> here, gone;
	for (const auto &k : v.keyslots) {
		const KeyslotPaths p = paths ? paths(v, k) : KeyslotPaths{};
		here.push_back(route(v, k, p, host, host.afalg));
		gone.push_back(route(v, k, p, host, false));
		f.keyslots.push_back(KeyslotUnlock{k.slot, {}, {}});
		f.keyslots.back().here.processed = here.back().processed;
		f.keyslots.back().without_afalg.processed = gone.back().processed;
	}
	f.fail_here = failing(f.keyslots, false);
	f.fail_without_afalg = failing(f.keyslots, true);
	const auto order_here = boot_search(v.keyslots, f.fail_here);
	const auto order_gone = boot_search(v.keyslots, f.fail_without_afalg);
	for (std::size_t i = 0; i < f.keyslots.size(); ++i) {
		auto &k = f.keyslots[i];
		k.here = predict(here[i], boot_slot(order_here, k.slot), host);
		k.without_afalg = predict(gone[i], boot_slot(order_gone, k.slot), host);
	}
	return f;
}

std::vector<int> keyslots_beyond_userspace(const UnlockForecast &f)
{
	std::vector<int> out;
	for (const auto &k : f.keyslots)
		if (k.without_afalg.path != UnlockPath::Userspace)
			out.push_back(k.slot);
	return out;
}

std::string unlock_summary(const UnlockPrediction &p)
{
	if (!p.opens)
		return "unknown: " + p.why;
	if (!*p.opens)
		return "does not open: " + p.why;
	switch (p.path.value_or(UnlockPath::Userspace)) {
	case UnlockPath::Afalg:
		return "opens via AF_ALG";
	case UnlockPath::Userspace:
		return "opens via libcryptsetup's userspace crypto";
	case UnlockPath::DmCrypt:
		return "opens via a temporary dm-crypt mapping (root only)";
	}
	return "opens";
}

} // namespace luksfit::domain
