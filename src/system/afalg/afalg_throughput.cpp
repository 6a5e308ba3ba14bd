#include "system/afalg/afalg_throughput.hpp"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "system/os/key_input.hpp"

namespace luksfit::sys {

AfAlgThroughput::AfAlgThroughput(AfAlgTfm tfm, AfAlgOp op, std::size_t iv_bytes,
				 std::size_t request_bytes)
    : tfm_(std::move(tfm)), op_(std::move(op)), iv_(iv_bytes), in_(request_bytes),
      out_(request_bytes)
{
}

Expected<AfAlgThroughput> AfAlgThroughput::open(const std::string &algorithm, std::size_t key_bytes,
						std::size_t iv_bytes, std::size_t request_bytes)
{
	if (iv_bytes > AfAlgOp::kMaxIvBytes)
		return error_from_errno(EINVAL, "AF_ALG " + algorithm + ": IV too long");
	auto tfm = AfAlgTfm::bind("skcipher", algorithm);
	if (!tfm)
		return tfm.error();
	// A throw-away key: the figures do not depend on it.
	auto key = random_key(key_bytes);
	if (!key)
		return key.error();
	if (const int r = tfm->set_key(key->bytes()); r < 0)
		return error_from_errno(r, "AF_ALG " + algorithm + ": set a " +
						   std::to_string(key_bytes * 8) + "-bit key");
	auto op = tfm->start();
	if (!op)
		return op.error();
	return AfAlgThroughput(std::move(*tfm), std::move(*op), iv_bytes, request_bytes);
}

int AfAlgThroughput::splice_request(bool encrypt)
{
	int r = op_.send_request(encrypt, iv_, {}, MSG_MORE);
	if (r < 0)
		return r;
	int pipefd[2];
	if (::pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	UniqueFd rd(pipefd[0]), wr(pipefd[1]);
	::fcntl(wr.get(), F_SETPIPE_SZ, static_cast<int>(in_.size()));
	std::size_t done = 0;
	while (done < in_.size()) {
		iovec io{in_.data() + done, in_.size() - done};
		const ssize_t v = ::vmsplice(wr.get(), &io, 1, 0);
		if (v <= 0)
			return v < 0 ? -errno : -EIO;
		std::size_t left = static_cast<std::size_t>(v);
		while (left > 0) {
			const bool last = done + static_cast<std::size_t>(v) >= in_.size() &&
					  left == static_cast<std::size_t>(v);
			const ssize_t s = ::splice(rd.get(), nullptr, op_.fd(), nullptr, left,
						   last ? 0 : SPLICE_F_MORE);
			if (s <= 0)
				return s < 0 ? -errno : -EIO;
			left -= static_cast<std::size_t>(s);
		}
		done += static_cast<std::size_t>(v);
	}
	return op_.receive(out_);
}

Expected<double> AfAlgThroughput::measure(bool encrypt, double seconds, bool splice)
{
	using clock = std::chrono::steady_clock;
	const auto start = clock::now();
	std::size_t bytes = 0;
	double elapsed = 0;
	do {
		const int r = splice ? splice_request(encrypt) : op_.crypt(encrypt, iv_, in_, out_);
		if (r < 0)
			return error_from_errno(r, "AF_ALG " + tfm_.name() +
							   (encrypt ? " encrypt" : " decrypt"));
		bytes += in_.size();
		elapsed = std::chrono::duration<double>(clock::now() - start).count();
	} while (elapsed < seconds);
	return static_cast<double>(bytes) / (1024.0 * 1024.0) / elapsed;
}

} // namespace luksfit::sys
