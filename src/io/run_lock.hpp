#pragma once
// An exclusive lock on a run directory (or a `star train` checkpoint directory): flock(2) on
// <dir>/.lock, held for as long as the RunLock lives. Two runs on one directory would interleave
// their journals and checkpoints; the second is refused at once instead, told who holds the lock.
// The kernel drops a flock when its holder dies, however it dies, so a lock is never stale: the
// file stays behind and only says who held it last. flock works on local disks, NFS (emulated by
// byte-range locks) and Lustre or GPFS mounted with flock support.
#include <stdexcept>
#include <string>

namespace star::io {

// The directory is locked by another live process. what(): the directory, the holder's host and
// PID as it recorded them, and the lock file.
class RunLockedError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RunLock {
 public:
  // Takes the lock on `dir` (which must exist) without waiting. Throws RunLockedError when another
  // process holds it, std::runtime_error naming the lock file when it cannot be opened or locked.
  explicit RunLock(const std::string& dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  static std::string path(const std::string& dir);  // <dir>/.lock

 private:
  int fd_ = -1;
};

}  // namespace star::io
