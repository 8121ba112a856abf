// CaptureReader::open (model/capture/capturefile.h) on the input written as a file: SQLite's
// own checks, the application id and schema version, and the decoding of every row. Runs cost
// milliseconds (SQLite opens and checks the whole file), so inputs are kept small.

#include "fuzzsupport.h"

#include "model/capture/capturefile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

using namespace twbench;

namespace {

QTemporaryDir &tempDir()
{
    static QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "fuzz_capturefile: no temporary directory\n");
        std::abort();
    }
    return dir;
}

// A fresh file each run: SQLite may leave a -wal, -shm or -journal beside it, which would make
// the next run depend on this one.
QString writeInput(const std::uint8_t *data, std::size_t size)
{
    QDir dir(tempDir().path());
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden))
        dir.remove(name);
    const QString path = dir.filePath(QStringLiteral("input.twbench"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size)) {
        std::fprintf(stderr, "fuzz_capturefile: cannot write %s\n", qPrintable(path));
        std::abort();
    }
    return path;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    (void)tempDir();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // The seeds are about 40 kB; SQLite reads every page of the file on open.
    if (size > 256 * 1024)
        return -1;
    const QString path = writeInput(data, size);
    QString error;
    const std::unique_ptr<CaptureReader> reader = CaptureReader::open(path, &error);
    if (!reader)
        return 0;
    (void)reader->info();
    for (const CaptureHost &host : reader->hosts()) {
        (void)reader->samples(host.id).size();
        (void)reader->findings(host.id);
        // Tables were decoded by open() already; reading a few again covers readTable().
        int read = 0;
        for (const CaptureTableRef &ref : reader->tables(host.id)) {
            if (read++ == 2)
                break;
            QString tableError;
            (void)reader->readTable(ref.id, &tableError);
        }
        (void)reader->tableAt(host.id, 0);
    }
    return 0;
}
