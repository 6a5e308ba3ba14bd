// luksfit bench: measure the candidate ciphers with AF_ALG or real dm-crypt mappings.
#include "commands/bench.hpp"

#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/bench_run.hpp"
#include "domain/ranking.hpp"
#include "render/bench_render.hpp"

namespace luksfit::commands {

cli::CommandFn setup_bench(CLI::App &sub)
{
	auto o = std::make_shared<BenchOptions>();
	add_bench_options(sub, *o);
	return [o](cli::Context &ctx) -> ExitCode {
		const bool fips = fips_mode();
		const domain::BenchReport rep = run_bench(ctx, *o, fips);
		if (o->save)
			save_to_cache(o->cache, rep, ctx.err);
		const auto ranking = domain::rank(rep.candidates, fips);
		if (ctx.options.json) {
			auto doc = render::bench_json(rep, ranking);
			if (o->save)
				doc["saved_to"] = o->cache;
			ctx.emit_json(doc);
		} else {
			render::bench_human(ctx.out, rep, ranking);
			if (o->save)
				ctx.out << "saved to " << o->cache << '\n';
		}
		return ExitCode::Ok;
	};
}

} // namespace luksfit::commands
