#include "catch_compat.hpp"

#include "domain/volume/unlock_prediction.hpp"

using namespace luksfit::domain;

namespace {

constexpr const char *kAdiantum = "xchacha12,aes-adiantum-plain64";

LuksVolume volume(int version, std::vector<std::string> ciphers)
{
	LuksVolume v;
	v.path = "/dev/vdb";
	v.version = version;
	v.cipher = "aes-xts-plain64";
	for (std::size_t i = 0; i < ciphers.size(); ++i) {
		VolumeKeyslot k;
		k.slot = static_cast<int>(i);
		k.encryption = ciphers[i];
		k.key_bits = 256;
		k.position = static_cast<int>(i);
		v.keyslots.push_back(k);
	}
	return v;
}

UnlockHost host(bool afalg, Tri dm, bool root, std::string lib)
{
	return UnlockHost{afalg, dm, dm == Tri::No ? "no device-mapper" : "", root, std::move(lib)};
}

// aes-* in userspace; everything else refused there, the dm-crypt fallback answering `dm`.
KeyslotPathsFn paths(Tri dm)
{
	return [dm](const LuksVolume &, const VolumeKeyslot &k) {
		KeyslotPaths p;
		p.userspace = k.encryption.starts_with("aes-") ? Tri::Yes : Tri::No;
		if (p.userspace == Tri::No)
			p.dm_fallback = dm;
		return p;
	};
}

const KeyslotUnlock &slot(const UnlockForecast &f, int n)
{
	return f.keyslots.at(static_cast<std::size_t>(n));
}

} // namespace

TEST_CASE("AF_ALG here, a cipher the userspace backend has: userspace both ways")
{
	const auto f = predict_unlock(volume(2, {"aes-xts-plain64"}),
				      host(true, Tri::Yes, true, "2.6.1"), paths(Tri::Unknown));
	const auto &k = slot(f, 0);
	CHECK(k.here.opens == true);
	CHECK(k.here.path == UnlockPath::Userspace);
	CHECK(k.without_afalg.opens == true);
	CHECK(k.without_afalg.path == UnlockPath::Userspace);
	CHECK(f.fail_without_afalg.empty());
}

TEST_CASE("AF_ALG here, a kernel-only cipher, libcryptsetup 2.6.1: lost with AF_ALG")
{
	const auto f = predict_unlock(volume(2, {kAdiantum}), host(true, Tri::Yes, true, "2.6.1"),
				      paths(Tri::No));
	const auto &k = slot(f, 0);
	CHECK(k.here.opens == true);
	CHECK(k.here.path == UnlockPath::Afalg);
	CHECK(k.without_afalg.opens == false);
	CHECK_FALSE(k.without_afalg.path.has_value());
	CHECK(k.without_afalg.why.find("nor does a temporary dm-crypt mapping") !=
	      std::string::npos);
	CHECK(f.fail_without_afalg == std::vector<int>{0});
	CHECK(f.fail_here.empty());
}

TEST_CASE("no AF_ALG, the dm-crypt fallback works (libcryptsetup 2.8.7+, root)")
{
	const auto f = predict_unlock(volume(2, {kAdiantum}), host(false, Tri::Yes, true, "2.8.8"),
				      paths(Tri::Yes));
	const auto &k = slot(f, 0);
	CHECK(k.here.opens == true);
	CHECK(k.here.path == UnlockPath::DmCrypt);
	CHECK(k.without_afalg.path == UnlockPath::DmCrypt);
	CHECK(k.here.why.find("root only") != std::string::npos);
	CHECK(f.fail_here.empty());
}

TEST_CASE("not root with libcryptsetup 2.8.8: the dm-crypt path expected, not tried")
{
	const auto f = predict_unlock(volume(2, {kAdiantum}), host(true, Tri::Yes, false, "2.8.8"),
				      paths(Tri::Unknown));
	const auto &k = slot(f, 0);
	CHECK(k.here.path == UnlockPath::Afalg);
	CHECK_FALSE(k.without_afalg.opens.has_value());
	CHECK(k.without_afalg.path == UnlockPath::DmCrypt);
	CHECK(k.without_afalg.why.find("not tried") != std::string::npos);
	CHECK(f.fail_without_afalg.empty());
}

TEST_CASE("not root with libcryptsetup 2.6.1 or an unknown one: no LUKS2 fallback")
{
	for (const char *lib : {"2.6.1", "2.8.6", ""}) {
		const auto f =
			predict_unlock(volume(2, {kAdiantum}), host(false, Tri::Yes, false, lib),
				       paths(Tri::Unknown));
		CHECK(slot(f, 0).here.opens == false);
		CHECK(f.fail_here == std::vector<int>{0});
	}
}

TEST_CASE("dm-crypt absent: the keyslot has its path but the volume does not open")
{
	const auto f = predict_unlock(volume(2, {"aes-xts-plain64", kAdiantum}),
				      host(false, Tri::No, true, "2.8.8"), paths(Tri::Unknown));
	CHECK(slot(f, 0).here.opens == false);
	CHECK(slot(f, 0).here.path == UnlockPath::Userspace);
	CHECK(slot(f, 0).here.why.find("data segment cannot be activated") != std::string::npos);
	// No dm-crypt, so no temporary mapping either: the kernel-only keyslot has no path.
	CHECK(slot(f, 1).here.opens == false);
	CHECK_FALSE(slot(f, 1).here.path.has_value());
	CHECK(f.fail_here == std::vector<int>{1});
}

