// Files that hold secrets beside the data (the field keys, the purge signing key, the bootstrap
// token): readable by the service's user alone, and never half-written.
#pragma once

#include <string>

#include "base/status.h"

namespace cordon::base {

// Writes `content` to `path` with mode 0600: to a new part file, synced, renamed over `path`, and
// the directory synced, so that a crash leaves either the old file or the new one whole. Creates
// a missing parent directory with mode 0700.
// Errors: kUnavailable naming the file and the system's reason.
Status WriteSecretFile(const std::string& path, const std::string& content);

// Reads a secret file whole. Errors: kNotFound when it does not exist; kFailedPrecondition when
// group or others may read it (a key that others could have copied is not used); kUnavailable.
Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace cordon::base
