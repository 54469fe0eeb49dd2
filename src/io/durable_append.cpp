#include "io/durable_append.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/atomic_file.hpp"
#include "io/sync_path.hpp"

namespace star::io {

void append_durably(const std::string& dir, const std::string& name, const std::string& line) {
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    throw WriteError("cannot create the journal directory " + dir + ": " + std::strerror(errno));
  const std::string path = dir + "/" + name;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
  if (fd < 0) throw WriteError("cannot open the journal " + path + ": " + std::strerror(errno));
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;  // a signal (SIGTERM) arrived: finish the line
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw WriteError("cannot write the journal " + path + ": " + why);
    }
    written += static_cast<size_t>(n);
  }
  const int sync_error = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  if (sync_error) throw WriteError("cannot sync the journal " + path + ": " + std::strerror(sync_error));
  sync_path(dir);  // a new file's name must survive a crash too
}

}  // namespace star::io
