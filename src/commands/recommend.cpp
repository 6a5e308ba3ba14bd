// luksfit recommend: the fastest safe choice, from cached or fresh measurements.
#include "commands/recommend.hpp"

#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/options/bench_options.hpp"
#include "domain/bench/recommendation.hpp"
#include "domain/cipher/policy.hpp"
#include "domain/format/param_source.hpp"
#include "flows/host/host_facts.hpp"
#include "render/recommend_render.hpp"

namespace luksfit::commands {
namespace {

struct RecommendOptions {
	flows::BenchOptions bench;
	bool fips = false;
	bool fresh = false;
	std::string device;
};

ExitCode run_recommend(render::Context &ctx, const RecommendOptions &o)
{
	const domain::RecommendHostFacts host = flows::recommend_host_facts(o.device, o.fips);
	const domain::CacheKey key = flows::host_cache_key();
	const flows::CacheFile cache = flows::load_cache(o.bench.cache);
	if (!cache.problem.empty())
		ctx.err << "luksfit: warning: " << cache.problem << "; ignored\n";
	const auto &cached = cache.reports;
	const domain::BenchReport *pick = nullptr;
	if (!o.fresh && o.bench.ciphers.empty())
		pick = domain::cache_pick(cached, key, flows::unix_now());

	domain::BenchReport fresh;
	std::string basis;
	const domain::BenchReport *report = nullptr;
	if (pick) {
		report = pick;
		basis = "cached " + pick->engine + " measurements of " +
			domain::utc_date(pick->created) + " from " + o.bench.cache + " (kernel " +
			pick->kernel + ", " + std::to_string(pick->rounds) + " rounds)";
	} else if (const std::string why = flows::cannot_measure(o.bench.engine); why.empty()) {
		fresh = flows::run_bench(ctx, o.bench, host.fips);
		if (o.bench.save)
			flows::save_to_cache(o.bench.cache, fresh, ctx.err);
		report = &fresh;
		basis = "measured now with the " + fresh.engine + " engine (" +
			std::to_string(fresh.rounds) + " rounds, " + fresh.stop_reason + ")";
	} else {
		const std::string rej = domain::cache_rejections(cached, key, flows::unix_now());
		basis = "no measurements: " + why + "; no usable cached result in " +
			o.bench.cache + (rej.empty() ? "" : " (" + rej + ")") +
			"; the choice follows the policy's preference order alone";
	}
	const auto rec = domain::recommend(report, basis, host);
	if (ctx.options.json)
		ctx.emit_json(render::recommend_json(rec));
	else
		render::recommend_text(ctx.out, rec);
	if (!rec.choice)
		fail(ExitCode::Unsupported, "no candidate is both safe and available here",
		     "see the reasons above; try --cipher with other ciphers");
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_recommend(CLI::App &sub)
{
	auto o = std::make_shared<RecommendOptions>();
	add_bench_options(sub, o->bench);
	sub.add_flag("--fips", o->fips, "Apply the FIPS restriction (automatic in FIPS mode)");
	sub.add_flag("--fresh", o->fresh, "Measure again even if a cached result matches");
	sub.add_option("--device", o->device,
		       "The device to be formatted: its topology and "
		       "whether it is rotational count");
	return [o](render::Context &ctx) { return run_recommend(ctx, *o); };
}

} // namespace luksfit::commands
