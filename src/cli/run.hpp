// The program: parse the command line, run one command, map every failure to an exit code.
#pragma once

#include <iosfwd>

namespace luksfit::cli {

// Entry point used by main() and by the in-process CLI tests.
int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

} // namespace luksfit::cli
