// luksfit bench: measure the candidate ciphers with AF_ALG or real dm-crypt mappings.
#include "commands/bench.hpp"

#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/options/bench_options.hpp"
#include "domain/bench/ranking.hpp"
#include "flows/host/host_facts.hpp"
#include "render/bench_render.hpp"

namespace luksfit::commands {

namespace {

ExitCode run_bench(render::Context &ctx, const flows::BenchOptions &o)
{
	const bool fips = flows::fips_restricted();
	const domain::BenchReport rep = flows::run_bench(ctx, o, fips);
	if (o.save)
		flows::save_to_cache(o.cache, rep, ctx.err);
	const auto ranking = domain::rank(rep.candidates, fips, rep.disturbance.unreliable);
	if (ctx.options.json) {
		auto doc = render::bench_json(rep, ranking);
		if (o.save)
			doc["saved_to"] = o.cache;
		ctx.emit_json(doc);
	} else {
		render::bench_text(ctx.out, rep, ranking);
		if (o.save)
			ctx.out << "saved to " << o.cache << '\n';
	}
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_bench(CLI::App &sub)
{
	auto o = std::make_shared<flows::BenchOptions>();
	add_bench_options(sub, *o);
	return [o](render::Context &ctx) { return run_bench(ctx, *o); };
}

} // namespace luksfit::commands
