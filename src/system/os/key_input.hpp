// Where a LUKS key comes from: a key file, stdin, or a passphrase typed on the terminal.
// Shared by every command that needs a key (format, open, validate, harden). The key only
// ever lives in a SecureBuffer; it never reaches argv, logs or output.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "util/expected.hpp"
#include "util/secure_buffer.hpp"

namespace luksfit::sys {

// cryptsetup's default key file size limit (--keyfile-size max, 8 MiB): a larger file is refused.
inline constexpr std::size_t kMaxKeyFileBytes = 8u * 1024 * 1024;
// cryptsetup's limit for an interactively typed passphrase.
inline constexpr std::size_t kMaxPassphraseBytes = 512;

struct KeySource {
	// `--key-file PATH`; "-" reads stdin to its end (no newline processing, like cryptsetup).
	// Unset: prompt for a passphrase on the terminal.
	std::optional<std::string> key_file;
	bool confirm = false;			 // prompt twice (creating a keyslot)
	std::string prompt = "Enter passphrase"; // shown as "<prompt>: "
	std::string tty = "/dev/tty";		 // the terminal to prompt on (a pty in tests)
};

struct Key {
	SecureBuffer bytes;
	std::vector<std::string> warnings; // e.g. a key file readable by others; the caller prints
};

// Reads the key as `source` says. Errors (exit 1 unless said otherwise): missing, empty,
// unreadable (2) or too large key file; a key file that is neither a regular file nor a block
// device, e.g. a directory or a FIFO (4; the key from a pipe is --key-file -); stdin closed or
// empty; no terminal to prompt on; an empty passphrase; one longer than 512 characters (the
// rest of the typed line is discarded, not left for the next program reading the terminal);
// two passphrases that differ. SIGINT, SIGTERM, SIGHUP or SIGQUIT while waiting at the prompt
// restores the terminal and fails with sys::interruption()'s error; SIGTSTP restores it, stops, and
// asks again once continued. Before any key is read the process is made non-dumpable
// (PR_SET_DUMPABLE 0: no core file, no ptrace by its user), for good; random_key too.
Expected<Key> read_key(const KeySource &source);

// The pieces, for callers and tests that need just one of them.
Expected<Key> read_key_file(const std::string &path);
Expected<Key> read_key_stdin(int fd = 0);
Expected<Key> prompt_passphrase(const KeySource &source);

// Fails when fd 0 is closed. Call it first thing when the key comes from stdin: once closed,
// the next open() in the process would take fd 0 and be read as the key.
Status require_stdin();

// `bytes` random bytes from getrandom(2), for throw-away keys (validate's test image).
Expected<SecureBuffer> random_key(std::size_t bytes);

} // namespace luksfit::sys
