// Catch2 v2 (one header, Debian bookworm) or v3 (split headers and a compiled main, trixie
// and later): tests/unit/meson.build picks the one installed and sets LUKSFIT_CATCH2_V3.
// Every test includes this instead of a Catch2 header; only what the tests use is here.
#pragma once

#if LUKSFIT_CATCH2_V3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
using Catch::Approx;
#else
#include <catch2/catch.hpp>
#endif
