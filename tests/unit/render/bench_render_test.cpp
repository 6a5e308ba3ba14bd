#include <sstream>

#include "catch_compat.hpp"

#include "render/bench_render.hpp"
#include "render/recommend_render.hpp"

using namespace luksfit;
using namespace luksfit::domain;

namespace {

BenchReport sample_report()
{
	BenchReport r;
	r.engine = "afalg";
	r.method = "AF_ALG skcipher";
	r.kernel = "6.1.0-56-cloud-amd64";
	r.cpu_model = "QEMU";
	r.version = "0.1.0";
	r.created = 0;
	r.rounds = 3;
	r.stop_reason = "settled";
	r.candidates = {
		CandidateResult{default_candidates()[0],
				true,
				"",
				"xts-aes-aesni",
				{{40, 42, 38}, {44, 45, 43}}},
		CandidateResult{
			default_candidates()[4], false, "the kernel has no xts(serpent)", "", {}},
	};
	return r;
}

} // namespace

TEST_CASE("bench JSON: one entry per candidate with stats, unavailable ones kept")
{
	const BenchReport r = sample_report();
	const auto j = render::bench_json(r, rank(r.candidates, false));
	CHECK(j["engine"] == "afalg");
	CHECK(j["unit"] == "MiB/s");
	CHECK(j["created"] == "1970-01-01T00:00:00Z");
	CHECK(j["winner"] == "aes-xts-plain64/512");
	REQUIRE(j["candidates"].size() == 2);
	const auto &a = j["candidates"][0];
	CHECK(a["label"] == "aes-xts-plain64/512");
	CHECK(a["driver"] == "xts-aes-aesni");
	CHECK(a["encrypt"]["median"] == Approx(40));
	CHECK(a["decrypt"]["median"] == Approx(44));
	CHECK(a["encrypt"]["samples"] == 3);
	CHECK(a["rank_status"] == "winner");
	const auto &s = j["candidates"][1];
	CHECK(s["available"] == false);
	CHECK(s["unavailable"] == "the kernel has no xts(serpent)");
	CHECK_FALSE(s.contains("encrypt"));
	CHECK(s["rank_status"] == "unavailable");

	std::ostringstream out;
	render::bench_text(out, r, rank(r.candidates, false));
	CHECK(out.str().find("40.0 (39.0-41.0)") != std::string::npos);
	CHECK(out.str().find("unavailable: the kernel has no xts(serpent)") != std::string::npos);
}

TEST_CASE("recommend JSON: choice, basis, others with reasons, command lines")
{
	const BenchReport r = sample_report();
	const Recommendation rec = recommend(&r, "cached afalg measurements", RecommendHostFacts{});
	const auto j = render::recommend_json(rec);
	CHECK(j["basis"] == "cached afalg measurements");
	CHECK(j["choice"]["label"] == "aes-xts-plain64/512");
	CHECK(j["sector_size"] == 4096);
	CHECK(j["perf_flags"].empty());
	CHECK(j["pbkdf"]["type"] == "argon2id");
	CHECK(j["keyslot_cipher"].is_null());
	CHECK(j["crypttab_options"] == "luks");
	REQUIRE(j["others"].size() == 1);
	CHECK(j["others"][0]["status"] == "unavailable");
	CHECK(j["luks_format"].get<std::string>().rfind("cryptsetup luksFormat", 0) == 0);
}

TEST_CASE("recommend output: the device considered, reasons read once")
{
	const BenchReport r = sample_report();
	Recommendation rec = recommend(&r, "cached afalg measurements", RecommendHostFacts{});
	CHECK(render::recommend_json(rec)["device"].is_null());
	std::ostringstream plain;
	render::recommend_text(plain, rec);
	CHECK(plain.str().find("device:") == std::string::npos);
	CHECK(plain.str().find("sector size:  4096 (fewer, larger crypto requests; the policy's "
			       "default)\n") != std::string::npos);
	CHECK(plain.str().find("perf flags:   none: the dm-crypt target version is unknown here; "
			       "not measured (only dm-crypt measurements") != std::string::npos);

	RecommendHostFacts h;
	h.device = RecommendDevice{"/dev/loop0p1", "loop0p1", "loop0", true, 4096, 4096};
	rec = recommend(&r, "cached afalg measurements", h);
	const auto j = render::recommend_json(rec);
	CHECK(j["device"] == render::Json{{"path", "/dev/loop0p1"},
					  {"name", "loop0p1"},
					  {"disk", "loop0"},
					  {"rotational", true},
					  {"logical_sector_size", 4096},
					  {"physical_sector_size", 4096}});
	std::ostringstream out;
	render::recommend_text(out, rec);
	CHECK(out.str().find("\ndevice:   /dev/loop0p1 (partition of loop0): rotational, logical "
			     "sector 4096, physical 4096 bytes\n") != std::string::npos);

	h.device = RecommendDevice{"/dev/sdb", "sdb", "sdb", false, 512, 512};
	std::ostringstream whole;
	render::recommend_text(whole, recommend(&r, "", h));
	CHECK(whole.str().find("device:   /dev/sdb: non-rotational, logical sector 512, physical "
			       "512 bytes\n") != std::string::npos);
}
