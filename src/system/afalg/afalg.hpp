// AF_ALG: the kernel crypto API from user space (what `cryptsetup benchmark` and libcryptsetup's
// kernel backend use). Being retired upstream: every call may fail with EAFNOSUPPORT.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

// 0 when socket(AF_ALG, SOCK_SEQPACKET) works here, else -errno (-EAFNOSUPPORT: no AF_ALG).
int afalg_family_status();

// One operation socket (accept()ed from a transform). Owns its fd.
class AfAlgOp
{
public:
	static constexpr std::size_t kMaxIvBytes = 64;

	explicit AfAlgOp(UniqueFd fd) : fd_(std::move(fd)) {}

	// The operation and IV as control messages, with `data` (may be empty) and sendmsg
	// `flags` (MSG_MORE: more data follows, e.g. by splice). 0 or -errno.
	int send_request(bool encrypt, std::span<const std::uint8_t> iv,
			 std::span<const std::uint8_t> data, int flags);

	// Reads the result of the request sent, until `out` is full (read() may return it in
	// parts). 0 or -errno (-EIO: the socket ended early).
	int receive(std::span<std::uint8_t> out);

	// One skcipher request: sendmsg(op, iv, in) then read(out). 0 or -errno.
	// `in` and `out` must have the same size, a multiple of the cipher's block size.
	int crypt(bool encrypt, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
		  std::span<std::uint8_t> out);

	int fd() const noexcept { return fd_.get(); }

private:
	UniqueFd fd_;
};

// A transform socket bound to one algorithm, e.g. ("skcipher", "xts(aes)"). Owns its fd.
class AfAlgTfm
{
public:
	// Errors carry -errno in the message's exit code mapping: EAFNOSUPPORT (no AF_ALG),
	// ENOENT (the kernel has no such algorithm, or cannot load it).
	static Expected<AfAlgTfm> bind(std::string_view type, std::string_view name);

	// 0 or -errno (EINVAL: key size not accepted by the algorithm).
	int set_key(std::span<const std::uint8_t> key);

	Expected<AfAlgOp> start();

	const std::string &type() const noexcept { return type_; }
	const std::string &name() const noexcept { return name_; }
	int fd() const noexcept { return fd_.get(); }

private:
	AfAlgTfm(UniqueFd fd, std::string type, std::string name)
	    : fd_(std::move(fd)), type_(std::move(type)), name_(std::move(name))
	{
	}

	UniqueFd fd_;
	std::string type_;
	std::string name_;
};

} // namespace luksfit::sys
