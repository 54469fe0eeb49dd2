#pragma once
// Appends a line to a file and makes it durable before returning (write, fsync, and the folder's
// sync when the file is new): what the journals need so a record, once appended, survives a
// kill -9 or a node crash. Throws io::WriteError (io/atomic_file.hpp) naming the file.
#include <string>

namespace star::io {

// Creates `dir` when missing; appends `line` to dir/name.
void append_durably(const std::string& dir, const std::string& name, const std::string& line);

}  // namespace star::io
