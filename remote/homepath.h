#pragma once

#include <QString>

namespace twbench {

// "~" and "~/…" as the shell would expand them for this user (not "~other/"): what an
// operator types for an identity file or a known_hosts path.
QString expandHome(const QString &path);

} // namespace twbench
