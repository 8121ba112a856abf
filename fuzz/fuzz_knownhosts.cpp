// known_hosts lines (remote/knownhosts.h): patterns, negation, [host]:port names, hashed
// names, markers and key blobs. KnownHosts reads files, so the input is written to a file in a
// temporary directory; nothing outside it is read or written (the global file is a path in
// there that does not exist).

#include "fuzzsupport.h"

#include "remote/knownhosts.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

using namespace twbench;

namespace {

struct Fixture
{
    QTemporaryDir dir;
    QString userFile;
    QStringList globalFiles;
    PublicKey key;
};

Fixture &fixture()
{
    static Fixture f = [] {
        Fixture made;
        if (!made.dir.isValid()) {
            std::fprintf(stderr, "fuzz_knownhosts: no temporary directory\n");
            std::abort();
        }
        made.userFile = made.dir.filePath(QStringLiteral("known_hosts"));
        made.globalFiles = {made.dir.filePath(QStringLiteral("absent_global_known_hosts"))};
        // A throwaway public key (never a server's), the one the seeds hold for example.com.
        const auto key = PublicKey::fromBase64(
            "AAAAC3NzaC1lZDI1NTE5AAAAIEiG7q+kPQTMGnnkf2quUY+H8eJfTaSS8mR8yNH2htCW");
        if (!key) {
            std::fprintf(stderr, "fuzz_knownhosts: the fixed key does not parse\n");
            std::abort();
        }
        made.key = *key;
        return made;
    }();
    return f;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // KnownHosts builds a QRegularExpression per line it reads, and JIT-compiling each one
    // (an mmap each under ASan) was half the cost of a run. The interpreter matches the same
    // way, so the parsing fuzzed is the same.
    qputenv("QT_ENABLE_REGEXP_JIT", "0");
    fuzz::startApplication(argc, argv);
    (void)fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // A known_hosts file is a few kilobytes; hashed names cost an HMAC per line and name.
    if (size > 64 * 1024)
        return -1;
    Fixture &f = fixture();
    {
        QFile file(f.userFile);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size)) {
            std::fprintf(stderr, "fuzz_knownhosts: cannot write %s\n", qPrintable(f.userFile));
            std::abort();
        }
    }
    const KnownHosts knownHosts(f.userFile, f.globalFiles);
    // Each call reads the file again (and KnownHosts reserves 64 MiB per read, which ASan
    // makes slow): a plain name and a [name]:port one are enough for the matching rules.
    (void)knownHosts.check(QStringLiteral("example.com"), 22, f.key).lineText.size();
    (void)knownHosts.check(QStringLiteral("Example.COM"), 2222, f.key).lineText.size();
    (void)knownHosts.knownKeyTypes(QStringLiteral("example.com"), 22);

    // The pieces of each line on their own: keys, host lists and hashed names.
    const QByteArrayView text = fuzz::view(data, size);
    qsizetype lines = 0;
    for (qsizetype at = 0; at < text.size() && lines < 64; ++lines) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        const QString line = QString::fromUtf8(text.sliced(at, end - at));
        for (const QString &field : line.split(u' ', Qt::SkipEmptyParts)) {
            if (const auto key = PublicKey::fromBase64(field.toLatin1()))
                (void)openSshKeyName(key->type);
            (void)KnownHosts::matchHostList(QStringLiteral("[example.com]:2222"), field);
            (void)KnownHosts::matchHashed(QStringLiteral("example.com"), field);
        }
        at = end + 1;
    }

    // Last, as it rewrites the file: taking a host's names out of every line.
    const KnownHosts::Removal removal = knownHosts.removeHost(QStringLiteral("example.com"), 22);
    (void)removal.leftLines.size();
    return 0;
}
