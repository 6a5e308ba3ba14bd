#include "domain/format/format_plan.hpp"

#include "domain/host/perf_flags.hpp"

namespace luksfit::domain {
namespace {

Error bad_param(std::string message, std::string hint)
{
	return Error{ExitCode::Failed, std::move(message), std::move(hint)};
}

bool power_of_two(unsigned v)
{
	return v && (v & (v - 1)) == 0;
}

// Sector size: 4096 unless the device rules it out (4K would not divide its size or its
// alignment), never below the device's logical sector.
Expected<unsigned> choose_sector_size(const FormatRequest &req, const Topology &topo,
				      std::vector<std::string> &notes)
{
	if (req.sector_size) {
		const unsigned s = *req.sector_size;
		if (!power_of_two(s) || s < 512 || s > 4096)
			return bad_param("invalid sector size " + std::to_string(s),
					 "use 512, 1024, 2048 or 4096");
		if (s < topo.logical_sector)
			return bad_param("sector size " + std::to_string(s) +
						 " is smaller than the device's logical sector (" +
						 std::to_string(topo.logical_sector) + ")",
					 "use --sector-size " +
						 std::to_string(topo.logical_sector) +
						 " or larger");
		if (topo.size_bytes % s)
			return bad_param("the device size is not a multiple of sector size " +
						 std::to_string(s),
					 "use a smaller --sector-size");
		return s;
	}
	if (topo.size_bytes % 4096 || topo.alignment_offset % 4096) {
		const unsigned s = topo.logical_sector < 512 ? 512 : topo.logical_sector;
		notes.push_back("sector size " + std::to_string(s) +
				": the device's size or alignment is not a multiple of 4096");
		return s;
	}
	return 4096u;
}

Expected<PbkdfChoice> choose_pbkdf(const FormatRequest &req, const FormatHostFacts &host)
{
	PbkdfChoice p;
	p.iter_time_ms = req.iter_time_ms;
	p.iterations = req.pbkdf_iterations;
	if (req.pbkdf && *req.pbkdf != "argon2id" && *req.pbkdf != "pbkdf2")
		return bad_param("unsupported PBKDF '" + *req.pbkdf + "'",
				 "use --pbkdf argon2id (default) or --pbkdf pbkdf2");
	if (host.fips && req.pbkdf && *req.pbkdf != "pbkdf2")
		return bad_param("FIPS mode allows only PBKDF2, not " + *req.pbkdf,
				 "drop --pbkdf, or use --pbkdf pbkdf2");
	p.type = host.fips ? "pbkdf2" : req.pbkdf.value_or("argon2id");
	if (p.type == "argon2id") {
		if (req.pbkdf_memory_kib < 32)
			return bad_param("--pbkdf-memory must be at least 32 KiB",
					 "give the memory cap in KiB, e.g. 1048576 for 1 GiB");
		p.memory_kib = req.pbkdf_memory_kib;
		p.iterations = 0; // fixed iterations are a PBKDF2 test knob only
	}
	if (p.iter_time_ms == 0 && p.iterations == 0)
		return bad_param("--iter-time must be larger than 0", "e.g. --iter-time 2000");
	return p;
}

} // namespace

Expected<FormatPlan> plan_format(const FormatRequest &req, const FormatHostFacts &host,
				 const Topology &topo)
{
	auto spec = parse_cipher_spec(req.cipher);
	if (!spec)
		return spec.error();
	FormatPlan plan;
	plan.data = Candidate{*spec, req.key_bits};
	if (auto why = safety_violation(plan.data, host.fips))
		return bad_param(
			"refusing " + plan.data.label() + ": " + *why,
			"pick a cipher the safety policy allows, e.g. --cipher aes-xts-plain64 "
			"--key-size 512 (see docs/policy.md)");
	auto sector = choose_sector_size(req, topo, plan.notes);
	if (!sector)
		return sector.error();
	plan.sector_size = *sector;
	auto pbkdf = choose_pbkdf(req, host);
	if (!pbkdf)
		return pbkdf.error();
	plan.pbkdf = *pbkdf;

	plan.keyslot = plan.data;
	if (!req.userspace_keyslots.value_or(assumed_userspace_keyslots(*spec))) {
		plan.keyslot = fallback_keyslot_cipher();
		plan.keyslot_fallback = true;
		plan.keyslot_reason = plan.data.spec.text() +
				      " has no userspace implementation in libcryptsetup: keyslots "
				      "use " +
				      plan.keyslot.label() +
				      " so the volume unlocks without AF_ALG";
	}
	if (req.perf_flags) {
		PerfFlagChoice flags =
			decide_perf_flags(req.flags_evidence, host.dm_crypt, host.dm_crypt_unknown);
		plan.perf_flags = std::move(flags.flags);
		plan.perf_flags_reason = std::move(flags.reason);
	} else {
		plan.perf_flags_reason = "none: --no-perf-flags";
	}
	plan.label = req.label;
	plan.source = req.source;
	return plan;
}

std::string shell_quote(const std::string &word)
{
	if (!word.empty() &&
	    word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
				   "VWXYZ0123456789_-./=:,+@%") == std::string::npos)
		return word;
	std::string out = "'";
	for (const char c : word) {
		if (c == '\'')
			out += "'\\''";
		else
			out += c;
	}
	return out + "'";
}

std::vector<std::string> cryptsetup_commands(const FormatPlan &plan, const std::string &device,
					     const std::string &key_file)
{
	std::string fmt = "cryptsetup luksFormat --type luks2 --cipher " +
			  shell_quote(plan.data.spec.text()) + " --key-size " +
			  std::to_string(plan.data.key_bits) + " --sector-size " +
			  std::to_string(plan.sector_size) + " --pbkdf " + plan.pbkdf.type;
	if (plan.pbkdf.iterations)
		fmt += " --pbkdf-force-iterations " + std::to_string(plan.pbkdf.iterations);
	else
		fmt += " --iter-time " + std::to_string(plan.pbkdf.iter_time_ms);
	if (plan.pbkdf.type == "pbkdf2")
		fmt += " --hash " + plan.pbkdf.hash;
	else
		fmt += " --pbkdf-memory " + std::to_string(plan.pbkdf.memory_kib);
	if (plan.keyslot_fallback)
		fmt += " --keyslot-cipher " + plan.keyslot.spec.text() + " --keyslot-key-size " +
		       std::to_string(plan.keyslot.key_bits);
	if (plan.label)
		fmt += " --label " + shell_quote(*plan.label);
	if (!key_file.empty())
		fmt += " --key-file " + shell_quote(key_file);
	fmt += " " + shell_quote(device);

	std::vector<std::string> lines{fmt};
	if (!plan.perf_flags.empty()) {
		std::string open = "cryptsetup open --persistent";
		for (const auto &f : plan.perf_flags)
			open += " --perf-" + f;
		if (!key_file.empty())
			open += " --key-file " + shell_quote(key_file);
		open += " " + shell_quote(device) + " NAME";
		lines.push_back(open);
	}
	return lines;
}

} // namespace luksfit::domain
