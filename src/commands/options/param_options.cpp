#include "commands/options/param_options.hpp"

#include <string>

#include <CLI/CLI.hpp>

#include "flows/bench/bench_run.hpp"

namespace luksfit::commands {

void add_param_options(CLI::App &app, flows::ParamOptions &o)
{
	auto &r = o.request;
	o.cache = flows::kDefaultCache;
	app.add_option("--cipher", o.cipher,
		       "Data cipher (default: recommend's choice from cached bench results, else "
		       "aes-xts-plain64)");
	app.add_option("--key-size", o.key_bits,
		       "Key size in bits (default: as for --cipher, else 512)");
	app.add_option("--sector-size", o.sector_size,
		       "Encryption sector size (default 4096 unless the device rules it out)");
	app.add_option("--pbkdf", o.pbkdf, "argon2id (default) or pbkdf2 (forced in FIPS mode)");
	app.add_option("--iter-time", r.iter_time_ms,
		       "PBKDF unlock time target in ms (default 2000)");
	app.add_option("--pbkdf-memory", r.pbkdf_memory_kib,
		       "Argon2 memory cap in KiB (default 1048576)");
	app.add_option("--pbkdf-force-iterations", r.pbkdf_iterations,
		       "Fixed PBKDF2 iterations instead of a benchmark (tests)");
	app.add_option("--label", r.label, "LUKS2 label");
	app.add_flag("--no-perf-flags", o.no_perf_flags,
		     "Do not store the recommended dm-crypt performance flags");
	app.add_option("--cache", o.cache,
		       "Bench results to take the default cipher from (default " +
			       std::string(flows::kDefaultCache) + ")");
}

} // namespace luksfit::commands
