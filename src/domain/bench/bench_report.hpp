// What a benchmark run measured: per candidate, throughput samples (MiB/s, 1024^2 bytes) for
// encryption and decryption, the driver that served it, or why it could not be measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/bench/sampler.hpp"
#include "domain/cipher/policy.hpp"

namespace luksfit::domain {

// Samples of one measured thing, taken in the same rounds (index i of both is round i).
struct Series {
	std::vector<double> encrypt; // MiB/s
	std::vector<double> decrypt; // MiB/s

	std::vector<double> combined() const; // per round, combined_throughput(enc, dec)
	SampleStats encrypt_stats() const { return summarize(encrypt); }
	SampleStats decrypt_stats() const { return summarize(decrypt); }
	SampleStats combined_stats() const { return summarize(combined()); }
	bool empty() const { return encrypt.empty() || decrypt.empty(); }
};

struct CandidateResult {
	Candidate candidate;
	bool available = false;
	std::string unavailable; // why it could not be measured here (empty when available)
	std::string driver;	 // kernel driver that served it, e.g. "xts-aes-aesni"
	Series samples;
};

// A dm-crypt variant of one candidate (sector size, workqueue flags), measured against the
// baseline (sector size 4096, default flags) in the same rounds.
struct VariantResult {
	Candidate candidate;
	unsigned sector_size = 4096;
	bool no_workqueue = false; // no_read_workqueue + no_write_workqueue
	bool supported = true;
	std::string unsupported;
	Series samples;

	std::string label() const; // "sector 512", "no_workqueue", "baseline"
};

// How busy the machine was during a run (domain/bench/disturbance.hpp).
struct Disturbance {
	std::size_t pairs = 0;	  // sample pairs taken
	std::size_t left_out = 0; // of them, taken on a disturbed CPU and left out
	double lowest_share = 1;  // the lowest share of a CPU luksfit had over a pair
	bool unreliable = false;  // too few undisturbed pairs to rank by speed
};

struct BenchReport {
	std::string engine; // "afalg" or "dmcrypt"
	std::string method; // one line: how it measured
	std::string kernel;
	std::string cpu_model;
	std::string version;	  // luksfit's
	std::int64_t created = 0; // unix seconds
	double seconds = 0;	  // wall time of the whole run
	std::size_t rounds = 0;
	std::string stop_reason; // stop_reason_name()
	std::vector<CandidateResult> candidates;
	std::vector<VariantResult> variants; // dmcrypt only: baseline first
	Disturbance disturbance;
};

} // namespace luksfit::domain
