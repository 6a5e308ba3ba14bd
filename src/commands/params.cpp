#include "commands/params.hpp"

#include <CLI/CLI.hpp>

#include "commands/bench_run.hpp"
#include "domain/param_source.hpp"
#include "system/dm_targets.hpp"
#include "system/fips.hpp"
#include "system/host_facilities.hpp"
#include "system/keyslot_probe.hpp"

namespace luksfit::commands {

void add_param_options(CLI::App &app, ParamOptions &o)
{
	auto &r = o.request;
	o.cache = kDefaultCache;
	app.add_option("--cipher", o.cipher,
		       "Data cipher (default: recommend's choice from cached bench results, else "
		       "aes-xts-plain64)");
	app.add_option("--key-size", o.key_bits,
		       "Key size in bits (default: as for --cipher, else 512)");
	app.add_option("--sector-size", o.sector_size,
		       "Encryption sector size (default 4096 unless the device rules it out)");
	app.add_option("--pbkdf", o.pbkdf, "argon2id (default) or pbkdf2 (forced in FIPS mode)");
	app.add_option("--iter-time", r.iter_time_ms,
		       "PBKDF unlock time target in ms (default 2000)");
	app.add_option("--pbkdf-memory", r.pbkdf_memory_kib,
		       "Argon2 memory cap in KiB (default 1048576)");
	app.add_option("--pbkdf-force-iterations", r.pbkdf_iterations,
		       "Fixed PBKDF2 iterations instead of a benchmark (tests)");
	app.add_option("--label", r.label, "LUKS2 label");
	app.add_flag("--no-perf-flags", o.no_perf_flags,
		     "Do not store the recommended dm-crypt performance flags");
	app.add_option("--cache", o.cache,
		       "Bench results to take the default cipher from (default " +
			       std::string(kDefaultCache) + ")");
}

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

} // namespace luksfit::commands
