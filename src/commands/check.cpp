#include "commands/check.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "flows/host/host_probe.hpp"
#include "flows/host/volume_probe.hpp"
#include "render/host_report_render.hpp"
#include "render/volume_audit_render.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::vector<std::string> targets;
	bool strict = false;
};

ExitCode host_exit(domain::Verdict v, bool strict)
{
	if (v == domain::Verdict::Unsupported || (strict && v == domain::Verdict::Degraded))
		return ExitCode::Unsupported;
	return ExitCode::Ok;
}

// With TARGETs: 4 when none could be read; --strict: 7 when a volume has an error finding.
ExitCode audit_exit(const std::vector<domain::VolumeAudit> &audits,
		    const std::vector<domain::TargetError> &errors, bool strict)
{
	if (audits.empty())
		fail(ExitCode::WrongDevice,
		     "no target could be read: " + errors.front().path + ": " +
			     errors.front().message +
			     (errors.size() > 1
				      ? " (and " + std::to_string(errors.size() - 1) + " more)"
				      : ""),
		     errors.front().hint);
	if (strict)
		for (const auto &a : audits)
			if (domain::worst(a.findings) == domain::Severity::Error)
				return ExitCode::Unsupported;
	return ExitCode::Ok;
}

ExitCode run_check(render::Context &ctx, const Options &o)
{
	const auto report = domain::evaluate_host(flows::gather_host_facts());
	if (o.targets.empty()) {
		if (ctx.options.json)
			ctx.emit_json({{"host", render::host_report_json(report)},
				       {"verdict", domain::verdict_name(report.verdict)}});
		else
			render::host_report_text(ctx.out, report);
		return host_exit(report.verdict, o.strict);
	}

	std::vector<flows::VolumeOrError> read;
	for (const auto &t : o.targets)
		read.push_back(flows::read_volume(t));
	const auto host = flows::audit_host(report, read);
	std::vector<domain::VolumeAudit> audits;
	std::vector<domain::TargetError> errors;
	render::Json volumes = render::Json::array();
	for (auto &v : read) {
		if (auto *e = std::get_if<domain::TargetError>(&v)) {
			errors.push_back(*e);
			volumes.push_back(render::target_error_json(*e));
			continue;
		}
		audits.push_back(
			domain::audit_volume(std::get<domain::LuksVolume>(std::move(v)), host));
		volumes.push_back(render::volume_audit_json(audits.back()));
	}
	if (!ctx.options.json) {
		ctx.out << "Host " << report.facts.kernel_release << ": "
			<< domain::verdict_name(report.verdict)
			<< " (run 'luksfit check' without targets for the full report)\n";
		std::size_t a = 0, e = 0;
		for (const auto &v : read) {
			ctx.out << '\n';
			if (std::holds_alternative<domain::TargetError>(v))
				render::target_error_text(ctx.out, errors[e++]);
			else
				render::volume_audit_text(ctx.out, audits[a++]);
		}
	}
	const ExitCode code = audit_exit(audits, errors, o.strict); // throws when none was read
	if (ctx.options.json)
		ctx.emit_json({{"host", render::host_report_json(report)},
			       {"verdict", domain::verdict_name(report.verdict)},
			       {"volumes", volumes}});
	return code;
}

} // namespace

commands::CommandFn setup_check(CLI::App &sub)
{
	auto opts = std::make_shared<Options>();
	sub.add_option("TARGET", opts->targets, "LUKS devices or image files to audit (read-only)");
	sub.add_flag(
		"--strict", opts->strict,
		"Exit 7 for a degraded host (or, with TARGETs, a volume with an error finding)");
	return [opts](render::Context &ctx) { return run_check(ctx, *opts); };
}

} // namespace luksfit::commands
