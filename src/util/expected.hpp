// A small expected-style result for failures the caller is meant to handle (C++20 has no
// std::expected). Failures that end the command are thrown as Failure instead.
#pragma once

#include <utility>
#include <variant>

#include "util/error.hpp"

namespace luksfit {

template <typename T> class Expected
{
public:
	Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
	Expected(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

	bool has_value() const noexcept { return v_.index() == 0; }
	explicit operator bool() const noexcept { return has_value(); }

	T &value() & { return checked(), std::get<0>(v_); }
	const T &value() const & { return checked(), std::get<0>(v_); }
	T &&value() && { return checked(), std::get<0>(std::move(v_)); }
	T &operator*() & { return value(); }
	const T &operator*() const & { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }

	const Error &error() const & { return std::get<1>(v_); }

	// The value, or throw the error as a Failure: for callers that cannot go on without it.
	T &&or_fail() &&
	{
		if (!has_value())
			fail(std::get<1>(v_));
		return std::get<0>(std::move(v_));
	}

private:
	void checked() const
	{
		if (!has_value())
			fail(std::get<1>(v_));
	}

	std::variant<T, Error> v_;
};

} // namespace luksfit

namespace luksfit {

// Expected<void>: success carries nothing. `return Done{};` on success.
struct Done {
};
using Status = Expected<Done>;

} // namespace luksfit
