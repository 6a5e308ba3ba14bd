#include "system/afalg/afalg.hpp"

#include <cerrno>
#include <cstring>
#include <linux/if_alg.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/eintr.hpp"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

namespace luksfit::sys {

int afalg_family_status()
{
	UniqueFd fd(::socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
	return fd.valid() ? 0 : -errno;
}

Expected<AfAlgTfm> AfAlgTfm::bind(std::string_view type, std::string_view name)
{
	const std::string what = "AF_ALG " + std::string(type) + " " + std::string(name);
	sockaddr_alg sa{};
	if (type.size() >= sizeof(sa.salg_type) || name.size() >= sizeof(sa.salg_name))
		return error_from_errno(ENAMETOOLONG, what);
	sa.salg_family = AF_ALG;
	std::memcpy(sa.salg_type, type.data(), type.size());
	std::memcpy(sa.salg_name, name.data(), name.size());

	UniqueFd fd(::socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
	if (!fd.valid())
		return error_from_errno(errno, what);
	if (::bind(fd.get(), reinterpret_cast<const sockaddr *>(&sa), sizeof(sa)) != 0)
		return error_from_errno(errno, what);
	return AfAlgTfm(std::move(fd), std::string(type), std::string(name));
}

int AfAlgTfm::set_key(std::span<const std::uint8_t> key)
{
	if (::setsockopt(fd_.get(), SOL_ALG, ALG_SET_KEY, key.data(),
			 static_cast<socklen_t>(key.size())) != 0)
		return -errno;
	return 0;
}

Expected<AfAlgOp> AfAlgTfm::start()
{
	UniqueFd op(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
	if (!op.valid())
		return error_from_errno(errno, "AF_ALG accept " + name_);
	return AfAlgOp(std::move(op));
}

int AfAlgOp::send_request(bool encrypt, std::span<const std::uint8_t> iv,
			  std::span<const std::uint8_t> data, int flags)
{
	if (iv.size() > kMaxIvBytes)
		return -EINVAL;

	// Control messages: the operation, then the IV (struct af_alg_iv + bytes).
	const std::size_t ivlen = sizeof(af_alg_iv) + iv.size();
	alignas(cmsghdr) std::uint8_t cbuf[CMSG_SPACE(sizeof(std::uint32_t)) +
					   CMSG_SPACE(kMaxIvBytes + sizeof(af_alg_iv))]{};
	msghdr msg{};
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(sizeof(std::uint32_t)) + CMSG_SPACE(ivlen);

	cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(sizeof(std::uint32_t));
	const std::uint32_t op = encrypt ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	std::memcpy(CMSG_DATA(c), &op, sizeof(op));

	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(ivlen);
	af_alg_iv hdr{};
	hdr.ivlen = static_cast<std::uint32_t>(iv.size());
	std::memcpy(CMSG_DATA(c), &hdr, sizeof(hdr));
	if (!iv.empty())
		std::memcpy(CMSG_DATA(c) + sizeof(hdr), iv.data(), iv.size());

	iovec io{const_cast<std::uint8_t *>(data.data()), data.size()};
	if (!data.empty()) {
		msg.msg_iov = &io;
		msg.msg_iovlen = 1;
	}
	const ssize_t n = ::sendmsg(fd_.get(), &msg, flags);
	if (n < 0)
		return -errno;
	return static_cast<std::size_t>(n) == data.size() ? 0 : -EIO;
}

int AfAlgOp::crypt(bool encrypt, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
		   std::span<std::uint8_t> out)
{
	if (in.size() != out.size())
		return -EINVAL;
	// One sendmsg per request.
	if (const int r = send_request(encrypt, iv, in, 0); r < 0)
		return r;
	return receive(out);
}

int AfAlgOp::receive(std::span<std::uint8_t> out)
{
	std::size_t done = 0;
	while (done < out.size()) {
		const ssize_t n = util::retry_eintr(
			[&] { return ::read(fd_.get(), out.data() + done, out.size() - done); });
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += static_cast<std::size_t>(n);
	}
	return 0;
}

} // namespace luksfit::sys
