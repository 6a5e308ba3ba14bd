// `luksfit crypttab`: the /etc/crypttab line for one LUKS volume, and the checks before adding
// it to a file (a name or a volume already listed).
//
// Options the LUKS2 header already stores as persistent activation flags are left out: every
// reader of crypttab opens LUKS volumes through libcryptsetup, which applies the header's flags
// on each activation, so repeating them would only give two places to keep in step.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/boot/crypttab.hpp"

namespace luksfit::domain {

struct CrypttabLineRequest {
	std::string name;		    // the mapping, /dev/mapper/NAME
	std::string uuid;		    // of the LUKS header
	std::optional<std::string> keyfile; // nullopt: "none" (ask for the passphrase)
	// The flags the kernel supports, cryptsetup's names ("no_read_workqueue").
	std::vector<std::string> perf_flags;
	// The header's persistent flags, dm-crypt's spelling ("no_read_workqueue").
	std::vector<std::string> persistent_flags;
	bool discard = false; // pass TRIM through (asked for explicitly only)
	bool initrd = false;  // x-initrd.attach: set up from the initramfs
};

struct CrypttabLine {
	std::string text;		      // "NAME UUID=... none luks,..." without newline
	std::vector<std::string> options;     // the options field, in order
	std::vector<std::string> from_header; // options left out: the header stores them
};

// Why NAME cannot be a crypttab target (empty, '/', blanks or control characters, '#'...), or
// nullopt.
std::optional<std::string> crypttab_name_problem(std::string_view name);

// Why a keyfile path cannot be a crypttab field (blanks or control characters, ...), or nullopt.
std::optional<std::string> crypttab_keyfile_problem(std::string_view keyfile);

// Fails (exit 1) unless every field is one word of printable text (the UUID canonical): the
// line must be one line with four fields, whatever it was built from.
CrypttabLine build_crypttab_line(const CrypttabLineRequest &req);

struct CrypttabConflict {
	int line = 0;
	std::string message; // "line 3 already maps 'data'"
};

// An entry with the same NAME, or naming the same volume (UUID=, or /dev/disk/by-uuid/).
std::optional<CrypttabConflict> find_crypttab_conflict(const Crypttab &tab, std::string_view name,
						       std::string_view uuid);

// `existing` with `line` appended as a line of its own; every existing byte is kept (a missing
// final newline is added before the new line).
std::string append_crypttab_line(std::string_view existing, std::string_view line);

} // namespace luksfit::domain

namespace luksfit::domain {

// What `luksfit crypttab` found and did, for rendering.
struct CrypttabResult {
	std::string device;
	std::string name;
	std::string uuid;
	CrypttabLine line;
	std::string flags_basis; // why these flags (the dm-crypt target version, or why none)
	std::string file;	 // the crypttab file checked (and written with --write)
	std::optional<CrypttabConflict> conflict; // in `file`; only reported without --write
	bool written = false;
	bool created = false; // --write made a new file (there was none, so no backup)
	std::string backup;   // the previous content's copy, when written over an existing file
	int line_number = 0;  // of the new line, when written
};

} // namespace luksfit::domain
