#include "flows/bench/bench_run.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <unistd.h>

#include "domain/bench/bench_runner.hpp"
#include "domain/bench/disturbance.hpp"
#include "domain/bench/ranking.hpp"
#include "flows/bench/bench_engines.hpp"
#include "luksfit_config.h"
#include "render/progress.hpp"
#include "system/afalg/afalg.hpp"
#include "system/dm/dm_support.hpp"
#include "system/kernel/cpu_share.hpp"
#include "system/kernel/kernel_info.hpp"
#include "system/kernel/proc_files.hpp"
#include "system/os/file_replace.hpp"
#include "system/os/signals.hpp"
#include "system/os/terminal.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::flows {
namespace {

constexpr std::uint64_t kRamDeviceBytes = 64ull << 20;

unsigned default_key_bits(const domain::CipherSpec &s)
{
	return s.mode == "xts" ? 512 : 256;
}

// Why an engine cannot measure here ("" when it can).
std::string afalg_engine_problem()
{
	const int r = sys::afalg_family_status();
	if (r == 0)
		return "";
	return std::string("AF_ALG is missing (socket(AF_ALG): ") + std::strerror(-r) + ")";
}

std::string dmcrypt_engine_problem()
{
	const int r = sys::dmcrypt_status();
	if (r == 0)
		return "";
	if (r == -EPERM)
		return "dm-crypt needs root";
	return "dm-crypt is missing (the kernel lists no device-mapper in /proc/devices)";
}

double now_seconds()
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
		.count();
}

struct Phase {
	domain::RunResult result;
	std::vector<domain::BenchTarget> targets;
};

Phase run_phase(domain::SampleEngine &engine, std::vector<domain::BenchTarget> targets,
		const domain::StopRule &rule, render::Progress &progress, bool fips, bool rank_them)
{
	domain::RunHooks hooks;
	hooks.now = now_seconds;
	hooks.between_samples = [] { sys::throw_if_interrupted(); };
	hooks.progress = [&progress](double f) { progress.update(f); };
	auto meter = std::make_shared<sys::CpuShareMeter>();
	// An account that cannot be read never discards a sample.
	hooks.cpu_share = [meter] { return meter->read().value_or(1.0); };
	auto key = [&](const std::vector<domain::Series> &series) {
		std::vector<std::vector<std::size_t>> k;
		if (!rank_them)
			return k;
		std::vector<domain::CandidateResult> results;
		for (std::size_t i = 0; i < targets.size(); ++i)
			results.push_back(
				{targets[i].candidate, !series[i].empty(), "", "", series[i]});
		return domain::rank(results, fips).key();
	};
	Phase p{domain::run_rounds(engine, targets, rule, hooks, key), std::move(targets)};
	return p;
}

// The candidates phase into the report: its rounds, stop reason and disturbance, and each
// candidate's result (or why it was not measured).
void fill_candidates(domain::BenchReport &rep, const std::vector<domain::Candidate> &all,
		     const Phase &p, bool fips)
{
	rep.rounds = p.result.rounds;
	rep.stop_reason = domain::stop_reason_name(p.result.stop);
	rep.disturbance = p.result.disturbance;
	for (const auto &c : all) {
		domain::CandidateResult cr{c, false, "", "", {}};
		if (auto why = domain::safety_violation(c, fips))
			cr.unavailable = "not measured: never chosen (" + *why + ")";
		for (std::size_t i = 0; i < p.targets.size(); ++i) {
			if (!(p.targets[i].candidate == c))
				continue;
			cr.available = !p.result.unavailable[i];
			cr.unavailable = p.result.unavailable[i].value_or("");
			cr.driver = p.result.drivers[i];
			cr.samples = p.result.series[i];
		}
		rep.candidates.push_back(std::move(cr));
	}
}

