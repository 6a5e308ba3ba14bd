// A private temporary folder for a test, removed with everything in it at the end.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

#include "catch_compat.hpp"

struct TempDir {
	std::filesystem::path path;
	TempDir()
	{
		std::string tmpl =
			(std::filesystem::temp_directory_path() / "luksfit-test.XXXXXX").string();
		REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
		path = tmpl;
	}
	~TempDir() { std::filesystem::remove_all(path); }
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	// Writes `content` to the file `name` in the folder, with `mode`; returns its path.
	std::filesystem::path file(const std::string &name, const std::string &content,
				   mode_t mode = 0600)
	{
		const std::filesystem::path p = path / name;
		std::ofstream(p, std::ios::binary) << content;
		::chmod(p.c_str(), mode);
		return p;
	}
};
