#include "domain/boot/crypttab_line.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "domain/host/perf_flags.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::domain {
namespace {

// A blank splits a crypttab field in two, a newline starts a line of its own, and any other
// control character (or a byte that is not UTF-8) has no business in a boot configuration file.
bool has_blank_or_control(std::string_view s)
{
	return s.find(' ') != std::string_view::npos || !util::is_printable(s);
}

bool contains(const std::vector<std::string> &v, std::string_view s)
{
	return std::find(v.begin(), v.end(), s) != v.end();
}

// The header's flag names (dm-crypt's table spelling, as sys::activation_flag_names gives them)
// and the crypttab options that ask for the same.
constexpr std::pair<std::string_view, std::string_view> kHeaderToOption[] = {
	{"allow_discards", "discard"},
	{"same_cpu_crypt", "same-cpu-crypt"},
	{"submit_from_crypt_cpus", "submit-from-crypt-cpus"},
	{"no_read_workqueue", "no-read-workqueue"},
	{"no_write_workqueue", "no-write-workqueue"},
};

bool same_uuid_text(std::string_view a, std::string_view b)
{
	return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
		return std::tolower(static_cast<unsigned char>(x)) ==
		       std::tolower(static_cast<unsigned char>(y));
	});
}

bool stored_in_header(const std::vector<std::string> &persistent, std::string_view option)
{
	for (const auto &[flag, opt] : kHeaderToOption)
		if (opt == option && contains(persistent, flag))
			return true;
	return false;
}

// The last word before a line is built: every field is one word of printable text, so the line
// is one line with these fields and no others, whatever the request was made of.
void check_line_fields(const CrypttabLineRequest &req, const std::vector<std::string> &options)
{
	std::optional<std::string> problem = crypttab_name_problem(req.name);
	if (!problem && !util::is_canonical_uuid(req.uuid))
		problem = "the UUID '" + util::printable(req.uuid) + "' is not a canonical UUID";
	if (!problem && req.keyfile)
		problem = crypttab_keyfile_problem(*req.keyfile);
	for (const auto &o : options)
		if (!problem &&
		    (o.empty() || o.find(',') != std::string::npos || has_blank_or_control(o)))
			problem = "the option '" + util::printable(o) + "' is not a single word";
	if (problem)
		fail(ExitCode::Failed, "cannot build a crypttab line: " + *problem);
}

} // namespace

std::optional<std::string> crypttab_name_problem(std::string_view name)
{
	if (name.empty())
		return "the name is empty";
	if (name.find('/') != std::string_view::npos)
		return "the name contains '/'; it must be a plain name (/dev/mapper/NAME)";
	if (has_blank_or_control(name))
		return "the name contains blanks or control characters";
	if (name.front() == '#')
		return "a name starting with '#' would make the line a comment";
	if (name == "." || name == "..")
		return "'" + std::string(name) + "' is not a usable name";
	return std::nullopt;
}

std::optional<std::string> crypttab_keyfile_problem(std::string_view keyfile)
{
	if (keyfile.empty())
		return "the key file path is empty";
	if (has_blank_or_control(keyfile))
		return "the key file path contains blanks or control characters";
	if (keyfile.front() == '#')
		return "the key file path starts with '#'";
	return std::nullopt;
}

CrypttabLine build_crypttab_line(const CrypttabLineRequest &req)
{
	CrypttabLine l;
	l.options.emplace_back("luks");
	std::vector<std::string> wanted;
	for (const auto &f : req.perf_flags)
		wanted.push_back(crypttab_flag_name(f));
	if (req.discard)
		wanted.emplace_back("discard");
	for (auto &opt : wanted) {
		if (stored_in_header(req.persistent_flags, opt))
			l.from_header.push_back(std::move(opt));
		else if (!contains(l.options, opt))
			l.options.push_back(std::move(opt));
	}
	if (req.initrd)
		l.options.emplace_back("x-initrd.attach");
	check_line_fields(req, l.options);

	std::string opts = util::join(l.options, ",");
	l.text = req.name + " UUID=" + req.uuid + " " + req.keyfile.value_or("none") + " " + opts;
	return l;
}

std::optional<CrypttabConflict> find_crypttab_conflict(const Crypttab &tab, std::string_view name,
						       std::string_view uuid)
{
	for (const auto &e : tab.entries) {
		const std::string at = "line " + std::to_string(e.line);
		// The file's bytes, shown in a message.
		const std::string shown = util::printable(e.name);
		if (e.name == name)
			return CrypttabConflict{e.line, at + " already maps '" + shown + "'"};
		constexpr std::string_view by_uuid = "/dev/disk/by-uuid/";
		const bool same_uuid =
			(e.device.kind == DeviceRefKind::Uuid &&
			 same_uuid_text(e.device.value, uuid)) ||
			(e.device.kind == DeviceRefKind::Path &&
			 e.device.value.starts_with(by_uuid) &&
			 same_uuid_text(std::string_view(e.device.value).substr(by_uuid.size()),
					uuid));
		if (same_uuid)
			return CrypttabConflict{e.line, at + " already lists this volume (UUID " +
								std::string(uuid) + ") as '" +
								shown + "'"};
	}
	return std::nullopt;
}

std::string append_crypttab_line(std::string_view existing, std::string_view line)
{
	std::string out(existing);
	if (!out.empty() && out.back() != '\n')
		out += '\n';
	out += line;
	out += '\n';
	return out;
}

} // namespace luksfit::domain
