// The measurement options bench and recommend share, bound to flows::BenchOptions.
#pragma once

#include "flows/bench/bench_run.hpp"

namespace CLI {
class App;
}

namespace luksfit::commands {

// --engine --cipher --key-size --time-budget --sample-ms --max-rounds --splice --cache --save
void add_bench_options(CLI::App &sub, flows::BenchOptions &o);

} // namespace luksfit::commands
