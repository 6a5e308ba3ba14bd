// Key input from files, stdin-like fds and a real pseudo-terminal.
#include "system/key_input.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

#include "catch_compat.hpp"

using namespace luksfit;
namespace fs = std::filesystem;

namespace {

struct TempDir {
	fs::path path;
	TempDir()
	{
		std::string tmpl = (fs::temp_directory_path() / "luksfit-key.XXXXXX").string();
		REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
		path = tmpl;
	}
	~TempDir() { fs::remove_all(path); }
	fs::path file(const std::string &name, const std::string &content, mode_t mode = 0600)
	{
		const fs::path p = path / name;
		std::ofstream(p, std::ios::binary) << content;
		::chmod(p.c_str(), mode);
		return p;
	}
};

std::string text(const SecureBuffer &b)
{
	return std::string(b.chars(), b.size());
}

// A pseudo-terminal: the test types into the master, read_key prompts on the slave.
struct Pty {
	int master = -1;
	std::string slave;
	Pty()
	{
		master = ::posix_openpt(O_RDWR | O_NOCTTY);
		REQUIRE(master >= 0);
		REQUIRE(::grantpt(master) == 0);
		REQUIRE(::unlockpt(master) == 0);
		slave = ::ptsname(master);
	}
	~Pty() { ::close(master); }
	void type(const std::string &s) { REQUIRE(::write(master, s.data(), s.size()) == static_cast<ssize_t>(s.size())); }
	std::string drain()
	{
		std::string out;
		char buf[256];
		const int flags = ::fcntl(master, F_GETFL);
		::fcntl(master, F_SETFL, flags | O_NONBLOCK);
		ssize_t n;
		while ((n = ::read(master, buf, sizeof buf)) > 0)
			out.append(buf, static_cast<std::size_t>(n));
		::fcntl(master, F_SETFL, flags);
		return out;
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

	auto big = sys::read_key_file(d.file("big", std::string(sys::kMaxKeyFileBytes + 1, 'x')));
	REQUIRE(!big);
	CHECK(big.error().message.find("8 MiB") != std::string::npos);

	auto limit = sys::read_key_file(d.file("limit", std::string(sys::kMaxKeyFileBytes, 'x')));
	CHECK(limit);
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
	std::thread typist([&] {
		::usleep(100000);
		pty.type("hunter2\n");
		::usleep(100000);
		pty.type("hunter2\n");
	});
	auto key = sys::read_key(src);
	typist.join();
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
		pty.type("\n");
		auto key = sys::read_key(src);
		REQUIRE(!key);
		CHECK(key.error().message == "empty passphrase refused");
	}
	{
		Pty pty;
		sys::KeySource src;
		src.tty = pty.slave;
		src.confirm = true;
		std::thread typist([&] {
			::usleep(100000);
			pty.type("one\n");
			::usleep(100000);
			pty.type("two\n");
		});
		auto key = sys::read_key(src);
		typist.join();
		REQUIRE(!key);
		CHECK(key.error().message.find("do not match") != std::string::npos);
	}
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
