#include "render/host_report_render.hpp"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <ostream>

#include "util/text.hpp"

namespace luksfit::render {
namespace {

using domain::Tri;

Json tri(Tri t)
{
	return domain::tri_name(t);
}

Json errno_json(int r)
{
	return r == 0 ? Json(nullptr) : Json(std::strerror(-r));
}

Json config_json(const domain::HostFacts &h)
{
	Json c = Json::object();
	for (const char *opt :
	     {"CONFIG_CRYPTO_USER_API", "CONFIG_CRYPTO_USER_API_SKCIPHER",
	      "CONFIG_CRYPTO_USER_API_AEAD", "CONFIG_CRYPTO_USER_API_HASH", "CONFIG_BLK_DEV_DM",
	      "CONFIG_DM_CRYPT", "CONFIG_BLK_DEV_LOOP", "CONFIG_KEYS"})
		c[opt] = domain::tristate_name(h.config.get(opt));
	return c;
}

Json candidate_json(const domain::CandidateFacts &c)
{
	Json j = {{"cipher", c.candidate.spec.text()},
		  {"key_bits", c.candidate.key_bits},
		  {"kernel_algorithm", c.kernel_algorithm},
		  {"unsafe", c.unsafe ? Json(*c.unsafe) : Json(nullptr)}};
	if (c.driver)
		j["driver"] = {{"name", c.driver->driver},
			       {"module", c.driver->module},
			       {"priority", c.driver->priority},
			       {"acceleration",
				domain::acceleration_name(domain::classify_driver(*c.driver))}};
	else
		j["driver"] = nullptr;
	j["autoload_modules"] = c.modules;
	j["afalg_reaches_driver"] = tri(c.afalg_reaches_driver);
	j["keyslot_without_afalg"] = tri(c.keyslot_without_afalg);
	j["keyslot_dm_fallback"] = tri(c.keyslot_dm_fallback);
	j["keyslot_detail"] = c.keyslot_detail;
	return j;
}

// How keyslots of this cipher are processed once AF_ALG is gone: by libcryptsetup's userspace
// backend, else through a temporary dm-crypt mapping (root), else not.
std::string keyslots_without_afalg_text(const domain::CandidateFacts &c)
{
	if (c.keyslot_without_afalg != Tri::No)
		return c.keyslot_without_afalg == Tri::Yes ? "userspace" : "unknown";
	switch (c.keyslot_dm_fallback) {
	case Tri::Yes:
		return "dm-crypt (root)";
	case Tri::No:
		return "no";
	default:
		return "no userspace; dm-crypt untried";
	}
}

std::string yes_no(Tri t, const std::string &detail = {})
{
	std::string s = domain::tri_name(t);
	if (!detail.empty())
		s += " (" + detail + ")";
	return s;
}

void row(std::ostream &out, const char *key, const std::string &value)
{
	out << "  " << std::left << std::setw(18) << key << value << '\n';
}

std::string features_text(const domain::TargetVersion &v)
{
	std::string s = util::join(domain::supported_features(v), " ",
				   [&](const auto *f) { return std::string(f->name); });
	return s;
}

std::string driver_text(const domain::CandidateFacts &c)
{
	if (c.driver)
		return c.driver->driver;
	if (!c.modules.empty())
		return "not loaded (module " + c.modules.front() + ")";
	return "not loaded";
}

} // namespace

Json findings_json(const std::vector<domain::Finding> &f)
{
	Json arr = Json::array();
	for (const auto &x : f)
		arr.push_back({{"severity", domain::severity_name(x.severity)},
			       {"id", x.id},
			       {"message", x.message},
			       {"remedy", x.remedy}});
	return arr;
}

Json host_report_json(const domain::HostReport &r)
{
	const auto &h = r.facts;
	Json afalg = {{"available", h.afalg_family == 0}, {"error", errno_json(h.afalg_family)}};
	Json types = Json::object();
	for (const auto &[type, rc] : h.afalg_types)
		types[type] = {{"binds", rc == 0}, {"error", errno_json(rc)}};
	afalg["types"] = types;
	afalg["splice"] = {{"result", h.splice}, {"detail", h.splice_detail}};

	Json dm = {{"device_mapper", h.device_mapper},
		   {"device_mapper_available", tri(h.device_mapper_available)},
		   {"dm_crypt", tri(h.dm_crypt)},
		   {"detail", h.dm_detail}};
	if (h.dm_crypt_version) {
		dm["version"] = h.dm_crypt_version->text();
		Json feats = Json::array();
		for (const auto *f : domain::supported_features(*h.dm_crypt_version))
			feats.push_back(f->name);
		dm["features"] = feats;
	} else {
		dm["version"] = nullptr;
		dm["features"] = nullptr;
	}
	Json since = Json::object(); // every feature luksfit knows, with its first version
	for (const auto &f : domain::dm_crypt_features())
		since[f.name] = {{"dm_crypt", f.since.text()}, {"linux", f.kernel}};
	dm["features_since"] = since;
	Json cands = Json::array();
	for (const auto &c : h.candidates)
		cands.push_back(candidate_json(c));
	return {
		{"kernel",
		 {{"release", h.kernel_release},
		  {"fips", h.fips ? Json(*h.fips) : Json(nullptr)}, // null: unreadable
		  {"config_source",
		   h.config_source.empty() ? Json(nullptr) : Json(h.config_source)},
		  {"config", config_json(h)},
		  {"log_readable", tri(h.kernel_log_readable)},
		  {"afalg_log_lines", h.afalg_log_lines}}},
		{"cpu", {{"model", h.cpu_model}, {"extensions", h.cpu_extensions}}},
		{"afalg", afalg},
		{"dm", dm},
		{"loop", tri(h.loop)},
		{"keyring", tri(h.keyring)},
		{"lock_dir", tri(h.lock_dir)},
		{"libcryptsetup", h.libcryptsetup_version},
		{"libcryptsetup_source", h.libcryptsetup_runtime ? "runtime" : "build"},
		{"libcryptsetup_build", h.libcryptsetup_build},
		{"candidates", cands},
		{"findings", findings_json(r.findings)},
		{"verdict", domain::verdict_name(r.verdict)},
	};
}

void findings_text(std::ostream &out, const std::vector<domain::Finding> &f)
{
	for (const auto &x : f) {
		std::string sev = domain::severity_name(x.severity);
		for (auto &ch : sev)
			ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
		out << "  " << std::left << std::setw(8) << sev << x.message << '\n'
		    << "  " << std::setw(8) << ""
		    << "fix: " << x.remedy << '\n';
	}
}

void host_report_text(std::ostream &out, const domain::HostReport &r)
{
	const auto &h = r.facts;
	out << "Host\n";
	row(out, "kernel", h.kernel_release);
	row(out, "kernel config", h.config_source.empty() ? "unknown" : h.config_source);
	row(out, "FIPS mode",
	    !h.fips   ? "unknown (/proc/sys/crypto/fips_enabled unreadable)"
	    : *h.fips ? "yes"
		      : "no");
	std::string ext = util::join(h.cpu_extensions, " ");
	row(out, "CPU", h.cpu_model + (ext.empty() ? "" : " [" + ext + "]"));
	row(out, "AF_ALG",
	    h.afalg_family == 0 ? "yes"
				: "no (" + std::string(std::strerror(-h.afalg_family)) + ")");
	for (const auto &[type, rc] : h.afalg_types)
		row(out, ("  " + type).c_str(),
		    rc == 0 ? "binds" : std::string("no (") + std::strerror(-rc) + ")");
	row(out, "  splice",
	    h.splice + (h.splice_detail.empty() ? "" : " (" + h.splice_detail + ")"));
	row(out, "device-mapper", h.device_mapper ? "yes" : "no");
	std::string dm = yes_no(h.dm_crypt, h.dm_detail);
	if (h.dm_crypt_version)
		dm = h.dm_crypt_version->text() + " (" + features_text(*h.dm_crypt_version) + ")";
	row(out, "dm-crypt", dm);
	row(out, "loop devices", yes_no(h.loop));
	row(out, "kernel keyring", yes_no(h.keyring));
	row(out, "lock directory", yes_no(h.lock_dir, h.lock_dir_detail));
	row(out, "kernel log", yes_no(h.kernel_log_readable));
	row(out, "libcryptsetup",
	    domain::libcryptsetup_version_text(h.libcryptsetup_version, h.libcryptsetup_runtime,
					       h.libcryptsetup_build));

	// Columns as wide as their longest cell (Adiantum's driver names run past 34 characters).
	auto accel_text = [](const domain::CandidateFacts &c) -> std::string {
		return c.driver ? domain::acceleration_name(domain::classify_driver(*c.driver))
				: "-";
	};
	std::size_t cipher_w = std::strlen("cipher"), driver_w = std::strlen("dm-crypt driver");
	std::size_t accel_w = std::strlen("acceleration");
	for (const auto &c : h.candidates) {
		cipher_w = std::max(cipher_w, c.candidate.label().size());
		driver_w = std::max(driver_w, driver_text(c).size());
		accel_w = std::max(accel_w, accel_text(c).size());
	}
	const auto cw = static_cast<int>(cipher_w + 2), dw = static_cast<int>(driver_w + 2);
	const auto aw = static_cast<int>(accel_w + 2);
	out << "\nCandidates\n  " << std::left << std::setw(cw) << "cipher" << std::setw(dw)
	    << "dm-crypt driver" << std::setw(aw) << "acceleration" << std::setw(16)
	    << "AF_ALG->driver"
	    << "keyslots w/o AF_ALG\n";
	for (const auto &c : h.candidates)
		out << "  " << std::setw(cw) << c.candidate.label() << std::setw(dw)
		    << driver_text(c) << std::setw(aw) << accel_text(c) << std::setw(16)
		    << domain::tri_name(c.afalg_reaches_driver) << keyslots_without_afalg_text(c)
		    << (c.unsafe ? "  (unsafe: " + *c.unsafe + ")" : "") << '\n';
	out << "\nFindings\n";
	if (r.findings.empty())
		out << "  none\n";
	findings_text(out, r.findings);
	out << "\nVerdict: " << domain::verdict_name(r.verdict) << '\n';
}

} // namespace luksfit::render
