// lab_probe: tiny helper for the luksfit kernel lab guests (libc only).
//
//   lab_probe exit N                  report status N (0..255) to the host through qemu's
//                                     isa-debug-exit device (ioperm + outb to port 0xf4);
//                                     qemu then exits with (N << 1) | 1
//   lab_probe afalg-socket [TYPE NAME]
//                                     socket(AF_ALG, SOCK_SEQPACKET, 0), and with TYPE NAME
//                                     also bind() to that algorithm (e.g. skcipher
//                                     "xts(aes)"); prints "ok" or the errno name; exit 0 if ok
//   lab_probe errno-name N            print the symbolic name of errno N
//   lab_probe pattern SEED MIB        write MIB MiB of deterministic test data to stdout:
//                                     64-byte text lines naming SEED and the line's index
//                                     (busybox awk needs ~30 s for 8 MiB under TCG)
//
// Exit status: 0 ok, 1 the probed operation failed, 2 usage error.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <linux/if_alg.h>
#include <string>
#include <string_view>
#include <sys/io.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#ifndef AF_ALG
#define AF_ALG 38
#endif

namespace {

constexpr unsigned short debug_exit_port = 0xf4;

struct ErrnoName {
	int value;
	const char *name;
};

constexpr ErrnoName errno_names[] = {
	{EPERM, "EPERM"},
	{ENOENT, "ENOENT"},
	{EINTR, "EINTR"},
	{EIO, "EIO"},
	{ENXIO, "ENXIO"},
	{EBADF, "EBADF"},
	{EAGAIN, "EAGAIN"},
	{ENOMEM, "ENOMEM"},
	{EACCES, "EACCES"},
	{EFAULT, "EFAULT"},
	{EBUSY, "EBUSY"},
	{EEXIST, "EEXIST"},
	{ENODEV, "ENODEV"},
	{EINVAL, "EINVAL"},
	{ENOSPC, "ENOSPC"},
	{ENOSYS, "ENOSYS"},
	{ENOTSOCK, "ENOTSOCK"},
	{EPROTOTYPE, "EPROTOTYPE"},
	{ENOPROTOOPT, "ENOPROTOOPT"},
	{EPROTONOSUPPORT, "EPROTONOSUPPORT"},
	{ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
	{EOPNOTSUPP, "EOPNOTSUPP"},
	{EPFNOSUPPORT, "EPFNOSUPPORT"},
	{EAFNOSUPPORT, "EAFNOSUPPORT"},
	{EADDRINUSE, "EADDRINUSE"},
	{EADDRNOTAVAIL, "EADDRNOTAVAIL"},
	{ENOKEY, "ENOKEY"},
	{EKEYREJECTED, "EKEYREJECTED"},
	{ELIBBAD, "ELIBBAD"},
};

std::string errno_name(int value)
{
	for (const auto &entry : errno_names) {
		if (entry.value == value) {
			return entry.name;
		}
	}
	return "E" + std::to_string(value);
}

bool parse_int(std::string_view text, long min, long max, long &out)
{
	if (text.empty() || text.size() > 12) {
		return false;
	}
	std::string copy(text);
	char *end = nullptr;
	errno = 0;
	const long value = std::strtol(copy.c_str(), &end, 10);
	if (errno != 0 || end == nullptr || *end != '\0' || value < min || value > max) {
		return false;
	}
	out = value;
	return true;
}

int usage()
{
	std::fputs("usage: lab_probe exit N\n"
		   "       lab_probe afalg-socket [TYPE NAME]\n"
		   "       lab_probe errno-name N\n"
		   "       lab_probe pattern SEED MIB\n",
		   stderr);
	return 2;
}

int cmd_exit(int argc, char **argv)
{
	long status = 0;
	if (argc != 3 || !parse_int(argv[2], 0, 255, status)) {
		return usage();
	}
	if (ioperm(debug_exit_port, 4, 1) != 0) {
		std::fprintf(stderr, "lab_probe: ioperm(0x%x): %s\n", debug_exit_port,
			     errno_name(errno).c_str());
		return 1;
	}
	std::fflush(nullptr);
	sync();
	outb(static_cast<unsigned char>(status), debug_exit_port);
	// Only reached without an isa-debug-exit device.
	std::fprintf(stderr,
		     "lab_probe: still running after writing to port 0x%x "
		     "(no isa-debug-exit device?)\n",
		     debug_exit_port);
	return 1;
}

int cmd_afalg_socket(int argc, char **argv)
{
	if (argc != 2 && argc != 4) {
		return usage();
	}
	const int fd = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (fd < 0) {
		std::printf("%s\n", errno_name(errno).c_str());
		return 1;
	}
	if (argc == 4) {
		sockaddr_alg sa{};
		sa.salg_family = AF_ALG;
		const std::string_view type = argv[2];
		const std::string_view name = argv[3];
		if (type.size() >= sizeof sa.salg_type || name.size() >= sizeof sa.salg_name) {
			close(fd);
			return usage();
		}
		std::memcpy(sa.salg_type, type.data(), type.size());
		std::memcpy(sa.salg_name, name.data(), name.size());
		// sockaddr_alg is the documented argument of bind() on AF_ALG sockets.
		// NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
		if (bind(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa) != 0) {
			const int err = errno;
			close(fd);
			std::printf("%s\n", errno_name(err).c_str());
			return 1;
		}
	}
	close(fd);
	std::printf("ok\n");
	return 0;
}

bool write_all(int fd, const char *data, std::size_t size)
{
	while (size > 0) {
		const ssize_t n = write(fd, data, size);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return false;
		}
		data += n;
		size -= static_cast<std::size_t>(n);
	}
	return true;
}

int cmd_pattern(int argc, char **argv)
{
	long mib = 0;
	if (argc != 4 || !parse_int(argv[3], 0, 1L << 20, mib)) {
		return usage();
	}
	constexpr std::size_t line_size = 64;
	constexpr std::size_t lines_per_mib = (1U << 20) / line_size;
	const std::string_view seed = argv[2];
	std::vector<char> buffer((1U << 20) + 1);
	unsigned long long index = 0;
	for (long block = 0; block < mib; ++block) {
		for (std::size_t line = 0; line < lines_per_mib; ++line, ++index) {
			// "%-20.20s %012llu %-29.29s\n" is exactly 64 bytes (+ the terminating NUL,
			// overwritten by the next line; the buffer has one spare byte for the
			// last).
			std::snprintf(buffer.data() + line * line_size, line_size + 1,
				      "%-20.20s %012llu %-29.29s\n", std::string(seed).c_str(),
				      index, "luksfit-lab-pattern-line");
		}
		if (!write_all(STDOUT_FILENO, buffer.data(), 1U << 20)) {
			std::fprintf(stderr, "lab_probe: write: %s\n", errno_name(errno).c_str());
			return 1;
		}
	}
	return 0;
}

int cmd_errno_name(int argc, char **argv)
{
	long value = 0;
	if (argc != 3 || !parse_int(argv[2], 0, 4095, value)) {
		return usage();
	}
	std::printf("%s\n", errno_name(static_cast<int>(value)).c_str());
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		return usage();
	}
	const std::string_view cmd = argv[1];
	if (cmd == "exit") {
		return cmd_exit(argc, argv);
	}
	if (cmd == "afalg-socket") {
		return cmd_afalg_socket(argc, argv);
	}
	if (cmd == "pattern") {
		return cmd_pattern(argc, argv);
	}
	if (cmd == "errno-name") {
		return cmd_errno_name(argc, argv);
	}
	return usage();
}
