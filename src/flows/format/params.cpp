#include "flows/format/params.hpp"

#include "domain/format/param_source.hpp"
#include "flows/bench/bench_run.hpp"
#include "flows/host/host_facts.hpp"
#include "system/luks/keyslot_probe.hpp"
#include "util/text.hpp"

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
						      fips_restricted(), o.cache);
		r.cipher = d.choice.spec.text();
		r.key_bits = d.choice.key_bits;
		r.source = d.source;
		r.flags_evidence = d.flags_evidence;
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

domain::PerfFlagChoice volume_perf_flags(const std::string &cache, const std::string &cipher,
					 unsigned key_bits)
{
	const CacheFile file = load_cache(cache);
	const auto d = domain::default_params(file.reports, host_cache_key(), unix_now(),
					      fips_restricted(), cache);
	const domain::FormatHostFacts host = format_host_facts();
	return domain::decide_perf_flags(domain::volume_flag_evidence(d, cipher, key_bits),
					 host.dm_crypt, host.dm_crypt_unknown);
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

std::string header_mismatch(const domain::FormatPlan &plan, const domain::LuksVolume &header)
{
	std::string diff;
	auto note = [&](const std::string &what, const std::string &want, const std::string &got) {
		if (want != got)
			diff += (diff.empty() ? "" : "; ") + what + " is " + got + ", expected " +
				want;
	};
	const sys::LuksFormatParams want = luks_params(plan);
	note("cipher", want.cipher + "-" + want.cipher_mode, header.cipher);
	note("key size", std::to_string(plan.data.key_bits), std::to_string(header.key_bits));
	note("sector size", std::to_string(plan.sector_size), std::to_string(header.sector_size));
	note("activation flags",
	     "[" + util::join(sys::activation_flag_names(activation_flags(plan)), " ") + "]",
	     "[" + util::join(header.persistent_flags, " ") + "]");
	const auto &slots = header.keyslots;
	if (slots.empty())
		diff += (diff.empty() ? "" : "; ") + std::string("no keyslot");
	for (const auto &s : slots)
		note("keyslot " + std::to_string(s.slot) + " encryption", plan.keyslot.label(),
		     s.encryption + "/" + std::to_string(s.key_bits));
	return diff;
}

} // namespace luksfit::flows
