// commands/: CLI11 (header-only, about 1.4 s to parse per file) and nlohmann-json dominate.
// Precompiled once per build for the files of this folder's library (cpp_pch in meson.build;
// the compiler force-includes it). Files still include what they use: the unstable root builds
// with -Db_pch=false, so a missing include fails there. No #pragma once (a main file).

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
