// Key input from files, stdin-like fds and a real pseudo-terminal.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

#include "catch_compat.hpp"

#include "system/os/key_input.hpp"
#include "temp_dir.hpp"

using namespace luksfit;
namespace fs = std::filesystem;

namespace {

std::string text(const SecureBuffer &b)
{
	return std::string(b.chars(), b.size());
}

// A pseudo-terminal: the test types into the master, read_key prompts on the slave.
struct Pty {
	int master = -1;
	std::string slave;
	std::string shown; // everything the prompt wrote so far
	Pty()
	{
		master = ::posix_openpt(O_RDWR | O_NOCTTY);
		REQUIRE(master >= 0);
		REQUIRE(::grantpt(master) == 0);
		REQUIRE(::unlockpt(master) == 0);
		slave = ::ptsname(master);
	}
	~Pty() { ::close(master); }
	// From the typist thread: no REQUIRE there (Catch2 is not thread-safe); the caller checks.
	bool type(const std::string &s)
	{
		return ::write(master, s.data(), s.size()) == static_cast<ssize_t>(s.size());
	}
	bool echo_on() const
	{
		termios t{};
		return ::tcgetattr(master, &t) == 0 && (t.c_lflag & ECHO);
	}
	// Waits (at most 10 s) until `prompt` was written `count` times and echo is off: the
	// prompt is reading a line. A condition, not a fixed delay.
	bool wait_for_prompt(const std::string &prompt, std::size_t count = 1)
	{
		const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
		while (occurrences(prompt) < count || echo_on()) {
			if (std::chrono::steady_clock::now() > end)
				return false;
			pollfd p{master, POLLIN, 0};
			if (::poll(&p, 1, 10) == 1)
				read_some();
		}
		return true;
	}
	std::string drain()
	{
		const int flags = ::fcntl(master, F_GETFL);
		::fcntl(master, F_SETFL, flags | O_NONBLOCK);
		while (read_some() > 0) {
		}
		::fcntl(master, F_SETFL, flags);
		return shown;
	}

private:
	ssize_t read_some()
	{
		char buf[256];
		const ssize_t n = ::read(master, buf, sizeof buf);
		if (n > 0)
			shown.append(buf, static_cast<std::size_t>(n));
		return n;
	}
	std::size_t occurrences(const std::string &s) const
	{
		std::size_t n = 0;
		for (auto at = shown.find(s); at != std::string::npos; at = shown.find(s, at + 1))
			++n;
		return n;
	}
};

} // namespace

TEST_CASE("a key file is read whole, bytes unchanged")
{
	TempDir d;
	const std::string content("binary\0key\n", 11);
	auto key = sys::read_key_file(d.file("k", content));
	REQUIRE(key);
	CHECK(text(key->bytes) == content);
	CHECK(key->warnings.empty());
}

TEST_CASE("key file refusals: missing, empty, directory, larger than 8 MiB")
{
	TempDir d;
	auto missing = sys::read_key_file((d.path / "nope").string());
	REQUIRE(!missing);
	CHECK(missing.error().code == ExitCode::Failed);
	CHECK(missing.error().message.find("nope") != std::string::npos);
	CHECK(!missing.error().hint.empty());

	auto empty = sys::read_key_file(d.file("empty", ""));
	REQUIRE(!empty);
	CHECK(empty.error().message.find("is empty") != std::string::npos);

	auto dir = sys::read_key_file(d.path.string());
	REQUIRE(!dir);
	CHECK(dir.error().message.find("directory") != std::string::npos);
	CHECK(dir.error().code == ExitCode::WrongDevice); // key_input.hpp's contract: exit 4

	auto big = sys::read_key_file(d.file("big", std::string(sys::kMaxKeyFileBytes + 1, 'x')));
	REQUIRE(!big);
	CHECK(big.error().message.find("8 MiB") != std::string::npos);

	auto limit = sys::read_key_file(d.file("limit", std::string(sys::kMaxKeyFileBytes, 'x')));
	CHECK(limit);
}

TEST_CASE("a FIFO, a terminal or a socket as key file is refused at once (exit 4)")
{
	TempDir d;
	const fs::path fifo = d.path / "fifo";
	REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
	// Without a writer, a blocking open of the FIFO would wait for good.
	auto f = sys::read_key_file(fifo.string());
	REQUIRE(!f);
	CHECK(f.error().code == ExitCode::WrongDevice);
	CHECK(f.error().message ==
	      "key file " + fifo.string() + " is a FIFO, not a regular file or block device");
	CHECK(f.error().hint.find("--key-file -") != std::string::npos);

	Pty pty;
	auto tty = sys::read_key_file(pty.slave);
	REQUIRE(!tty);
	CHECK(tty.error().message.find("is a character device") != std::string::npos);
}

