// Whole small text files: read (kernel files in /proc and /sys, index files, crypttab, the
// bench cache) and replace atomically (luksfit's own state files).
#pragma once

#include <cstddef>
#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// The whole file (/proc files report size 0: read until EOF). Errors: open or read failed, the
// path is neither a regular file nor a block device (system/readable_file.hpp), or the file
// is larger than `limit` bytes ("<path> is larger than 8 MiB"; never a truncated text).
Expected<std::string> read_text_file(const std::string &path, std::size_t limit = 8u << 20);

// Replaces (or creates, mode 0644) `path` atomically with `content`, creating missing parent
// folders (0755): sys::write_file_atomically (system/file_replace.hpp) does the writing.
Status write_text_file_atomic(const std::string &path, const std::string &content);

} // namespace luksfit::sys
