#include "commands/options/bench_options.hpp"

#include <CLI/CLI.hpp>

namespace luksfit::commands {

void add_bench_options(CLI::App &sub, flows::BenchOptions &o)
{
	sub.add_option("--engine", o.engine,
		       "afalg, dmcrypt, or auto (dmcrypt when root and "
		       "dm-crypt exist, else afalg)")
		->check(CLI::IsMember({"auto", "afalg", "dmcrypt"}))
		->capture_default_str();
	sub.add_option("--cipher", o.ciphers,
		       "Candidate cipher (repeatable); default: the "
		       "policy's candidates");
	sub.add_option("--key-size", o.key_sizes,
		       "Key size in bits for --cipher (one for all, "
		       "or one per --cipher)");
	sub.add_option("--time-budget", o.time_budget, "Seconds for the whole run")
		->check(CLI::PositiveNumber)
		->capture_default_str();
	sub.add_option("--sample-ms", o.sample_ms,
		       "Length of one sample in ms (default: 50 afalg, 150 dmcrypt)")
		->check(CLI::PositiveNumber);
	sub.add_option("--max-rounds", o.max_rounds, "Stop after this many rounds")
		->check(CLI::Range(1, 1000))
		->capture_default_str();
	sub.add_flag("--splice", o.splice,
		     "afalg: feed data by vmsplice+splice instead of sendmsg");
	sub.add_option("--cache", o.cache, "Bench cache file")->capture_default_str();
	sub.add_flag("--save", o.save, "Store the results in the cache file");
}

} // namespace luksfit::commands
