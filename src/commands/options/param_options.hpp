// The LUKS2 parameter options format and validate share, bound to flows::ParamOptions.
#pragma once

#include "flows/format/params.hpp"

namespace CLI {
class App;
}

namespace luksfit::commands {

// --cipher --key-size --sector-size --pbkdf --iter-time --pbkdf-memory
// --pbkdf-force-iterations --no-perf-flags --label --cache
void add_param_options(CLI::App &app, flows::ParamOptions &o);

} // namespace luksfit::commands
