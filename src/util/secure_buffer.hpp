// A byte buffer for secrets (passphrases, key files, volume keys): move-only, never copied by
// reallocation without wiping the old copy, and wiped with explicit_bzero on destruction.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string.h>
#include <string_view>
#include <utility>

namespace luksfit {

class SecureBuffer
{
public:
	SecureBuffer() = default;
	explicit SecureBuffer(std::size_t capacity) { reserve(capacity); }
	SecureBuffer(SecureBuffer &&other) noexcept
	    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)),
	      capacity_(std::exchange(other.capacity_, 0))
	{
	}
	SecureBuffer &operator=(SecureBuffer &&other) noexcept
	{
		if (this != &other) {
			wipe();
			data_ = std::move(other.data_);
			size_ = std::exchange(other.size_, 0);
			capacity_ = std::exchange(other.capacity_, 0);
		}
		return *this;
	}
	SecureBuffer(const SecureBuffer &) = delete;
	SecureBuffer &operator=(const SecureBuffer &) = delete;
	~SecureBuffer() { wipe(); }

	std::size_t size() const noexcept { return size_; }
	std::size_t capacity() const noexcept { return capacity_; }
	bool empty() const noexcept { return size_ == 0; }
	unsigned char *data() noexcept { return data_.get(); }
	const unsigned char *data() const noexcept { return data_.get(); }
	// For C APIs taking a passphrase as const char * with an explicit length.
	const char *chars() const noexcept { return reinterpret_cast<const char *>(data_.get()); }
	std::span<const unsigned char> bytes() const noexcept { return {data_.get(), size_}; }

	// Grows the storage; the old storage is wiped before it is freed.
	void reserve(std::size_t capacity)
	{
		if (capacity <= capacity_)
			return;
		auto bigger = std::make_unique<unsigned char[]>(capacity);
		if (size_)
			std::memcpy(bigger.get(), data_.get(), size_);
		if (data_)
			explicit_bzero(data_.get(), capacity_);
		data_ = std::move(bigger);
		capacity_ = capacity;
	}

	void append(const void *src, std::size_t n)
	{
		if (size_ + n > capacity_)
			reserve(std::max(size_ + n, capacity_ * 2));
		std::memcpy(data_.get() + size_, src, n);
		size_ += n;
	}
	void push_back(unsigned char c) { append(&c, 1); }

	// Shrinks the logical size (e.g. to drop a trailing newline); the dropped bytes are wiped.
	void truncate(std::size_t n) noexcept
	{
		if (n >= size_)
			return;
		explicit_bzero(data_.get() + n, size_ - n);
		size_ = n;
	}

	// Constant-time comparison (for "enter the passphrase again").
	bool equals(const SecureBuffer &other) const noexcept
	{
		if (size_ != other.size_)
			return false;
		unsigned char diff = 0;
		for (std::size_t i = 0; i < size_; ++i)
			diff |= static_cast<unsigned char>(data_[i] ^ other.data_[i]);
		return diff == 0;
	}

	void wipe() noexcept
	{
		if (data_)
			explicit_bzero(data_.get(), capacity_);
		size_ = 0;
	}

private:
	std::unique_ptr<unsigned char[]> data_;
	std::size_t size_ = 0;
	std::size_t capacity_ = 0;
};

} // namespace luksfit
