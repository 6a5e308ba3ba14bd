#include "commands/validate.hpp"

#include <cstdlib>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/options/param_options.hpp"
#include "domain/format/size.hpp"
#include "flows/format/roundtrip.hpp"
#include "flows/host/host_facts.hpp"
#include "render/format_render.hpp"
#include "system/dm/dm_support.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	flows::ParamOptions params;
	std::string size = "64M";
	std::string dir;
};

std::string default_dir()
{
	const char *tmp = std::getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}

ExitCode run_validate(render::Context &ctx, const Options &o)
{
	const std::uint64_t size = domain::parse_size(o.size).or_fail();
	if (size < domain::kLuks2HeaderBytes + (16u << 20))
		fail(ExitCode::Failed, "--size " + o.size + " is too small for the round trip",
		     "use at least 32M (16 MiB LUKS2 header + 16 MiB data)");
	domain::Topology topo;
	topo.size_bytes = size;
	const domain::FormatPlan plan =
		domain::plan_format(flows::to_request(o.params), flows::format_host_facts(), topo)
			.or_fail();
	if (auto missing = sys::dmcrypt_lacks())
		fail(ExitCode::Unsupported,
		     "validate cannot run here: this kernel has no " + *missing,
		     "validate needs dm-crypt for its data round trip; run it on a kernel with "
		     "dm-crypt (format still checks keyslots without it)");

	flows::RoundTripOptions rt;
	rt.dir = o.dir.empty() ? default_dir() : o.dir;
	rt.image_bytes = size;
	rt.pattern_bytes =
		std::min<std::uint64_t>(8u << 20, size - domain::kLuks2HeaderBytes) / 4096 * 4096;
	if (!ctx.options.json) {
		ctx.out << "validating on a " << domain::format_size(size) << " test image in "
			<< rt.dir << ":\n";
		render::plan_text(ctx.out, plan);
		ctx.out.flush();
	}
	const flows::RoundTripResult result = run_roundtrip(plan, rt, [&](const flows::Step &s) {
		if (!ctx.options.json)
			ctx.out << render::step_text(s.name, s.ms) << std::endl;
	});
	if (ctx.options.json) {
		render::Json steps = render::Json::array();
		for (const auto &s : result.steps)
			steps.push_back({{"name", s.name}, {"ms", s.ms}});
		ctx.emit_json({{"parameters", render::plan_json(plan)},
			       {"parameters_source", render::source_json(plan.source)},
			       {"image_size_bytes", size},
			       {"pattern_bytes", rt.pattern_bytes},
			       {"data_path_tested", result.data_path_tested},
			       {"uuid", result.uuid},
			       {"steps", steps},
			       {"total_ms", result.total_ms}});
		return ExitCode::Ok;
	}
	ctx.out << "validation passed (" << static_cast<long>(result.total_ms)
		<< " ms); nothing left behind\n";
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_validate(CLI::App &sub)
{
	auto o = std::make_shared<Options>();
	add_param_options(sub, o->params);
	sub.add_option("--size", o->size, "Test image size (default 64M)");
	sub.add_option("--dir", o->dir, "Directory for the test image (default $TMPDIR or /tmp)");
	return [o](render::Context &ctx) { return run_validate(ctx, *o); };
}

} // namespace luksfit::commands
