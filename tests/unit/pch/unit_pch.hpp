// Precompiled once per build for every unit test file (tests/unit/meson.build, cpp_pch; the
// compiler force-includes it, no test names it): Catch2 (v2's single header is 18,000 lines),
// nlohmann-json and the standard headers most tests parse, instead of 40 times over.
// Tests still include what they use, so that they also build with -Db_pch=false. No
// #pragma once: the compiler takes this file as a main file ("#pragma once in main file").

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include <nlohmann/json.hpp>
