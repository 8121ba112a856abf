#include "reportcommand.h"

#include "gui/replay/capturereplay.h"
#include "gui/report/reportbuilder.h"

#include "model/capture/capturefile.h"
#include "model/docker/dockerinventory.h"
#include "model/redactor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

namespace twbench {

namespace {

void printTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void printError(const QString &reason)
{
    // One line, control characters escaped: a reason may quote a file name.
    printTo(stderr,
            QStringLiteral("twbench: ") + safeDisplayText(reason.simplified(), 4000) + u'\n');
}

QtMessageHandler previousHandler = nullptr;

// The offscreen platform says this once per widget shown; for a command-line run it is noise
// that would bury the one line that matters. Everything else passes through.
void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message == QLatin1String("This plugin does not support propagateSizeHints()"))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

ReportCommand::ParseResult ReportCommand::parse(const QStringList &arguments, ReportArguments *out,
                                                QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return ParseResult::Error;
    };
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption html(QStringLiteral("html"), {}, QStringLiteral("OUT"));
    const QCommandLineOption pdf(QStringLiteral("pdf"), {}, QStringLiteral("OUT"));
    const QCommandLineOption json(QStringLiteral("json"), {}, QStringLiteral("OUT"));
    const QCommandLineOption title(QStringLiteral("title"), {}, QStringLiteral("TEXT"));
    const QCommandLineOption redact(QStringLiteral("redact"));
    parser.addOptions({help, html, pdf, json, title, redact});
    if (!parser.parse(QStringList{QStringLiteral("twbench-report")} + arguments))
        return fail(parser.errorText());
    if (parser.isSet(help))
        return ParseResult::Help;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(tr("The capture file is missing (see twbench report --help)."));
    if (positional.size() > 1)
        return fail(
            tr("Unexpected argument \"%1\" (see twbench report --help).").arg(positional.at(1)));
    for (const QCommandLineOption *single : {&html, &pdf, &json, &title}) {
        if (parser.values(*single).size() > 1)
            return fail(tr("--%1 is given more than once.").arg(single->names().constFirst()));
    }
    ReportArguments result;
    result.capturePath = positional.first();
    result.htmlPath = parser.value(html);
    result.pdfPath = parser.value(pdf);
    result.jsonPath = parser.value(json);
    result.title = parser.value(title);
    result.redact = parser.isSet(redact);
    if (result.htmlPath.isEmpty() && result.pdfPath.isEmpty() && result.jsonPath.isEmpty())
        return fail(tr("Nothing to write: give at least one of --html, --pdf and --json."));
    const QStringList outputs = {result.htmlPath, result.pdfPath, result.jsonPath};
    for (const QString &path : outputs) {
        if (path.isEmpty())
            continue;
        if (QFileInfo(path).isDir())
            return fail(tr("%1 is a directory.").arg(path));
        if (outputs.count(path) > 1)
            return fail(tr("%1 is given as more than one output.").arg(path));
        if (QFileInfo(path).absoluteFilePath() == QFileInfo(result.capturePath).absoluteFilePath())
            return fail(tr("%1 is the capture file itself.").arg(path));
    }
    *out = std::move(result);
    return ParseResult::Ok;
}

QString ReportCommand::usage()
{
    return tr("Usage: twbench report FILE [--html OUT] [--pdf OUT] [--json OUT] [--redact]\n"
              "\n"
              "Writes the report of a capture file (.twbench): findings with their evidence "
              "and remedies,\n"
              "the charts and topology graphs, the top endpoints and callers, and the shell "
              "commands\n"
              "that show each figure by hand. Needs no display.\n"
              "\n"
              "  --html OUT      a self-contained HTML file (images inline)\n"
              "  --pdf OUT       a PDF (A4)\n"
              "  --json OUT      the findings and figures as JSON (as twbench diagnose writes "
              "them,\n"
              "                  with the capture's time range)\n"
              "  --redact        replace IP addresses and host names by aliases, consistently "
              "in every\n"
              "                  output (loopback, wildcards, ports, container names and paths "
              "are kept)\n"
              "  --title TEXT    the report's title\n"
              "\n"
              "At least one of --html, --pdf and --json. Files are written atomically.\n"
              "\n"
              "Exit codes: 0 written, 1 an output could not be written, 2 bad arguments,\n"
              "6 the capture file cannot be read.\n");
}

int ReportCommand::run(const ReportArguments &arguments)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        // main() makes one for "report"; anything else is a programming error, said plainly.
        printError(tr("twbench report needs a QApplication."));
        return int(ReportExit::BadArguments);
    }
    previousHandler = qInstallMessageHandler(quietHandler);
    QString error;
    std::unique_ptr<CaptureReader> reader = CaptureReader::open(arguments.capturePath, &error);
    if (!reader) {
        printError(error.isEmpty()
                       ? tr("%1 cannot be read as a capture file.").arg(arguments.capturePath)
                       : error);
        return int(ReportExit::CaptureUnreadable);
    }
    std::shared_ptr<Redactor> redactor;
    if (arguments.redact)
        redactor = std::make_shared<Redactor>();
    CaptureReplay replay(std::shared_ptr<const CaptureReader>(std::move(reader)), redactor);
    if (!replay.seekAndWait(replay.endMs(), &error)) {
        printError(tr("%1: %2").arg(arguments.capturePath, error));
        return int(ReportExit::CaptureUnreadable);
    }

    ReportOptions options;
    options.title = arguments.title;
    options.redactor = redactor;
    ReportBuilder builder(&replay, options);
    builder.build();

    int exit = int(ReportExit::Ok);
    const auto write = [&](const QString &path,
                           bool (ReportBuilder::*writer)(const QString &, QString *) const) {
        if (path.isEmpty())
            return;
        QString why;
        if (!(builder.*writer)(path, &why)) {
            printError(why);
            exit = int(ReportExit::OutputFailed);
        }
    };
    write(arguments.htmlPath, &ReportBuilder::writeHtml);
    write(arguments.pdfPath, &ReportBuilder::writePdf);
    write(arguments.jsonPath, &ReportBuilder::writeJson);
    return exit;
}

int ReportCommand::main(const QStringList &arguments)
{
    ReportArguments parsed;
    QString error;
    switch (parse(arguments, &parsed, &error)) {
    case ParseResult::Help:
        printTo(stdout, usage());
        return int(ReportExit::Ok);
    case ParseResult::Error:
        printError(error);
        return int(ReportExit::BadArguments);
    case ParseResult::Ok:
        break;
    }
    return run(parsed);
}

} // namespace twbench
