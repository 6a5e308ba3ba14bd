// The CLI contract, in process: global flags, the error model, JSON errors, exit codes.
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include <nlohmann/json.hpp>

#include "cli/run.hpp"
#include "commands/command.hpp"
#include "luksfit_config.h"
#include "system/kernel/kernel_info.hpp"

namespace {

struct Outcome {
	int code;
	std::string out;
	std::string err;
};

Outcome run_cli(std::vector<std::string> args)
{
	args.insert(args.begin(), "luksfit");
	std::vector<const char *> argv;
	for (const auto &a : args)
		argv.push_back(a.c_str());
	std::ostringstream out, err;
	const int code = luksfit::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
	return {code, out.str(), err.str()};
}

bool contains(const std::string &haystack, const std::string &needle)
{
	return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("--version names luksfit, libcryptsetup and the running kernel")
{
	const auto r = run_cli({"--version"});
	CHECK(r.code == 0);
	CHECK(contains(r.out, std::string("luksfit ") + LUKSFIT_VERSION + "\n"));
	CHECK(contains(r.out, "libcryptsetup 2."));
	CHECK(contains(r.out, "kernel " + luksfit::sys::kernel_release().value() + "\n"));
	CHECK(r.err.empty());
}

TEST_CASE("--version --json is one JSON document with schema 1")
{
	const auto r = run_cli({"--version", "--json"});
	REQUIRE(r.code == 0);
	const auto doc = nlohmann::json::parse(r.out);
	CHECK(doc["schema"] == 1);
	CHECK(doc["ok"] == true);
	CHECK(doc["luksfit"] == LUKSFIT_VERSION);
	CHECK(doc["kernel"] == luksfit::sys::kernel_release().value());
}

TEST_CASE("an unknown option exits 1 with CLI11's message and a hint")
{
	const auto r = run_cli({"--frobnicate"});
	CHECK(r.code == 1);
	CHECK(contains(r.err, "--frobnicate"));
	CHECK(contains(r.err, "hint: run 'luksfit --help'"));
	CHECK(r.out.empty());
}

TEST_CASE("with --json, a parse error is a JSON error document on stdout")
{
	const auto r = run_cli({"--json", "--frobnicate"});
	CHECK(r.code == 1);
	CHECK(r.err.empty());
	const auto doc = nlohmann::json::parse(r.out);
	CHECK(doc["schema"] == 1);
	CHECK(doc["ok"] == false);
	CHECK(doc["error"]["exit_code"] == 1);
	CHECK(doc["error"]["kind"] == "failed");
	CHECK(contains(doc["error"]["message"].get<std::string>(), "--frobnicate"));
}

TEST_CASE("no command is an error, --help is not")
{
	CHECK(run_cli({}).code == 1);
	const auto help = run_cli({"--help"});
	CHECK(help.code == 0);
	CHECK(contains(help.out, "check"));
	CHECK(contains(help.out, "initramfs-modules"));
}

// Every registered command is built: none answers "not implemented yet" any more.
TEST_CASE("every registered command has a runner")
{
	for (const auto &e : luksfit::commands::command_table()) {
		INFO(e.name);
		CHECK(e.setup != nullptr);
	}
}

// udev runs it for every LUKS event: no LUKS header is no output and exit 0, even with -v.
TEST_CASE("udev-probe prints nothing for a target without a LUKS header")
{
	const auto r = run_cli({"udev-probe", "/dev/null"});
	CHECK(r.code == 0);
	CHECK(r.out.empty());
	CHECK(r.err.empty());
	const auto gone = run_cli({"udev-probe", "/nonexistent/luksfit-udev-probe"});
	CHECK(gone.code == 0);
	CHECK(gone.out.empty());
	const auto j = run_cli({"udev-probe", "--json", "/dev/null"});
	CHECK(j.code == 0);
	const auto doc = nlohmann::json::parse(j.out);
	CHECK(doc["command"] == "udev-probe");
	CHECK(doc["luks"] == false);
	CHECK(run_cli({"udev-probe"}).code == 1); // DEVNODE is required
}

TEST_CASE("check --json is one document with a verdict that matches the exit code")
{
	const auto r = run_cli({"check", "--json"});
	const auto doc = nlohmann::json::parse(r.out);
	CHECK(doc["command"] == "check");
	const std::string verdict = doc["verdict"];
	CHECK(r.code == (verdict == "unsupported" ? 7 : 0));
	CHECK(doc["host"]["verdict"] == verdict);
	CHECK(doc["host"]["candidates"].size() == 6);
}
