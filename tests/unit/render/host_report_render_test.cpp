#include <sstream>

#include "catch_compat.hpp"

#include "render/host_report_render.hpp"

using namespace luksfit;

TEST_CASE("host report JSON has the documented shape")
{
	domain::HostFacts h;
	h.kernel_release = "6.1.0-56-cloud-amd64";
	h.afalg_family = -97;
	h.dm_crypt = domain::Tri::Yes;
	h.dm_crypt_version = domain::TargetVersion{1, 22, 0};
	domain::CandidateFacts c;
	c.candidate = domain::default_candidates().front();
	c.kernel_algorithm = "xts(aes)";
	c.keyslot_without_afalg = domain::Tri::Yes;
	h.candidates.push_back(c);
	const auto r = domain::evaluate_host(h);
	const auto j = render::host_report_json(r);
	CHECK(j["kernel"]["release"] == "6.1.0-56-cloud-amd64");
	CHECK(j["afalg"]["available"] == false);
	CHECK(j["afalg"]["error"].is_string());
	CHECK(j["dm"]["version"] == "1.22.0");
	CHECK(j["dm"]["features"].size() == 7);
	CHECK(j["candidates"][0]["cipher"] == "aes-xts-plain64");
	CHECK(j["candidates"][0]["key_bits"] == 512);
	CHECK(j["candidates"][0]["keyslot_without_afalg"] == "yes");
	CHECK(j["candidates"][0]["driver"].is_null());
	CHECK(j["verdict"] == domain::verdict_name(r.verdict));
	for (const auto &f : j["findings"]) {
		CHECK(f["severity"].is_string());
		CHECK_FALSE(f["remedy"].get<std::string>().empty());
	}
	std::ostringstream text;
	render::host_report_text(text, r);
	CHECK(text.str().find("Verdict: ") != std::string::npos);
}

TEST_CASE("the candidate table says which way keyslots open without AF_ALG")
{
	domain::HostFacts h;
	h.kernel_release = "7.2.13+deb14-cloud-amd64";
	h.dm_crypt = domain::Tri::Yes;
	const auto candidates = domain::default_candidates();
	const domain::Tri userspace[] = {domain::Tri::Yes, domain::Tri::No, domain::Tri::No,
					 domain::Tri::No};
	const domain::Tri fallback[] = {domain::Tri::Unknown, domain::Tri::Yes, domain::Tri::No,
					domain::Tri::Unknown};
	for (std::size_t i = 0; i < 4 && i < candidates.size(); ++i) {
		domain::CandidateFacts c;
		c.candidate = candidates[i];
		c.keyslot_without_afalg = userspace[i];
		c.keyslot_dm_fallback = fallback[i];
		h.candidates.push_back(c);
	}
	REQUIRE(h.candidates.size() == 4);
	const auto r = domain::evaluate_host(h);
	const auto j = render::host_report_json(r);
	CHECK(j["candidates"][1]["keyslot_without_afalg"] == "no");
	CHECK(j["candidates"][1]["keyslot_dm_fallback"] == "yes");
	std::ostringstream text;
	render::host_report_text(text, r);
	const auto row = [&](std::size_t i) {
		const auto &s = text.str();
		const auto at = s.find("\n  " + candidates[i].label() + " ");
		REQUIRE(at != std::string::npos);
		return s.substr(at + 1, s.find('\n', at + 1) - at - 1);
	};
	CHECK(row(0).find("userspace") != std::string::npos);
	CHECK(row(1).find("dm-crypt (root)") != std::string::npos);
	CHECK(row(2).substr(row(2).size() - 2) == "no");
	CHECK(row(3).find("no userspace; dm-crypt untried") != std::string::npos);
}
