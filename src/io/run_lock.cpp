#include "io/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace star::io {
namespace {

// What the holder wrote: "host <name> pid <pid>". A holder that has locked the file but not yet
// written it leaves it empty for a moment: read again briefly before giving up on it.
std::string holder_of(int fd) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    char buf[512];
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) {
      std::string text(buf, static_cast<size_t>(n));
      while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
      if (!text.empty()) return text;
    }
    ::usleep(10000);
  }
  return "an unknown process";
}

}  // namespace

std::string RunLock::path(const std::string& dir) { return dir + "/.lock"; }

RunLock::RunLock(const std::string& dir) {
  const std::string file = path(dir);
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open the lock file " + file + ": " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? holder_of(fd_) : "";
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw RunLockedError(dir + " is in use by another run (" + holder + ", which holds " + file +
                           "): wait for it to finish or stop it, or choose another run directory");
    throw std::runtime_error("cannot lock " + file + ": " + std::strerror(error));
  }
  // Who holds it, for the message of the next one refused. Best effort: on a full disk the lock
  // still works, and the run fails later on a write that matters, naming that file.
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  const std::string me = "host " + std::string(host) + " pid " + std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, me.data(), me.size(), 0) == static_cast<ssize_t>(me.size()))
    ::fsync(fd_);
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace star::io
