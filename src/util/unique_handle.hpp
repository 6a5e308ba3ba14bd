// The one owner of a C library handle: `UniqueHandle<crypt_device, crypt_free>` frees what it
// holds exactly once, on destruction or reset, and moves but never copies. For file descriptors
// see UniqueFd; a child process is owned by sys::ChildProcess.
#pragma once

#include <cstdlib>
#include <utility>

namespace luksfit::util {

// `T`: the pointee (crypt_device, blkid_struct_probe, gzFile_s); `Free`: its release function,
// called with the pointer (its return value, e.g. gzclose's, is of no use to an owner).
template <typename T, auto Free> class UniqueHandle
{
public:
	UniqueHandle() noexcept = default;
	explicit UniqueHandle(T *p) noexcept : p_(p) {}
	UniqueHandle(UniqueHandle &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
	UniqueHandle &operator=(UniqueHandle &&o) noexcept
	{
		if (this != &o)
			reset(std::exchange(o.p_, nullptr));
		return *this;
	}
	UniqueHandle(const UniqueHandle &) = delete;
	UniqueHandle &operator=(const UniqueHandle &) = delete;
	~UniqueHandle() { reset(); }

	T *get() const noexcept { return p_; }
	explicit operator bool() const noexcept { return p_ != nullptr; }

	// For C functions that return the handle through an out parameter (crypt_init(&cd, ...)):
	// frees what was held first.
	T **out() noexcept
	{
		reset();
		return &p_;
	}

	void reset(T *p = nullptr) noexcept
	{
		if (p_)
			Free(p_);
		p_ = p;
	}

	T *release() noexcept { return std::exchange(p_, nullptr); }

private:
	T *p_ = nullptr;
};

// For memory a C library returns from malloc (blkid_evaluate_tag) or posix_memalign.
inline void free_memory(void *p) noexcept
{
	std::free(p);
}

} // namespace luksfit::util
