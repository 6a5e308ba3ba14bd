// render/: nlohmann-json (about 1 s to parse per file) dominates.
// Precompiled once per build for the files of this folder's library (cpp_pch in meson.build;
// the compiler force-includes it). Files still include what they use: the unstable root builds
// with -Db_pch=false, so a missing include fails there. No #pragma once (a main file).

#include <algorithm>
#include <iomanip>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
