#include "system/os/key_input.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/os/readable_file.hpp"
#include "system/os/signals.hpp"
#include "system/os/terminal.hpp"
#include "util/eintr.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

const char *const kKeyHint = "use --key-file PATH, --key-file - (stdin) or type a passphrase";

Error key_error(ExitCode code, std::string message, std::string hint = kKeyHint)
{
	return Error{code, std::move(message), std::move(hint)};
}

// Reads `fd` to its end, refusing more than kMaxKeyFileBytes. 0 or -errno (-EFBIG: too large).
int read_all(int fd, SecureBuffer &out)
{
	unsigned char chunk[4096];
	for (;;) {
		const ssize_t n =
			util::retry_eintr([&] { return ::read(fd, chunk, sizeof(chunk)); },
					  [] { return pending_interrupt(); });
		if (n < 0) {
			const int err = errno;
			explicit_bzero(chunk, sizeof(chunk));
			return -err;
		}
		if (n == 0)
			break;
		if (out.size() + static_cast<std::size_t>(n) > kMaxKeyFileBytes) {
			explicit_bzero(chunk, sizeof(chunk));
			return -EFBIG;
		}
		out.append(chunk, static_cast<std::size_t>(n));
	}
	explicit_bzero(chunk, sizeof(chunk));
	return 0;
}

// Before any key is in memory: a core dump (SIGQUIT, a crash) would write it to disk, and a
// dumpable process's memory is open to ptrace by its user. Never undone.
void forbid_core_dumps()
{
	::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

std::string too_large(const std::string &what)
{
	return what + " is larger than 8 MiB, cryptsetup's key file limit";
}

void write_all(int fd, const std::string &text)
{
	std::size_t done = 0;
	while (done < text.size()) {
		const ssize_t n = util::retry_eintr(
			[&] { return ::write(fd, text.data() + done, text.size() - done); },
			[] { return pending_interrupt(); });
		if (n <= 0)
			return;
		done += static_cast<std::size_t>(n);
	}
}

enum class LineEnd { Newline, Eof, Signal, TooLong, Failed };

// Reads one line into `line` (without the newline), at most kMaxPassphraseBytes.
LineEnd read_secret_line(int fd, const PromptSignals &signals, SecureBuffer &line, int &err)
{
	if (pending_interrupt()) // arrived while the prompt was written: the read would wait
		return LineEnd::Signal;
	for (;;) {
		unsigned char c = 0;
		// Other signals (e.g. SIGCHLD) do not end the prompt.
		const ssize_t n = util::retry_eintr(
			[&] { return ::read(fd, &c, 1); },
			[&] { return pending_interrupt() || signals.stop_pending(); });
		if (n < 0 && errno == EINTR)
			return LineEnd::Signal;
		if (n < 0) {
			err = errno;
			return LineEnd::Failed;
		}
		if (n == 0)
			return LineEnd::Eof;
		if (c == '\n')
			return LineEnd::Newline;
		if (line.size() >= kMaxPassphraseBytes)
			return LineEnd::TooLong;
		line.push_back(c);
		c = 0;
	}
}

// One line from the terminal, echo off. The newline is not part of the passphrase. A stop
// (Ctrl-Z) restores the terminal, stops, then asks again once continued; any other signal
// restores the terminal and fails as sys::interruption() says.
Expected<SecureBuffer> read_line(int fd, const std::string &prompt)
{
	for (;;) {
		SecureBuffer line(kMaxPassphraseBytes + 1);
		LineEnd end = LineEnd::Failed;
		int err = 0;
		int stop = 0;
		// Before PromptSignals: in the background, the default SIGTTOU stops this write.
		write_all(fd, prompt + ": ");
		{
			PromptSignals signals; // declared first: restored after the terminal
			EchoOff quiet(fd);
			end = read_secret_line(fd, signals, line, err);
			if (end != LineEnd::Newline && end != LineEnd::Eof)
				quiet.discard_input();
			stop = signals.take_stop();
		}
		if (auto e =
			    interruption()) // INT, TERM, HUP, QUIT: the terminal is restored by now
			return *e;
		if (end == LineEnd::Signal) {
			write_all(fd, "\n");
			if (stop)
				stop_as_default(stop);
			continue;
		}
		if (end == LineEnd::TooLong)
			return key_error(
				ExitCode::Failed,
				"the passphrase is longer than " +
					std::to_string(kMaxPassphraseBytes) +
					" characters; refused, and the rest of the line discarded",
				"use a key file for longer keys (--key-file PATH)");
		if (end == LineEnd::Failed)
			return error_from_errno(err, "read the passphrase from the terminal");
		return line;
	}
}

} // namespace

