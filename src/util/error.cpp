#include "util/error.hpp"

#include <cerrno>
#include <cstring>

namespace luksfit {

std::string_view exit_code_name(ExitCode code)
{
	switch (code) {
	case ExitCode::Ok:
		return "ok";
	case ExitCode::Failed:
		return "failed";
	case ExitCode::Permission:
		return "permission";
	case ExitCode::NoMemory:
		return "no-memory";
	case ExitCode::WrongDevice:
		return "wrong-device";
	case ExitCode::Busy:
		return "busy";
	case ExitCode::Refused:
		return "refused";
	case ExitCode::Unsupported:
		return "unsupported";
	case ExitCode::ValidationFailed:
		return "validation-failed";
	}
	return "failed";
}

ExitCode exit_code_from_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return ExitCode::Ok;
	case EPERM:
	case EACCES:
	case EROFS:
		return ExitCode::Permission;
	case ENOMEM:
		return ExitCode::NoMemory;
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case ENOTBLK:
	case EISDIR:
	case ENOTDIR:
		return ExitCode::WrongDevice;
	case EBUSY:
	case EEXIST:
		return ExitCode::Busy;
	case EAFNOSUPPORT:
	case EOPNOTSUPP:
	case ENOSYS:
	case EPROTONOSUPPORT:
		return ExitCode::Unsupported;
	default:
		return ExitCode::Failed;
	}
}

void fail(ExitCode code, std::string message, std::string hint)
{
	fail(Error{code, std::move(message), std::move(hint)});
}

void fail(Error error)
{
	throw Failure(std::move(error));
}

Error error_from_errno(int err, std::string_view what, std::string hint)
{
	const int e = err < 0 ? -err : err;
	std::string message(what);
	message += ": ";
	message += std::strerror(e);
	return Error{exit_code_from_errno(e), std::move(message), std::move(hint)};
}

} // namespace luksfit
