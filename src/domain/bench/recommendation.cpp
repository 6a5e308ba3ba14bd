#include "domain/bench/recommendation.hpp"

#include "domain/bench/disturbance.hpp"
#include "domain/cipher/policy.hpp"
#include "domain/host/perf_flags.hpp"

namespace luksfit::domain {
namespace {

Pbkdf choose_pbkdf(bool fips)
{
	Pbkdf p;
	if (fips) {
		p.type = "pbkdf2";
		p.hash = "sha256";
		p.budget = "unlock takes about 2 s (PBKDF2-SHA256: FIPS mode allows no Argon2)";
		return p;
	}
	p.type = "argon2id";
	p.memory_kib = 1048576;
	p.parallel = 4;
	p.budget = "unlock takes about 2 s and at most 1 GiB of memory (cryptsetup lowers it to "
		   "half the RAM on smaller machines)";
	return p;
}

// A variant's gain over the baseline in one direction, only when beyond the noise.
bool gains(const std::vector<double> &variant, const std::vector<double> &baseline)
{
	const SampleStats v = summarize(variant), b = summarize(baseline);
	return v.count > 0 && b.count > 0 && v.median > b.median && !within_noise(v, b);
}

const VariantResult *find_variant(const BenchReport &r, const Candidate &c, unsigned sector,
				  bool no_wq)
{
	for (const auto &v : r.variants)
		if (v.candidate == c && v.sector_size == sector && v.no_workqueue == no_wq &&
		    v.supported && !v.samples.empty())
			return &v;
	return nullptr;
}

// What the device or the dm-crypt measurements of the chosen cipher say about the workqueue
// flags, before the kernel's limits.
FlagEvidence flag_evidence(const Recommendation &rec, const BenchReport *report,
			   const RecommendHostFacts &host)
{
	if (host.device && host.device->rotational)
		return {PerfFlagChoice{{},
				       "none: the device is rotational, where bypassing the "
				       "workqueues does not pay"},
			""};
	if (!report || report->engine != "dmcrypt" || !rec.choice)
		return {{}, "only dm-crypt measurements can show a gain from them"};
	if (report->disturbance.unreliable)
		return {{}, "the measurement was disturbed"};
	const VariantResult *base = find_variant(*report, *rec.choice, 4096, false);
	const VariantResult *nowq = find_variant(*report, *rec.choice, 4096, true);
	if (!base || !nowq)
		return {{},
			"the workqueue variants of " + rec.choice->label() + " were not measured"};
	PerfFlagChoice e;
	if (gains(nowq->samples.decrypt, base->samples.decrypt))
		e.flags.push_back("no_read_workqueue");
	if (gains(nowq->samples.encrypt, base->samples.encrypt))
		e.flags.push_back("no_write_workqueue");
	e.reason =
		e.flags.empty()
			? "none: bypassing the workqueues showed no gain beyond the measured noise"
			: "bypassing the workqueues was faster beyond the measured noise";
	if (host.device)
		e.reason += "; the device is not rotational";
	return {std::move(e), ""};
}

void choose_flags(Recommendation &rec, const BenchReport *report, const RecommendHostFacts &host)
{
	rec.flags_evidence = flag_evidence(rec, report, host);
	PerfFlagChoice d =
		decide_perf_flags(rec.flags_evidence, host.dm_crypt, host.dm_crypt_unknown);
	rec.perf_flags = std::move(d.flags);
	rec.flags_reason = std::move(d.reason);
}

void choose_sector(Recommendation &rec, const BenchReport *report, const RecommendHostFacts &host)
{
	rec.sector_size = 4096;
	rec.sector_reason = "fewer, larger crypto requests; the policy's default";
	if (host.device && host.device->logical_sector > 4096) {
		rec.sector_size = host.device->logical_sector;
		rec.sector_reason =
			"the device's logical sector size, larger than the policy's 4096";
	} else if (host.device) {
		rec.sector_reason += "; the device's " +
				     std::to_string(host.device->logical_sector) +
				     "-byte logical sectors allow it";
	}
	if (report && rec.choice && !report->disturbance.unreliable) {
		const VariantResult *base = find_variant(*report, *rec.choice, 4096, false);
		const VariantResult *small = find_variant(*report, *rec.choice, 512, false);
		if (base && small && gains(small->samples.combined(), base->samples.combined()))
			rec.notes.push_back(
				"sector size 512 measured faster than 4096 here; 4096 is "
				"kept (fewer requests under real load)");
	}
}

std::string format_line(const Recommendation &rec)
{
	const Candidate &c = *rec.choice;
	std::string l = "cryptsetup luksFormat --type luks2 --cipher " + c.spec.text() +
			" --key-size " + std::to_string(c.key_bits) + " --sector-size " +
			std::to_string(rec.sector_size) + " --pbkdf " + rec.pbkdf.type;
	if (rec.pbkdf.type == "pbkdf2")
		l += " --hash " + rec.pbkdf.hash;
	l += " --iter-time " + std::to_string(rec.pbkdf.iter_time_ms);
	if (rec.pbkdf.memory_kib)
		l += " --pbkdf-memory " + std::to_string(rec.pbkdf.memory_kib) +
		     " --pbkdf-parallel " + std::to_string(rec.pbkdf.parallel);
	if (rec.keyslot_cipher)
		l += " --keyslot-cipher " + rec.keyslot_cipher->spec.text() +
		     " --keyslot-key-size " + std::to_string(rec.keyslot_cipher->key_bits);
	return l + " DEVICE";
}

std::string crypttab_options(const Recommendation &rec)
{
	std::string o = "luks";
	for (const auto &f : rec.perf_flags)
		o += "," + crypttab_flag_name(f);
	return o;
}

} // namespace

Recommendation recommend(const BenchReport *report, std::string basis,
			 const RecommendHostFacts &host)
{
	Recommendation rec;
	rec.basis = std::move(basis);
	rec.device = host.device;
	if (report) {
		rec.candidates = report->candidates;
	} else {
		// No figures: every default candidate, unmeasured; the order decides alone.
		for (const auto &c : default_candidates())
			rec.candidates.push_back(CandidateResult{c, false, "not measured", {}, {}});
	}
	const bool disturbed = report && report->disturbance.unreliable;
	rec.ranking = rank(rec.candidates, host.fips, disturbed);
	rec.pbkdf = choose_pbkdf(host.fips);

	if (rec.ranking.winner) {
		rec.choice = rec.candidates[*rec.ranking.winner].candidate;
		rec.reason = rec.ranking.entries.front().reason;
	} else if (!report) {
		for (const auto &cr : rec.candidates) {
			if (!safety_violation(cr.candidate, host.fips)) {
				rec.choice = cr.candidate;
				break;
			}
		}
		rec.reason = "first in the policy's preference order; nothing was measured, so "
			     "speed played no part";
	}
	if (!rec.choice)
		return rec;
	if (!report) {
		for (auto &e : rec.ranking.entries)
			if (e.status == RankStatus::Unavailable &&
			    !(rec.candidates[e.index].candidate == *rec.choice))
				e.reason = "not measured; " + rec.choice->label() +
					   " comes first in the policy's preference order";
	}

	if (host.fips)
		rec.notes.push_back("FIPS mode: only AES-XTS and PBKDF2 are allowed");
	if (report && report->disturbance.left_out)
		rec.notes.push_back(disturbance_summary(report->disturbance));
	const auto probed = host.userspace_keyslots.find(rec.choice->label());
	const bool userspace = probed != host.userspace_keyslots.end()
				       ? probed->second
				       : assumed_userspace_keyslots(rec.choice->spec);
	if (!userspace) {
		rec.keyslot_cipher = fallback_keyslot_cipher();
		rec.keyslot_reason = rec.choice->spec.text() +
				     " exists only in the kernel: keyslots "
				     "use " +
				     fallback_keyslot_cipher().label() +
				     " so the volume still unlocks without AF_ALG";
	}
	choose_sector(rec, report, host);
	choose_flags(rec, report, host);
	rec.luks_format = format_line(rec);
	rec.crypttab_options = crypttab_options(rec);
	if (!rec.perf_flags.empty()) {
		std::string flags;
		for (const auto &f : rec.perf_flags)
			flags += " --perf-" + f;
		rec.notes.push_back("to store the flags in the LUKS2 header: cryptsetup refresh" +
				    flags + " --persistent NAME");
	}
	return rec;
}

} // namespace luksfit::domain
