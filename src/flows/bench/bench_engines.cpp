#include "flows/bench/bench_engines.hpp"

#include <unistd.h>

#include "domain/host/proc_crypto.hpp"
#include "system/os/signals.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::flows {
namespace {

std::string target_key(const domain::BenchTarget &t)
{
	return t.candidate.label() + "@" + std::to_string(t.sector_size) +
	       (t.no_workqueue ? "+nowq" : "");
}

constexpr double kWarmupSeconds = 0.02;
constexpr double kFirstWarmupSeconds = 0.1;

std::size_t iv_bytes(const domain::CipherSpec &s)
{
	return s.mode == "adiantum" ? 32 : 16;
}

} // namespace

std::string serving_driver(const std::string &algorithm)
{
	const auto text = sys::read_text_file("/proc/crypto");
	if (!text)
		return {};
	const auto best = domain::best_cipher_driver(domain::parse_proc_crypto(*text), algorithm);
	return best ? best->driver : std::string();
}

std::optional<std::string> AfAlgEngine::prepare(const domain::BenchTarget &t)
{
	const std::string alg = domain::kernel_algorithm(t.candidate.spec);
	auto tp = sys::AfAlgThroughput::open(alg, t.candidate.key_bits / 8,
					     iv_bytes(t.candidate.spec), kAfAlgRequestBytes);
	if (!tp)
		return tp.error().message;
	// Untimed warm-up: first use pays for module loading, page faults (and code translation
	// under emulation); no sample should.
	// The first target also warms the process up (measured in the lab: under emulation the
	// first tenths of a second of a new process run slower).
	const double warmup = open_.empty() && !warmed_ ? kFirstWarmupSeconds : kWarmupSeconds;
	warmed_ = true;
	for (bool encrypt : {true, false})
		if (auto w = tp->measure(encrypt, warmup); !w)
			return w.error().message;
	open_.emplace(target_key(t), std::move(*tp));
	return std::nullopt;
}

double AfAlgEngine::sample(const domain::BenchTarget &t, bool encrypt)
{
	auto v = open_.at(target_key(t)).measure(encrypt, sample_seconds_, splice_);
	if (!v)
		sys::throw_if_interrupted(); // EINTR from a signal: unwind as interrupted
	return std::move(v).or_fail();
}

std::string AfAlgEngine::driver(const domain::BenchTarget &t)
{
	return serving_driver(domain::kernel_algorithm(t.candidate.spec));
}

void AfAlgEngine::release(const domain::BenchTarget &t)
{
	open_.erase(target_key(t));
}

std::string AfAlgEngine::method() const
{
	return std::string("AF_ALG skcipher, 64 KiB requests, ") +
	       (splice_ ? "splice path (vmsplice+splice, read)" : "copy path (sendmsg, read)");
}

std::optional<std::string> DmCryptEngine::prepare(const domain::BenchTarget &t)
{
	const domain::CipherSpec &s = t.candidate.spec;
	sys::DmCryptMapping::Params p;
	p.device = device_.path();
	p.cipher = s.cipher;
	p.mode = s.mode + (s.iv.empty() ? "" : "-" + s.iv);
	p.key_bits = t.candidate.key_bits;
	p.sector_size = t.sector_size;
	p.no_read_workqueue = t.no_workqueue;
	p.no_write_workqueue = t.no_workqueue;
	const std::string name =
		"luksfit-bench-" + std::to_string(::getpid()) + "-" + std::to_string(next_name_++);
	auto m = sys::DmCryptMapping::activate(name, p);
	if (!m)
		return m.error().message;
	for (bool write : {true, false})
		if (auto w = sys::direct_io_throughput(m->path(), write, io_, kWarmupSeconds); !w)
			return w.error().message;
	mappings_.emplace(target_key(t), std::move(*m));
	return std::nullopt;
}

double DmCryptEngine::sample(const domain::BenchTarget &t, bool encrypt)
{
	const auto &m = mappings_.at(target_key(t));
	auto v = sys::direct_io_throughput(m.path(), encrypt, io_, sample_seconds_);
	if (!v)
		sys::throw_if_interrupted(); // EINTR from a signal: unwind as interrupted
	return std::move(v).or_fail();
}

std::string DmCryptEngine::driver(const domain::BenchTarget &t)
{
	return serving_driver(domain::kernel_algorithm(t.candidate.spec));
}

void DmCryptEngine::release(const domain::BenchTarget &t)
{
	mappings_.erase(target_key(t));
}

std::string DmCryptEngine::method() const
{
	const std::string note = device_.note().empty() ? "" : "; " + device_.note();
	return "dm-crypt plain mapping over a RAM device (" + device_.kind() + ", " +
	       std::to_string(device_.bytes() >> 20) + " MiB" + note +
	       "), O_DIRECT sequential I/O, " + std::to_string(io_.block_bytes / 1024) +
	       " KiB blocks, queue depth " + std::to_string(io_.queue_depth);
}

} // namespace luksfit::flows
