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
