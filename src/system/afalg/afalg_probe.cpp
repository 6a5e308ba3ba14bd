#include "system/afalg/afalg_probe.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/if_alg.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "system/afalg/afalg.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

constexpr std::size_t kPage = 4096;

// One page-aligned anonymous page: vmsplice references whole user pages.
class Page
{
public:
	Page()
	    : p_(::mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
	{
	}
	Page(const Page &) = delete;
	Page &operator=(const Page &) = delete;
	~Page()
	{
		if (p_ != MAP_FAILED)
			::munmap(p_, kPage);
	}
	bool ok() const { return p_ != MAP_FAILED; }
	std::uint8_t *data() { return static_cast<std::uint8_t *>(p_); }

private:
	void *p_;
};

SpliceProbe unavailable(std::string why)
{
	return SpliceProbe{SpliceOutcome::Unavailable, std::move(why)};
}

} // namespace

int afalg_bind_status(const std::string &type, const std::string &algorithm)
{
	// A raw bind rather than AfAlgTfm::bind: the caller needs the errno, not a message.
	UniqueFd fd(::socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
	if (!fd.valid())
		return -errno;
	sockaddr_alg sa{};
	sa.salg_family = AF_ALG;
	std::strncpy(reinterpret_cast<char *>(sa.salg_type), type.c_str(),
		     sizeof(sa.salg_type) - 1);
	std::strncpy(reinterpret_cast<char *>(sa.salg_name), algorithm.c_str(),
		     sizeof(sa.salg_name) - 1);
	if (::bind(fd.get(), reinterpret_cast<const sockaddr *>(&sa), sizeof(sa)) != 0)
		return -errno;
	return 0;
}

SpliceProbe probe_splice_zero_copy()
{
	auto tfm = AfAlgTfm::bind("skcipher", "cbc(aes)");
	if (!tfm)
		return unavailable(tfm.error().message);
	const std::array<std::uint8_t, 16> key{1, 2,  3,  4,  5,  6,  7,  8,
					       9, 10, 11, 12, 13, 14, 15, 16};
	const std::array<std::uint8_t, 16> iv{};
	if (const int r = tfm->set_key(key); r < 0)
		return unavailable(std::string("set key: ") + std::strerror(-r));

	// Reference results through the copy path (sendmsg) for both page contents.
	std::array<std::uint8_t, kPage> before{}, after{}, enc_before{}, enc_after{}, got{};
	before.fill(0xa5);
	after.fill(0x5a);
	for (auto [in, out] : {std::pair{&before, &enc_before}, std::pair{&after, &enc_after}}) {
		auto op = tfm->start();
		if (!op)
			return unavailable(op.error().message);
		if (const int r = op->crypt(true, iv, *in, *out); r < 0)
			return unavailable(std::string("encrypt: ") + std::strerror(-r));
	}

	Page page;
	if (!page.ok())
		return unavailable("mmap failed");
	std::memcpy(page.data(), before.data(), kPage);
	auto op = tfm->start();
	if (!op)
		return unavailable(op.error().message);
	int pipefd[2];
	if (::pipe2(pipefd, O_CLOEXEC) != 0)
		return unavailable(std::string("pipe: ") + std::strerror(errno));
	UniqueFd pr(pipefd[0]), pw(pipefd[1]);
	// Only the operation and IV, with MSG_MORE: the data follows through splice().
	if (const int r = op->send_request(true, iv, {}, MSG_MORE); r < 0)
		return unavailable(std::string("sendmsg: ") + std::strerror(-r));
	iovec v{page.data(), kPage};
	if (::vmsplice(pw.get(), &v, 1, 0) != static_cast<ssize_t>(kPage))
		return unavailable(std::string("vmsplice: ") + std::strerror(errno));
	if (::splice(pr.get(), nullptr, op->fd(), nullptr, kPage, 0) != static_cast<ssize_t>(kPage))
		return unavailable(std::string("splice into AF_ALG: ") + std::strerror(errno));
	std::memcpy(page.data(), after.data(), kPage); // the change a zero-copy kernel would see
	if (const int r = op->receive(got); r < 0)
		return unavailable(std::string("read: ") + std::strerror(-r));
	if (got == enc_before)
		return SpliceProbe{SpliceOutcome::Copied, {}};
	if (got == enc_after)
		return SpliceProbe{SpliceOutcome::ZeroCopy, {}};
	return SpliceProbe{SpliceOutcome::Inconclusive, "result matches neither page content"};
}

const char *splice_outcome_name(SpliceOutcome o)
{
	switch (o) {
	case SpliceOutcome::Copied:
		return "copied";
	case SpliceOutcome::ZeroCopy:
		return "zero-copy";
	case SpliceOutcome::Unavailable:
		return "unavailable";
	case SpliceOutcome::Inconclusive:
		return "inconclusive";
	}
	return "inconclusive";
}

} // namespace luksfit::sys