TEST_CASE("dm-crypt unknown (not root): opens cannot be told, the path can")
{
	const auto f =
		predict_unlock(volume(2, {"aes-xts-plain64"}),
			       host(false, Tri::Unknown, false, "2.6.1"), paths(Tri::Unknown));
	CHECK_FALSE(slot(f, 0).here.opens.has_value());
	CHECK(slot(f, 0).here.path == UnlockPath::Userspace);
}

TEST_CASE("LUKS1: the dm-crypt fallback whatever the libcryptsetup version")
{
	const auto v = volume(1, {"serpent-cbc-essiv:sha256"});
	const auto untried =
		predict_unlock(v, host(false, Tri::Yes, false, "2.6.1"), paths(Tri::Unknown));
	CHECK(slot(untried, 0).here.path == UnlockPath::DmCrypt);
	CHECK_FALSE(slot(untried, 0).here.opens.has_value());
	const auto tried = predict_unlock(v, host(false, Tri::Yes, true, "2.6.1"), paths(Tri::Yes));
	CHECK(slot(tried, 0).here.opens == true);
	CHECK(slot(tried, 0).here.path == UnlockPath::DmCrypt);
	const auto failed = predict_unlock(v, host(false, Tri::Yes, true, "2.6.1"), paths(Tri::No));
	CHECK(slot(failed, 0).here.opens == false);
	const auto aes = predict_unlock(volume(1, {"aes-cbc-essiv:sha256"}),
					host(false, Tri::Yes, true, "2.6.1"), paths(Tri::Unknown));
	CHECK(slot(aes, 0).here.path == UnlockPath::Userspace);
	CHECK(slot(aes, 0).here.opens == true);
}

TEST_CASE("a keyslot that fails for any key blocks those tried after it")
{
	const auto v = volume(2, {kAdiantum, "aes-xts-plain64"});
	const auto f = predict_unlock(v, host(true, Tri::Yes, true, "2.6.1"), paths(Tri::No));
	CHECK(slot(f, 1).here.opens == true); // with AF_ALG keyslot 0 fails only for a wrong key
	CHECK(slot(f, 1).without_afalg.opens == false);
	CHECK(slot(f, 1).without_afalg.path == UnlockPath::Userspace);
	CHECK(slot(f, 1).without_afalg.blocked_by == std::vector<int>{0});
	CHECK(f.fail_without_afalg == std::vector<int>{0}); // keyslot 1 itself is fine
	auto reordered = v;
	reordered.keyslots[1].priority = kPriorityPrefer;
	const auto g =
		predict_unlock(reordered, host(false, Tri::Yes, true, "2.6.1"), paths(Tri::No));
	CHECK(slot(g, 1).here.opens == true);
}

TEST_CASE("priority ignore: never tried without a named keyslot")
{
	auto v = volume(2, {"aes-xts-plain64"});
	v.keyslots[0].priority = kPriorityIgnore;
	const auto f = predict_unlock(v, host(true, Tri::Yes, true, "2.6.1"), paths(Tri::Unknown));
	CHECK(slot(f, 0).here.opens == false);
	CHECK(slot(f, 0).here.path == UnlockPath::Userspace);
}

TEST_CASE("a probe that could not run: nothing is claimed")
{
	const auto f =
		predict_unlock(volume(2, {kAdiantum}), host(true, Tri::Yes, true, "2.8.8"),
			       [](const LuksVolume &, const VolumeKeyslot &) {
				       return KeyslotPaths{Tri::Unknown, Tri::Unknown, "timed out"};
			       });
	CHECK_FALSE(slot(f, 0).here.opens.has_value());
	CHECK_FALSE(slot(f, 0).here.path.has_value());
	CHECK(f.fail_here.empty());
}

TEST_CASE("versions compare by number")
{
	CHECK(version_at_least("2.8.7", "2.8.7") == true);
	CHECK(version_at_least("2.8.10", "2.8.7") == true);
	CHECK(version_at_least("2.10", "2.8.7") == true);
	CHECK(version_at_least("2.7.5", "2.8.7") == false);
	CHECK(version_at_least("2.8", "2.8.7") == false);
	CHECK(version_at_least("2.8.8-rc1", "2.8.7") == true);
	CHECK_FALSE(version_at_least("", "2.8.7").has_value());
}

TEST_CASE("the text summary names the path")
{
	UnlockPrediction p{true, UnlockPath::Afalg, "", Tri::Yes, {}};
	CHECK(unlock_summary(p) == "opens via AF_ALG");
	p.path = UnlockPath::DmCrypt;
	CHECK(unlock_summary(p) == "opens via a temporary dm-crypt mapping (root only)");
	p.opens = false;
	p.why = "x";
	CHECK(unlock_summary(p) == "does not open: x");
}

TEST_CASE("keyslots beyond userspace: a dm-crypt fallback counts, as an unprocessable one does")
{
	const auto v = volume(2, {kAdiantum, "aes-xts-plain64", "serpent-xts-plain64"});
	// 2.8.8 as root with dm-crypt: the fallback processes Adiantum and Serpent, not in
	// userspace
	const auto with_dm =
		predict_unlock(v, host(false, Tri::Yes, true, "2.8.8"), paths(Tri::Yes));
	CHECK(with_dm.fail_without_afalg.empty());
	CHECK(keyslots_beyond_userspace(with_dm) == std::vector<int>{0, 2});
	// 2.6.1: neither is processed at all
	const auto without =
		predict_unlock(v, host(false, Tri::Yes, true, "2.6.1"), paths(Tri::No));
	CHECK(keyslots_beyond_userspace(without) == std::vector<int>{0, 2});
	const auto only_aes = predict_unlock(volume(2, {"aes-xts-plain64"}),
					     host(false, Tri::Yes, true, "2.8.8"), paths(Tri::Yes));
	CHECK(keyslots_beyond_userspace(only_aes).empty());
}
