#include "flows/format/roundtrip.hpp"

#include <chrono>
#include <optional>
#include <unistd.h>

#include "flows/format/params.hpp"
#include "system/block/blkid_probe.hpp"
#include "system/block/direct_io.hpp"
#include "system/block/image_file.hpp"
#include "system/block/loop_device.hpp"
#include "system/luks/crypt_device.hpp"
#include "system/luks/luks_header.hpp"
#include "system/os/key_input.hpp"
#include "system/os/signals.hpp"
#include "util/pattern.hpp"

namespace luksfit::flows {
namespace {

class Runner
{
public:
	Runner(RoundTripResult &result, const StepObserver &observer)
	    : result_(result), observer_(observer)
	{
	}

	// Runs one step, timing it; a failure becomes exit 8 naming the step.
	template <typename Fn> auto step(const std::string &name, Fn &&fn)
	{
		sys::throw_if_interrupted();
		const auto start = std::chrono::steady_clock::now();
		auto finish = [&](std::string detail) {
			const std::chrono::duration<double, std::milli> d =
				std::chrono::steady_clock::now() - start;
			Step s{name, d.count(), std::move(detail)};
			result_.total_ms += s.ms;
			result_.steps.push_back(s);
			if (observer_)
				observer_(s);
		};
		try {
			auto value = fn();
			sys::throw_if_interrupted();
			finish({});
			return value;
		} catch (const sys::Interrupted &) {
			throw;
		} catch (const Failure &f) {
			sys::throw_if_interrupted(); // a step that failed because of the signal
			fail(Error{ExitCode::ValidationFailed,
				   "validation failed at step '" + name + "': " + f.error().message,
				   f.error().hint.empty()
					   ? "the parameters do not work on this host; nothing was "
					     "left behind"
					   : f.error().hint});
		}
	}

private:
	RoundTripResult &result_;
	const StepObserver &observer_;
};

void check_header(sys::CryptDevice &cd, const domain::FormatPlan &plan)
{
	const std::string diff = header_mismatch(plan, sys::loaded_header(cd));
	if (!diff.empty())
		fail(ExitCode::ValidationFailed, "the header read back differs: " + diff);
}

void check_blkid(const std::string &path, const std::string &uuid)
{
	const auto report = sys::blkid_probe_path(path).or_fail();
	for (const auto &s : report.signatures)
		if (s.type == "crypto_LUKS" && s.uuid == uuid)
			return;
	fail(ExitCode::ValidationFailed,
	     "libblkid does not see crypto_LUKS with UUID " + uuid + " on " + path);
}

} // namespace

RoundTripResult run_roundtrip(const domain::FormatPlan &plan, const RoundTripOptions &opts,
			      const StepObserver &on_step)
{
	RoundTripResult result;
	Runner r(result, on_step);
	const SecureBuffer key = sys::random_key(32).or_fail();
	const std::uint32_t flags = activation_flags(plan);

	auto image = r.step("create image", [&] {
		return sys::TempImage::create(opts.dir, opts.image_bytes).or_fail();
	});
	std::string target = image.path();
	// Formatted as a file, not through the loop device: libcryptsetup zeroes a block device's
	// header areas with BLKZEROOUT, which a loop device over tmpfs (no FALLOC_FL_ZERO_RANGE)
	// fails with a kernel error line per MiB before the kernel falls back to writing zeroes.
	r.step("format", [&] {
		auto cd = sys::CryptDevice::init(target).or_fail();
		cd.format_luks2(luks_params(plan)).or_fail();
		cd.set_keyslot_encryption(plan.keyslot.spec.text(), plan.keyslot.key_bits / 8)
			.or_fail();
		cd.add_keyslot_after_format(key).or_fail();
		if (flags)
			cd.set_persistent_flags(flags).or_fail();
		result.uuid = sys::loaded_header(cd).uuid;
		return 0;
	});
	std::optional<sys::LoopDevice> loop;
	if (!opts.keyslot_only) {
		loop.emplace(r.step("attach loop", [&] {
			return sys::LoopDevice::attach_fd(image.fd(), "luksfit test image")
				.or_fail();
		}));
		target = loop->path();
	}
	r.step("reload and check header", [&] {
		auto cd = sys::CryptDevice::init(target).or_fail();
		cd.load().or_fail();
		check_header(cd, plan);
		return 0;
	});
	if (opts.keyslot_only) {
		r.step("unlock keyslot", [&] {
			auto cd = sys::CryptDevice::init(target).or_fail();
			cd.load().or_fail();
			return cd.check_passphrase(key).or_fail();
		});
	} else {
		const std::string name = "luksfit-validate-" + std::to_string(::getpid());
		const std::uint64_t seed =
			pattern_word(key.data()[0] | (std::uint64_t{key.data()[1]} << 8), 7);
		auto open = [&] {
			auto cd = sys::CryptDevice::init(target).or_fail();
			cd.load().or_fail();
			cd.activate(name, key, flags).or_fail();
			return sys::ActiveMapping(name);
		};
		{
			sys::ActiveMapping mapping = r.step("open", open);
			r.step("write pattern (O_DIRECT)", [&] {
				sys::write_pattern_direct(mapping.path(), opts.pattern_bytes, seed)
					.or_fail();
				return 0;
			});
			r.step("close", [&] { return mapping.close().or_fail(), 0; });
		}
		{
			sys::ActiveMapping mapping = r.step("reopen", open);
			r.step("read back and verify", [&] {
				const auto bad = sys::verify_pattern_direct(
							 mapping.path(), opts.pattern_bytes, seed)
							 .or_fail();
				if (bad)
					fail(ExitCode::ValidationFailed,
					     "data read back differs at byte " +
						     std::to_string(*bad));
				return 0;
			});
			r.step("close again", [&] { return mapping.close().or_fail(), 0; });
		}
		r.step("no plaintext in image", [&] {
			if (sys::file_contains_pattern(image.path(), opts.pattern_bytes, seed)
				    .or_fail())
				fail(ExitCode::ValidationFailed,
				     "the backing image contains the plaintext pattern");
			return 0;
		});
		result.data_path_tested = true;
	}
	r.step("blkid sees crypto_LUKS", [&] { return check_blkid(image.path(), result.uuid), 0; });
	if (loop)
		r.step("detach loop", [&] {
			loop.reset();
			return 0;
		});
	r.step("delete image", [&] {
		if (const int e = image.remove(); e < 0)
			fail(error_from_errno(e, "delete the test image"));
		return 0;
	});
	return result;
}

} // namespace luksfit::flows
