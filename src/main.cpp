// luksfit: all logic lives in the library; main only forwards.
#include <iostream>

#include "cli/run.hpp"

int main(int argc, char **argv)
{
	return luksfit::cli::run(argc, argv, std::cout, std::cerr);
}
