// Catch2 v2 only: its main (with Catch2 v3, meson links Catch2WithMain instead).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
