// A deterministic pseudo-random byte stream (splitmix64 of seed and 8-byte index): any range can
// be regenerated from its offset, so a written pattern is verified without keeping a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace luksfit {

inline std::uint64_t pattern_word(std::uint64_t seed, std::uint64_t index) noexcept
{
	std::uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

// Fills `out` with the stream's bytes [offset, offset + out.size()); offset multiple of 8.
inline void fill_pattern(std::uint64_t seed, std::uint64_t offset,
			 std::span<unsigned char> out) noexcept
{
	std::size_t i = 0;
	for (std::uint64_t w = offset / 8; i < out.size(); ++w) {
		const std::uint64_t v = pattern_word(seed, w);
		const std::size_t n = out.size() - i < 8 ? out.size() - i : 8;
		std::memcpy(out.data() + i, &v, n);
		i += n;
	}
}

} // namespace luksfit
