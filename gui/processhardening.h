#pragma once

namespace twbench {

// Passwords and key passphrases pass through this process's memory on their way to libssh, and
// freed memory keeps its bytes until reused: a core dump would put them on disk, readable by
// whoever collects crash reports. Like ssh-agent and gpg-agent, the workbench marks itself not
// dumpable (PR_SET_DUMPABLE 0): the kernel then writes no core for it (with the default
// fs.suid_dumpable = 0) and other processes of the same user cannot ptrace it or read its
// memory through /proc. A developer who wants cores sets TWBENCH_ALLOW_CORE_DUMPS=1.
// Returns false when the kernel refused (never on Linux for this flag).
bool refuseCoreDumps();

} // namespace twbench