TEST_CASE("reading a key makes the process non-dumpable (no core file, no ptrace)")
{
	TempDir d;
	REQUIRE(::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	REQUIRE(sys::read_key_file(d.file("k", "secret")));
	CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);

	REQUIRE(::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	REQUIRE(sys::random_key(32));
	CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
}

TEST_CASE("a key file readable by others is used, with a warning")
{
	TempDir d;
	auto key = sys::read_key_file(d.file("k", "secret", 0644));
	REQUIRE(key);
	REQUIRE(key->warnings.size() == 1);
	CHECK(key->warnings[0].find("readable by other users") != std::string::npos);
}

TEST_CASE("--key-file - reads the fd to its end and refuses a closed or empty one")
{
	int p[2];
	REQUIRE(::pipe(p) == 0);
	REQUIRE(::write(p[1], "from stdin\n", 11) == 11);
	::close(p[1]);
	auto key = sys::read_key_stdin(p[0]);
	::close(p[0]);
	REQUIRE(key);
	CHECK(text(key->bytes) == "from stdin\n"); // no newline processing, like cryptsetup

	REQUIRE(::pipe(p) == 0);
	::close(p[1]);
	auto empty = sys::read_key_stdin(p[0]);
	::close(p[0]);
	REQUIRE(!empty);
	CHECK(empty.error().message.find("empty") != std::string::npos);

	const int closed = p[0]; // closed above
	auto none = sys::read_key_stdin(closed);
	REQUIRE(!none);
	CHECK(none.error().message.find("closed") != std::string::npos);
}

TEST_CASE("the passphrase prompt reads a line without echo, twice when confirming")
{
	Pty pty;
	sys::KeySource src;
	src.tty = pty.slave;
	src.confirm = true;
	bool typed = false;
	std::thread typist([&] {
		typed = pty.wait_for_prompt("Enter passphrase: ") && pty.type("hunter2\n") &&
			pty.wait_for_prompt("Verify passphrase: ") && pty.type("hunter2\n");
	});
	auto key = sys::read_key(src);
	typist.join();
	REQUIRE(typed);
	REQUIRE(key);
	CHECK(text(key->bytes) == "hunter2");
	const std::string shown = pty.drain();
	CHECK(shown.find("Enter passphrase: ") != std::string::npos);
	CHECK(shown.find("Verify passphrase: ") != std::string::npos);
	CHECK(shown.find("hunter2") == std::string::npos); // never echoed
}

TEST_CASE("the prompt refuses an empty passphrase and a mismatch")
{
	{
		Pty pty;
		sys::KeySource src;
		src.tty = pty.slave;
		REQUIRE(pty.type("\n")); // typed ahead: the line waits in the terminal's queue
		auto key = sys::read_key(src);
		REQUIRE(!key);
		CHECK(key.error().message == "empty passphrase refused");
	}
	{
		Pty pty;
		sys::KeySource src;
		src.tty = pty.slave;
		src.confirm = true;
		bool typed = false;
		std::thread typist([&] {
			typed = pty.wait_for_prompt("Enter passphrase: ") && pty.type("one\n") &&
				pty.wait_for_prompt("Verify passphrase: ") && pty.type("two\n");
		});
		auto key = sys::read_key(src);
		typist.join();
		REQUIRE(typed);
		REQUIRE(!key);
		CHECK(key.error().message.find("do not match") != std::string::npos);
	}
}

TEST_CASE("an over-long passphrase is refused and the rest of the line discarded")
{
	Pty pty;
	sys::KeySource src;
	src.tty = pty.slave;
	// The next program to read the terminal (a shell, maybe): it must find nothing queued.
	const int next = ::open(pty.slave.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	REQUIRE(next >= 0);
	bool typed = false;
	std::thread typist([&] {
		typed = pty.wait_for_prompt("Enter passphrase: ") &&
			pty.type(std::string(600, 'a') + "\nls\n");
	});
	auto key = sys::read_key(src);
	typist.join();
	REQUIRE(typed);
	REQUIRE(!key);
	CHECK(key.error().message.find("longer than 512 characters") != std::string::npos);
	char buf[1024];
	const ssize_t n = ::read(next, buf, sizeof buf);
	const int err = errno;
	::close(next);
	CHECK(n == -1);
	CHECK(err == EAGAIN);
	CHECK(pty.echo_on());
}

TEST_CASE("no terminal to prompt on is a clear error")
{
	sys::KeySource src;
	src.tty = "/nonexistent/tty";
	auto key = sys::read_key(src);
	REQUIRE(!key);
	CHECK(key.error().message.find("no terminal") != std::string::npos);
	CHECK(key.error().hint.find("--key-file") != std::string::npos);
}
