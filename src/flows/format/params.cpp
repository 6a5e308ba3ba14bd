#include "flows/format/params.hpp"

#include "flows/bench/bench_run.hpp"
#include "domain/format/param_source.hpp"
#include "system/dm/dm_targets.hpp"
#include "system/kernel/fips.hpp"
#include "system/kernel/host_facilities.hpp"
#include "system/luks/keyslot_probe.hpp"

namespace luksfit::flows {

domain::FormatRequest to_request(const ParamOptions &o)
{
	domain::FormatRequest r = o.request;
	if (o.cipher || o.key_bits || o.sector_size) {
		r.cipher = o.cipher.value_or(r.cipher);
		r.key_bits = o.key_bits.value_or(r.key_bits);
		r.source.kind = domain::ParamSource::Kind::Options;
		r.source.detail = "as given on the command line";
	} else {
		const CacheFile cache = load_cache(o.cache);
		const auto d = domain::default_params(cache.reports, host_cache_key(), unix_now(),
						      sys::fips_enabled(), o.cache);
		r.cipher = d.choice.spec.text();
		r.key_bits = d.choice.key_bits;
		r.source = d.source;
		if (!cache.problem.empty())
			r.source.notes.push_back(cache.problem + "; ignored");
	}
	r.sector_size = o.sector_size;
	r.pbkdf = o.pbkdf;
	r.perf_flags = !o.no_perf_flags;
	// Ask this host's libcryptsetup, by trying, whether the keyslots need the fallback.
	const auto probe = sys::probe_keyslot_without_afalg({r.cipher, r.key_bits});
	if (probe.known)
		r.userspace_keyslots = probe.works;
	return r;
}

domain::FormatHostFacts host_facts()
{
	domain::FormatHostFacts h;
	h.fips = sys::fips_enabled();
	// Asking for the target by name loads dm-crypt, as the table load will anyway.
	const auto v = sys::dm_target_version_or_listed("crypt");
	if (v)
		h.dm_crypt = domain::TargetVersion{v->major, v->minor, v->patch};
	else if (v.error().code == ExitCode::Permission)
		h.dm_crypt_unknown = "reading it needs root";
	else if (!sys::misc_device_registered("device-mapper"))
		h.dm_crypt_unknown = "no device-mapper on this kernel";
	else
		h.dm_crypt_unknown = "no dm-crypt target: " + v.error().message;
	return h;
}

sys::LuksFormatParams luks_params(const domain::FormatPlan &plan)
{
	sys::LuksFormatParams p;
	const auto &s = plan.data.spec;
	p.cipher = s.cipher;
	p.cipher_mode = s.iv.empty() ? s.mode : s.mode + "-" + s.iv;
	p.volume_key_bytes = plan.data.key_bits / 8;
	p.sector_size = plan.sector_size;
	p.pbkdf.type = plan.pbkdf.type;
	p.pbkdf.hash = plan.pbkdf.hash;
	p.pbkdf.time_ms = plan.pbkdf.iter_time_ms;
	p.pbkdf.iterations = plan.pbkdf.iterations;
	if (plan.pbkdf.memory_kib)
		p.pbkdf.max_memory_kb = plan.pbkdf.memory_kib;
	p.label = plan.label;
	return p;
}

std::uint32_t activation_flags(const domain::FormatPlan &plan)
{
	std::uint32_t flags = 0;
	for (const auto &f : plan.perf_flags)
		flags |= sys::activation_flag(f);
	return flags;
}

std::string header_mismatch(const domain::FormatPlan &plan, const sys::LuksInfo &info,
			    const std::vector<sys::KeyslotInfo> &slots)
{
	std::string diff;
	auto note = [&](const std::string &what, const std::string &want, const std::string &got) {
		if (want != got)
			diff += (diff.empty() ? "" : "; ") + what + " is " + got + ", expected " +
				want;
	};
	const sys::LuksFormatParams want = luks_params(plan);
	note("cipher", want.cipher + "-" + want.cipher_mode, info.cipher + "-" + info.cipher_mode);
	note("key size", std::to_string(plan.data.key_bits),
	     std::to_string(info.volume_key_bytes * 8));
	note("sector size", std::to_string(plan.sector_size), std::to_string(info.sector_size));
	note("activation flags", std::to_string(activation_flags(plan)),
	     std::to_string(info.persistent_flags));
	if (slots.empty())
		diff += (diff.empty() ? "" : "; ") + std::string("no keyslot");
	for (const auto &s : slots)
		note("keyslot " + std::to_string(s.slot) + " encryption", plan.keyslot.label(),
		     s.encryption + "/" + std::to_string(s.key_bytes * 8));
	return diff;
}

} // namespace luksfit::flows
