#include "system/text_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system/module_tree.hpp" // read_text_file()
#include "util/unique_fd.hpp"

namespace luksfit::sys {

int write_text_file_atomic(const std::string &path, const std::string &content)
{
	const std::filesystem::path p(path);
	std::error_code ec;
	if (p.has_parent_path())
		std::filesystem::create_directories(p.parent_path(), ec);
	if (ec)
		return -ec.value();
	const std::string tmp = path + ".tmp." + std::to_string(::getpid());
	UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
	if (!fd.valid())
		return -errno;
	if (::write(fd.get(), content.data(), content.size()) !=
		    static_cast<ssize_t>(content.size()) ||
	    ::fsync(fd.get()) != 0) {
		const int err = -errno;
		::unlink(tmp.c_str());
		return err;
	}
	fd.reset();
	if (::rename(tmp.c_str(), path.c_str()) != 0) {
		const int err = -errno;
		::unlink(tmp.c_str());
		return err;
	}
	return 0;
}

bool is_terminal(int fd)
{
	return ::isatty(fd) == 1;
}

Expected<BlockTopology> block_topology(const std::string &device)
{
	struct stat st {
	};
	if (::stat(device.c_str(), &st) != 0)
		return error_from_errno(errno, "stat " + device);
	if (!S_ISBLK(st.st_mode))
		return error_from_errno(ENOTBLK, device);
	std::string base = "/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" +
			   std::to_string(minor(st.st_rdev));
	// A partition has no queue/ of its own: its parent disk's applies.
	if (::access((base + "/partition").c_str(), F_OK) == 0)
		base += "/..";
	auto num = [&](const char *attr) -> unsigned {
		auto t = read_text_file(base + "/queue/" + attr);
		return t ? static_cast<unsigned>(std::stoul(*t)) : 0;
	};
	BlockTopology t;
	t.rotational = num("rotational") != 0;
	t.logical_sector = num("logical_block_size");
	t.physical_sector = num("physical_block_size");
	return t;
}

} // namespace luksfit::sys
