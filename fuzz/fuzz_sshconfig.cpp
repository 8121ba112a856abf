// ~/.ssh/config import (remote/sshconfig.h) through its text entry point: no file is read.
// Every Include is answered with the input itself, so nesting, loops and the limits on depth
// and size are fuzzed too, within a per-run budget of answers that keeps each run fast.

#include "fuzzsupport.h"

#include "remote/sshconfig.h"

using namespace twbench;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // A config is a few kilobytes; the parser's own 4 MiB cap is tested in the unit tests.
    if (size > 64 * 1024)
        return -1;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const SshConfigContext context{QStringLiteral("/home/op"), QStringLiteral("op")};
    // Enough answers to pass the depth limit of 16 along one chain, few enough that a file of
    // many Includes does not parse itself thousands of times per run.
    int answers = 24;
    const SshIncludeReader reader = [&text, &answers](const QString &pattern) {
        QList<SshConfigFile> files;
        if (answers-- > 0)
            files.append({pattern, text});
        return files;
    };
    const SshConfigResult result = parseSshConfig(text, QStringLiteral("config"), context, reader);
    for (const HostSpec &host : result.hosts)
        (void)host.validationError();
    return 0;
}
