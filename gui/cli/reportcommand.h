#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace twbench {

// The exit codes of `twbench report`. Every code but Ok comes with one line on stderr.
enum class ReportExit : int {
    Ok = 0,
    OutputFailed = 1,      // an output file could not be written
    BadArguments = 2,      // a usage error: nothing was read
    CaptureUnreadable = 6, // the capture file is missing, damaged or not a capture
};

struct ReportArguments
{
    QString capturePath;
    QString htmlPath;
    QString pdfPath;
    QString jsonPath;
    QString title; // empty: the default
    bool redact = false;
};

// `twbench report FILE [--html OUT] [--pdf OUT] [--json OUT] [--redact]`: opens a capture,
// replays it to its end, runs the rules and writes the report (gui/report/reportbuilder.h).
// Draws the charts and graphs with the real widgets, so it needs a QApplication; main() makes
// one on the offscreen platform, so no display is needed.
class ReportCommand final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::ReportCommand)

public:
    enum class ParseResult : std::uint8_t { Ok, Help, Error };

    // `arguments` are those after "report". On Error, *error is one line.
    static ParseResult parse(const QStringList &arguments, ReportArguments *out, QString *error);
    static QString usage();
    // Returns a ReportExit.
    static int run(const ReportArguments &arguments);
    // `twbench report ARGS…` from start to end.
    static int main(const QStringList &arguments);
};

} // namespace twbench
