#include "commands/params.hpp"

#include <CLI/CLI.hpp>

#include "system/fips.hpp"
#include "system/kernel_info.hpp"
#include "system/keyslot_probe.hpp"

namespace luksfit::commands {

void add_param_options(CLI::App &app, ParamOptions &o)
{
	auto &r = o.request;
	app.add_option("--cipher", r.cipher, "Data cipher (default aes-xts-plain64)");
	app.add_option("--key-size", r.key_bits, "Key size in bits (default 512)");
	app.add_option("--sector-size", o.sector_size,
		       "Encryption sector size (default 4096 unless the device rules it out)");
	app.add_option("--pbkdf", o.pbkdf, "argon2id (default) or pbkdf2 (forced in FIPS mode)");
	app.add_option("--iter-time", r.iter_time_ms, "PBKDF unlock time target in ms (default 2000)");
	app.add_option("--pbkdf-memory", r.pbkdf_memory_kib,
		       "Argon2 memory cap in KiB (default 1048576)");
	app.add_option("--pbkdf-force-iterations", r.pbkdf_iterations,
		       "Fixed PBKDF2 iterations instead of a benchmark (tests)");
	app.add_option("--label", r.label, "LUKS2 label");
	app.add_flag("--no-perf-flags", o.no_perf_flags,
		     "Do not store the recommended dm-crypt performance flags");
}

domain::FormatRequest to_request(const ParamOptions &o)
{
	domain::FormatRequest r = o.request;
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
	return domain::FormatHostFacts{sys::fips_enabled(), sys::kernel_release()};
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
			diff += (diff.empty() ? "" : "; ") + what + " is " + got + ", expected " + want;
	};
	const sys::LuksFormatParams want = luks_params(plan);
	note("cipher", want.cipher + "-" + want.cipher_mode, info.cipher + "-" + info.cipher_mode);
	note("key size", std::to_string(plan.data.key_bits), std::to_string(info.volume_key_bytes * 8));
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
