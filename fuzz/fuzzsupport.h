#pragma once

// What every fuzz target shares: a QCoreApplication (QtSql loads its driver as a plugin, and
// tr() looks for translators), the input as a Qt view, and a cap on its size.

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace twbench::fuzz {

// The parsers are linear: a megabyte finds nothing a few kilobytes would not, and only slows
// each run. Longer inputs are ignored rather than cut, so the corpus keeps no useless giants.
inline constexpr std::size_t maxInputBytes = 1024 * 1024;

inline void startApplication(int *argc, char ***argv)
{
    // Never deleted: libFuzzer ends with exit(), after which ~QCoreApplication would run when
    // Qt's own globals are already gone. argc and argv are main()'s, alive until then.
    static QCoreApplication *app = new QCoreApplication(*argc, *argv);
    (void)app;
    // Hostile input makes Qt warn (QtSql about a file that is no database, …) on nearly every
    // run: printing that costs more than the parsing and buries libFuzzer's own output.
    // qFatal still aborts, which libFuzzer reports as a crash.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg)
            std::fprintf(stderr, "%s\n", qPrintable(message));
    });
}

inline QByteArrayView view(const std::uint8_t *data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace twbench::fuzz
