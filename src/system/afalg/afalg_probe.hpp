// AF_ALG probes beyond the shared adapter: which socket types bind, whether splice() into an
// skcipher socket is zero-copy (a semantic probe: modify the source after splicing, before the
// read), and whether a given kernel driver is reachable by name.
#pragma once

#include <string>

namespace luksfit::sys {

// 0 when an AF_ALG socket of `type` binds `algorithm` (e.g. "skcipher", "cbc(aes)"), else
// -errno: EAFNOSUPPORT (no AF_ALG), ENOENT (no such type/algorithm, or the driver is refused).
int afalg_bind_status(const std::string &type, const std::string &algorithm);

enum class SpliceOutcome {
	Copied,	      // the result is the encryption of the data as it was at splice time
	ZeroCopy,     // the kernel read the page after we changed it: pages were referenced
	Unavailable,  // AF_ALG, cbc(aes) or splice into the socket is not available
	Inconclusive, // neither: the result matched no expectation
};

struct SpliceProbe {
	SpliceOutcome outcome = SpliceOutcome::Unavailable;
	std::string detail; // why, for Unavailable/Inconclusive
};

SpliceProbe probe_splice_zero_copy();
const char *splice_outcome_name(SpliceOutcome o);

} // namespace luksfit::sys
