#pragma once

#include "hostspec.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace twbench {

// Reads the `Host` aliases of an OpenSSH client configuration (ssh_config(5)) into HostSpecs,
// so an operator does not retype what ~/.ssh/config already says. Only what twbench uses is
// read: HostName, User, Port, IdentityFile, ProxyJump, ProxyCommand. As in OpenSSH, the first
// value obtained for a keyword wins, walking the whole file (and its Includes) in order, so a
// later `Host *` block still fills fields that no earlier block set. `Match` blocks are not
// evaluated: their options are skipped, with a warning.
//
// A pure function of the text and an include reader: no file is touched unless the reader
// does it, so tests feed it hostile text directly.
struct SshConfigWarning
{
    QString file;    // as given (the top file's name, or the included path)
    int line = 0;    // 1-based; 0 when the warning concerns the whole file
    QString message; // translated

    friend bool operator==(const SshConfigWarning &, const SshConfigWarning &) = default;
};

struct SshConfigFile
{
    QString path;
    QByteArray text;
};

struct SshConfigContext
{
    QString homeDir;   // for `~` and %d; also where relative Include paths start (homeDir/.ssh)
    QString localUser; // for %u, and %r when no User is set
};

struct SshConfigResult
{
    // One per importable alias, in the order the aliases first appear. `id` is left empty:
    // whoever adds them to the host list gives them ids. displayName is the alias.
    QList<HostSpec> hosts;
    QList<SshConfigWarning> warnings;
};

// Given an absolute path that may hold glob characters (`*`, `?`, `[`), returns the files it
// names, sorted, with their contents. A missing file is simply not returned (OpenSSH ignores
// Includes that match nothing).
using SshIncludeReader = std::function<QList<SshConfigFile>(const QString &pattern)>;

// Limits that keep a hostile or broken file from costing more than a glance.
struct SshConfigLimits
{
    static constexpr int maxIncludeDepth = 16; // OpenSSH's READCONF_MAX_DEPTH
    static constexpr int maxLineBytes = 8192;
    static constexpr qsizetype maxTotalBytes = 4 * 1024 * 1024; // over all files
    static constexpr int maxHosts = 4096;
    static constexpr int maxWarnings = 200; // then one "more warnings" line
};

SshConfigResult parseSshConfig(const QByteArray &text, const QString &fileName,
                               const SshConfigContext &context,
                               const SshIncludeReader &includeReader = {});

// The defaults for this process: $HOME and the login name.
SshConfigContext defaultSshConfigContext();
// Reads real files: expands the glob with QDir, skips what is not a readable regular file.
QList<SshConfigFile> readSshIncludeFiles(const QString &pattern);
// Reads `path` and parses it with readSshIncludeFiles() for Includes. A file that cannot be
// read gives no hosts and one warning.
SshConfigResult importSshConfig(const QString &path,
                                const SshConfigContext &context = defaultSshConfigContext());

} // namespace twbench
