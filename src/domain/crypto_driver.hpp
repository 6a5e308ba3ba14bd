// Which driver serves a kernel crypto algorithm: a minimal /proc/crypto reader for bench
// (the highest-priority entry whose "name" matches). A full parser may replace it.
#pragma once

#include <string>
#include <string_view>

namespace luksfit::domain {

// Driver name of the highest-priority implementation of `algorithm` (e.g. "xts(aes)") in
// /proc/crypto text; "" when none is listed.
std::string best_driver(std::string_view proc_crypto, std::string_view algorithm);

} // namespace luksfit::domain
