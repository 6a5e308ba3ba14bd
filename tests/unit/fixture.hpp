// Reads a captured file under tests/fixtures/ (see tests/fixtures/README.md for provenance).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

inline std::string fixture(const std::string &rel)
{
	std::ifstream in(std::string(LUKSFIT_FIXTURES) + "/" + rel);
	if (!in)
		throw std::runtime_error("missing fixture " + rel);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}
