// The error model: one set of exit codes (README, "Exit codes") and one way to carry a failure.
//
// Inside the code, system adapters report failures as negative errno values; anything that
// reaches the user is an Error with an ExitCode, a message and a one-line hint. The mapping
// from errno to exit code lives in exactly one place: exit_code_from_errno().
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace luksfit {

// The documented exit codes; 0-5 follow cryptsetup, 6-8 are luksfit's own.
enum class ExitCode : int {
	Ok = 0,
	Failed = 1,	      // wrong parameters or operation failed
	Permission = 2,	      // no permission, or wrong passphrase
	NoMemory = 3,	      // out of memory
	WrongDevice = 4,      // wrong device specified
	Busy = 5,	      // device busy or already exists
	Refused = 6,	      // refused for data safety
	Unsupported = 7,      // a kernel or library feature the operation needs is missing
	ValidationFailed = 8, // validation on the loopback test image failed
};

// Stable machine-readable name of an exit code, used in JSON ("kind").
std::string_view exit_code_name(ExitCode code);

// The single errno -> exit code mapping. Accepts errno or -errno.
ExitCode exit_code_from_errno(int err);

struct Error {
	ExitCode code = ExitCode::Failed;
	std::string message;
	std::string hint; // one line telling the user what to do; may be empty
};

// Thrown for failures that end the command; caught once, in cli::run().
class Failure : public std::exception
{
public:
	explicit Failure(Error error) : error_(std::move(error)) {}
	const Error &error() const noexcept { return error_; }
	const char *what() const noexcept override { return error_.message.c_str(); }

private:
	Error error_;
};

// The one way to end the command with a failure (Expected::or_fail() uses it too).
[[noreturn]] void fail(ExitCode code, std::string message, std::string hint = {});
[[noreturn]] void fail(Error error);

// Builds an Error from a negative errno, e.g. from a system adapter: "<what>: <strerror>".
Error error_from_errno(int err, std::string_view what, std::string hint = {});

} // namespace luksfit
