#include "system/os/text_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

#include "system/os/file_replace.hpp"
#include "system/os/readable_file.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

std::string size_text(std::size_t bytes)
{
	return bytes % (1u << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
				       : std::to_string(bytes) + " bytes";
}

} // namespace

Expected<std::string> read_text_file(const std::string &path, std::size_t limit)
{
	auto f = open_readable(path, "cannot read " + path, ExitCode::Failed,
			       "give the path of a regular file");
	if (!f)
		return f.error();
	const UniqueFd fd = std::move(f->fd);
	std::string text;
	char buf[16384];
	for (;;) {
		const ssize_t n = ::read(fd.get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_from_errno(errno, "cannot read " + path);
		if (n == 0)
			return text;
		// Refused rather than cut: a truncated file would be parsed as if it were whole.
		if (static_cast<std::size_t>(n) > limit - text.size())
			return Error{
				ExitCode::Failed, path + " is larger than " + size_text(limit), {}};
		text.append(buf, static_cast<std::size_t>(n));
	}
}

Status write_text_file_atomic(const std::string &path, const std::string &content)
{
	const std::filesystem::path p(path);
	std::error_code ec;
	if (p.has_parent_path())
		std::filesystem::create_directories(p.parent_path(), ec);
	if (ec)
		return error_from_errno(ec.value(), "create the folder of " + path);
	FileSnapshot fresh; // a new file's attributes: mode 0644, owned by whoever writes
	fresh.path = path;
	return write_file_atomically(path, content, fresh);
}

} // namespace luksfit::sys
