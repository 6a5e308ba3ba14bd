// The sampling engines of `bench`: adapters from the domain's SampleEngine to the system
// layer (AF_ALG sockets; dm-crypt mappings over a RAM device with O_DIRECT I/O).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "domain/bench/bench_runner.hpp"
#include "system/afalg/afalg_throughput.hpp"
#include "system/block/direct_io_throughput.hpp"
#include "system/block/ram_device.hpp"
#include "system/dm/dmcrypt_mapping.hpp"

namespace luksfit::flows {

inline constexpr std::size_t kAfAlgRequestBytes = 64 * 1024; // as cryptsetup benchmark

class AfAlgEngine : public domain::SampleEngine
{
public:
	AfAlgEngine(double sample_seconds, bool splice)
	    : sample_seconds_(sample_seconds), splice_(splice)
	{
	}
	std::optional<std::string> prepare(const domain::BenchTarget &t) override;
	double sample(const domain::BenchTarget &t, bool encrypt) override;
	std::string driver(const domain::BenchTarget &t) override;
	void release(const domain::BenchTarget &t) override;
	std::string method() const;

private:
	double sample_seconds_;
	bool splice_;
	bool warmed_ = false;
	std::map<std::string, sys::AfAlgThroughput> open_;
};

class DmCryptEngine : public domain::SampleEngine
{
public:
	DmCryptEngine(sys::RamDevice &device, double sample_seconds, sys::DirectIoSpec io)
	    : device_(device), sample_seconds_(sample_seconds), io_(io)
	{
	}
	std::optional<std::string> prepare(const domain::BenchTarget &t) override;
	double sample(const domain::BenchTarget &t, bool encrypt) override;
	std::string driver(const domain::BenchTarget &t) override;
	void release(const domain::BenchTarget &t) override;
	std::string method() const;

private:
	sys::RamDevice &device_;
	double sample_seconds_;
	sys::DirectIoSpec io_;
	unsigned next_name_ = 0;
	std::map<std::string, sys::DmCryptMapping> mappings_;
};

// The driver serving a kernel algorithm now, from /proc/crypto ("" if unknown).
std::string serving_driver(const std::string &algorithm);

} // namespace luksfit::flows
