// Throughput of one kernel skcipher through AF_ALG, the way `cryptsetup benchmark` measures
// it: the socket and key set up once, outside the timed region; then requests of a fixed size
// by sendmsg+read (copy path) or by vmsplice+splice (splice path).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "system/afalg/afalg.hpp"
#include "util/expected.hpp"

namespace luksfit::sys {

class AfAlgThroughput
{
public:
	// Binds `algorithm` (e.g. "xts(aes)") with a random key of `key_bytes`.
	static Expected<AfAlgThroughput> open(const std::string &algorithm, std::size_t key_bytes,
					      std::size_t iv_bytes, std::size_t request_bytes);

	// Runs requests for at least `seconds` (and at least one); MiB/s (1024^2 bytes).
	Expected<double> measure(bool encrypt, double seconds, bool splice = false);

private:
	AfAlgThroughput(AfAlgTfm tfm, AfAlgOp op, std::size_t iv_bytes, std::size_t request_bytes);
	int splice_request(bool encrypt);

	AfAlgTfm tfm_;
	AfAlgOp op_;
	std::vector<std::uint8_t> iv_;
	std::vector<std::uint8_t> in_;
	std::vector<std::uint8_t> out_;
};

} // namespace luksfit::sys
