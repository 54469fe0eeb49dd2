#include "io/sync_path.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace star::io {

void sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace star::io