// dm-crypt only: the leader at sector 4096 (baseline), without workqueues, and at 512.
void run_variants(domain::BenchReport &rep, domain::SampleEngine &engine, double budget_left,
		  double sample_ms, render::Progress &progress, bool fips)
{
	const auto ranking = domain::rank(rep.candidates, fips, rep.disturbance.unreliable);
	if (!ranking.winner || budget_left <= 6 * sample_ms / 1000)
		return;
	const domain::Candidate lead = rep.candidates[*ranking.winner].candidate;
	std::vector<domain::BenchTarget> targets = {
		{lead, 4096, false}, {lead, 4096, true}, {lead, 512, false}};
	domain::StopRule rule;
	rule.min_rounds = 3;
	rule.max_rounds = 5;
	rule.time_budget = budget_left;
	Phase p = run_phase(engine, targets, rule, progress, fips, false);
	rep.rounds += p.result.rounds;
	rep.disturbance = domain::merge(rep.disturbance, p.result.disturbance);
	for (std::size_t i = 0; i < targets.size(); ++i) {
		domain::VariantResult v;
		v.candidate = lead;
		v.sector_size = targets[i].sector_size;
		v.no_workqueue = targets[i].no_workqueue;
		v.supported = !p.result.unavailable[i];
		v.unsupported = p.result.unavailable[i].value_or("");
		v.samples = p.result.series[i];
		rep.variants.push_back(std::move(v));
	}
}

} // namespace

std::vector<domain::Candidate> bench_candidates(const BenchOptions &o)
{
	if (o.ciphers.empty())
		return domain::default_candidates();
	if (!o.key_sizes.empty() && o.key_sizes.size() != 1 &&
	    o.key_sizes.size() != o.ciphers.size())
		fail(ExitCode::Failed,
		     "--key-size given " + std::to_string(o.key_sizes.size()) + " times for " +
			     std::to_string(o.ciphers.size()) + " --cipher",
		     "give one --key-size for all, or one per --cipher");
	std::vector<domain::Candidate> out;
	for (std::size_t i = 0; i < o.ciphers.size(); ++i) {
		auto spec = domain::parse_cipher_spec(o.ciphers[i]);
		if (!spec)
			fail(ExitCode::Failed,
			     "bad --cipher '" + o.ciphers[i] + "': " + spec.error().message,
			     "write it as cryptsetup does, e.g. aes-xts-plain64");
		unsigned bits = default_key_bits(*spec);
		if (!o.key_sizes.empty())
			bits = o.key_sizes[o.key_sizes.size() == 1 ? 0 : i];
		if (bits == 0 || bits % 8 != 0 || bits > 1024)
			fail(ExitCode::Failed, "bad --key-size " + std::to_string(bits),
			     "key sizes are in bits, a multiple of 8, e.g. 256 or 512");
		out.push_back({std::move(*spec), bits});
	}
	return out;
}

std::string cannot_measure(const std::string &engine)
{
	const std::string afalg = afalg_engine_problem(), dm = dmcrypt_engine_problem();
	if (engine == "afalg")
		return afalg;
	if (engine == "dmcrypt")
		return dm;
	if (afalg.empty() || dm.empty())
		return "";
	return afalg + ", and " + dm;
}