Expected<Key> read_key_file(const std::string &path)
{
	if (path.empty())
		return key_error(ExitCode::Failed, "the key file name is empty");
	forbid_core_dumps();
	ReadableFile f = open_readable(path);
	if (f.err) {
		Error e = error_from_errno(f.err, "key file " + path,
					   f.err == ENOENT ? "check the path given to --key-file"
							   : "check the key file's permissions");
		if (f.err == ENOENT)
			e.code = ExitCode::Failed; // a wrong parameter, not a wrong device
		return e;
	}
	// A directory, FIFO, terminal or socket: the wrong file was given (exit 4).
	if (f.wrong_kind)
		return wrong_kind_error(
			f, "key file " + path, ExitCode::WrongDevice,
			"give the path of a key file to --key-file, or --key-file - "
			"to read the key from standard input (a pipe)");
	const UniqueFd fd = std::move(f.fd);
	const struct stat &st = f.st;
	if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes)
		return key_error(
			ExitCode::Failed, too_large("key file " + path),
			"use a smaller key file (a few hundred bytes of random data is plenty)");

	Key key;
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		key.warnings.push_back("key file " + path +
				       " is readable by other users; restrict it with chmod 600");
	key.bytes.reserve(S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) + 1 : 4096);
	const int r = read_all(fd.get(), key.bytes);
	if (auto e = r == -EINTR ? interruption() : std::nullopt)
		return *e;
	if (r == -EFBIG)
		return key_error(
			ExitCode::Failed, too_large("key file " + path),
			"use a smaller key file (a few hundred bytes of random data is plenty)");
	if (r < 0)
		return error_from_errno(r, "read key file " + path);
	if (key.bytes.empty())
		return key_error(ExitCode::Failed, "key file " + path + " is empty",
				 "an empty key protects nothing; put the key in the file");
	return key;
}

Expected<Key> read_key_stdin(int fd)
{
	forbid_core_dumps();
	if (::fcntl(fd, F_GETFD) < 0)
		return key_error(ExitCode::Failed, "--key-file -: standard input is closed",
				 "pipe the key into luksfit, or give --key-file PATH");
	Key key;
	const int r = read_all(fd, key.bytes);
	if (auto e = r == -EINTR ? interruption() : std::nullopt)
		return *e;
	if (r == -EFBIG)
		return key_error(
			ExitCode::Failed, too_large("the key on standard input"),
			"use a smaller key (a few hundred bytes of random data is plenty)");
	if (r < 0)
		return error_from_errno(r, "--key-file -: read standard input",
					"pipe the key into luksfit, or give --key-file PATH");
	if (key.bytes.empty())
		return key_error(ExitCode::Failed, "--key-file -: standard input is empty",
				 "pipe the key into luksfit, or give --key-file PATH");
	return key;
}

Expected<Key> prompt_passphrase(const KeySource &source)
{
	forbid_core_dumps();
	UniqueFd tty(::open(source.tty.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY));
	if (!tty.valid())
		return key_error(ExitCode::Failed,
				 "no terminal to ask for a passphrase (" + source.tty + ")",
				 "give the key with --key-file PATH or --key-file - (stdin)");
	auto first = read_line(tty.get(), source.prompt);
	if (!first)
		return first.error();
	if (first->empty())
		return key_error(ExitCode::Failed, "empty passphrase refused",
				 "type a passphrase, or use --key-file PATH");
	if (source.confirm) {
		auto again = read_line(tty.get(), "Verify passphrase");
		if (!again)
			return again.error();
		if (!first->equals(*again))
			return key_error(
				ExitCode::Failed, "the passphrases do not match",
				"run the command again and type the same passphrase twice");
	}
	return Key{std::move(*first), {}};
}

Expected<Key> read_key(const KeySource &source)
{
	if (!source.key_file)
		return prompt_passphrase(source);
	if (*source.key_file == "-")
		return read_key_stdin(0);
	return read_key_file(*source.key_file);
}

Status require_stdin()
{
	if (::fcntl(0, F_GETFD) < 0)
		return key_error(ExitCode::Failed, "--key-file -: standard input is closed",
				 "pipe the key into luksfit, or give --key-file PATH");
	return Done{};
}

Expected<SecureBuffer> random_key(std::size_t bytes)
{
	forbid_core_dumps();
	SecureBuffer key(bytes);
	unsigned char chunk[64];
	while (key.size() < bytes) {
		const std::size_t want = std::min(sizeof(chunk), bytes - key.size());
		const ssize_t n = ::getrandom(chunk, want, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_from_errno(errno, "getrandom");
		key.append(chunk, static_cast<std::size_t>(n));
	}
	explicit_bzero(chunk, sizeof(chunk));
	return key;
}

} // namespace luksfit::sys
