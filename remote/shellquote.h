#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace twbench {

// Everything twbench places into a command line that a remote shell parses goes through here:
// first validated against what the value may be (a docker container name, an absolute path, a
// plain word), then single-quoted. Validation keeps nonsense out early with a clear message;
// the quoting alone already makes any byte string (but NUL) one literal word for a POSIX shell.
namespace shell {

// POSIX single-quoting: the text between quotes is literal, and a quote itself is written as
// '\'' (close, an escaped quote, reopen). The result is one word for sh, dash, bash, zsh, ksh
// and busybox. Not for fish or csh: see SshTransport for how the probe avoids needing it there.
QByteArray quote(QByteArrayView value);
QString quote(const QString &value);
// The words quoted and joined with single spaces.
QByteArray quoteWords(const QStringList &words);

// Empty when `name` follows docker's own rule for container names, [a-zA-Z0-9][a-zA-Z0-9_.-]*
// (daemon/names: RestrictedNameChars); else why not, translated.
[[nodiscard]] QString containerNameError(const QString &name);
// Empty when `path` is absolute and holds no NUL and no newline; else why not, translated.
[[nodiscard]] QString absolutePathError(const QString &path);
// Empty when `word` is non-empty and only [A-Za-z0-9_.,:+=@%/-] (a number, a fixed keyword):
// what stays valid, quoted or not, in every shell including fish and csh.
[[nodiscard]] QString plainWordError(const QString &word);

} // namespace shell

} // namespace twbench