domain::BenchReport run_bench(render::Context &ctx, const BenchOptions &o, bool fips)
{
	const auto candidates = bench_candidates(o);
	std::string engine = o.engine;
	if (const std::string why = cannot_measure(engine); !why.empty()) {
		const bool perm = engine == "dmcrypt" && sys::dmcrypt_status() == -EPERM;
		fail(perm ? ExitCode::Permission : ExitCode::Unsupported,
		     "cannot measure here: " + why,
		     engine == "auto"
			     ? "run it in a kernel with AF_ALG (CONFIG_CRYPTO_USER_API_SKCIPHER)"
			       " or, as root, with device-mapper and dm-crypt"
			     : "try --engine auto, or another machine or kernel");
	}
	if (engine == "auto")
		engine = dmcrypt_engine_problem().empty() ? "dmcrypt" : "afalg";

	domain::BenchReport rep;
	const domain::CacheKey key = host_cache_key();
	rep.kernel = key.kernel;
	rep.cpu_model = key.cpu_model;
	rep.version = LUKSFIT_VERSION;
	rep.created = unix_now();
	const double start = now_seconds();

	std::vector<domain::BenchTarget> targets;
	for (const auto &c : candidates)
		if (!domain::safety_violation(c, fips))
			targets.push_back({c, 4096, false});
	domain::StopRule rule;
	rule.time_budget = o.time_budget;
	rule.max_rounds = o.max_rounds;
	rule.min_rounds = std::min(rule.min_rounds, o.max_rounds);
	render::Progress progress(ctx.err, sys::is_terminal(2) && !ctx.options.json,
				  "bench " + engine);

	if (engine == "dmcrypt") {
		const double ms = o.sample_ms > 0 ? o.sample_ms : 150;
		auto dev = sys::RamDevice::create(kRamDeviceBytes).or_fail();
		DmCryptEngine eng(dev, ms / 1000, sys::DirectIoSpec{256 * 1024, 4, 0});
		rep.engine = "dmcrypt";
		rep.method = eng.method();
		Phase p = run_phase(eng, targets, rule, progress, fips, true);
		fill_candidates(rep, candidates, p, fips);
		bool any = false;
		for (const auto &c : rep.candidates)
			any = any || c.available;
		if (!any && !targets.empty() &&
		    (o.engine == "dmcrypt" || !afalg_engine_problem().empty()))
			fail(ExitCode::Unsupported,
			     "cannot measure here: dm-crypt could set up none of the candidates (" +
				     rep.candidates.front().unavailable + ")",
			     "load dm_crypt (modprobe dm_crypt) or use --engine afalg");
		if (any) {
			run_variants(rep, eng, o.time_budget - (now_seconds() - start), ms,
				     progress, fips);
			progress.finish();
			rep.seconds = now_seconds() - start;
			return rep;
		}
		// dm-crypt could set up nothing (no crypt target?): auto falls back to AF_ALG.
		rep.candidates.clear();
		engine = "afalg";
	}
	const double ms = o.sample_ms > 0 ? o.sample_ms : 50;
	AfAlgEngine eng(ms / 1000, o.splice);
	rep.engine = "afalg";
	rep.method = eng.method();
	rule.time_budget = o.time_budget - (now_seconds() - start);
	Phase p = run_phase(eng, targets, rule, progress, fips, true);
	progress.finish();
	fill_candidates(rep, candidates, p, fips);
	rep.seconds = now_seconds() - start;
	return rep;
}

domain::CacheKey host_cache_key()
{
	auto cpuinfo = sys::read_text_file("/proc/cpuinfo");
	return domain::CacheKey{sys::kernel_release().or_fail(),
				cpuinfo ? domain::cpu_model_from_cpuinfo(*cpuinfo) : "unknown",
				LUKSFIT_VERSION};
}

std::int64_t unix_now()
{
	return std::chrono::duration_cast<std::chrono::seconds>(
		       std::chrono::system_clock::now().time_since_epoch())
		.count();
}

CacheFile load_cache(const std::string &path)
{
	if (!sys::path_exists(path))
		return {};
	auto text = sys::read_text_file(path);
	if (!text)
		return {{}, "bench cache " + text.error().message};
	const auto j = domain::CacheJson::parse(*text, nullptr, false);
	if (j.is_discarded() || !j.is_object() || !j.contains("reports") ||
	    !j["reports"].is_array())
		return {{},
			"bench cache " + path +
				" is not a luksfit bench cache (no JSON "
				"object with a \"reports\" array)"};
	return {domain::cache_from_json(j), {}};
}

void save_to_cache(const std::string &path, const domain::BenchReport &r, std::ostream &err)
{
	auto cache = load_cache(path);
	// An existing file that is no usable cache is kept aside, never silently overwritten.
	if (!cache.problem.empty()) {
		const std::string aside = path + kCacheAsideSuffix;
		if (auto kept = sys::keep_file_as(path, aside); !kept) {
			Error e = kept.error();
			e.message = "save bench results to " + path + ": " + cache.problem +
				    ", and it could not be kept aside: " + e.message;
			e.hint = "move or remove " + path + ", or pass --cache PATH";
			fail(std::move(e));
		}
		err << "luksfit: warning: " << cache.problem << "; kept it as " << aside
		    << " and started a new cache\n";
	}
	domain::cache_store(cache.reports, r);
	auto saved = sys::write_text_file_atomic(
		path, domain::cache_to_json(cache.reports).dump(1) + "\n");
	if (!saved) {
		Error e = saved.error();
		e.message = "save bench results to " + path + ": " + e.message;
		e.hint = "pass --cache PATH to a writable place";
		fail(std::move(e));
	}
}

} // namespace luksfit::flows
