#include "reportbuilder.h"

#include "gui/chartsview.h"
#include "gui/export/viewexporter.h"
#include "gui/replay/capturereplay.h"
#include "gui/topologyview.h"
#include "gui/workbench.h"

#include "model/accesslog/accesslogstats.h"
#include "model/diagnosis/hostdiagnosis.h"
#include "model/diagnosis/reportjson.h"
#include "model/redactor.h"
#include "model/report/reproducecommands.h"
#include "model/socketgrouper.h"

#include <QBuffer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLayout>
#include <QLocale>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>

#include <algorithm>

namespace twbench {

namespace {

constexpr int topEndpointCount = 15;
constexpr int topCallerCount = 15;
// The text width of an A4 page with the margins below, in the document's logical pixels: wider
// images are scaled down to it in the PDF.
constexpr int pdfTextWidth = 640;
// QTextDocument::print() puts 2 cm margins around a document it paginates itself (and numbers
// its pages there): the page's own margins stay zero, or the two would add up.

// Remote text for the page: controls and bidi overrides made visible (per line, so a remedy's
// config snippet keeps its lines), then HTML-escaped. Nothing from the capture reaches the
// page without going through here.
QString esc(const QString &text, qsizetype maxChars = 4000)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines)
        line = safeDisplayText(line, maxChars).toHtmlEscaped();
    return lines.join(u'\n');
}

// "2 min 5 s", "1 h 3 min", "40 s": a capture's length as an operator says it.
QString durationText(std::int64_t ms)
{
    const std::int64_t seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return ReportBuilder::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return seconds % 60 == 0
                   ? ReportBuilder::tr("%1 min").arg(seconds / 60)
                   : ReportBuilder::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return ReportBuilder::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds / 60 % 60);
}

QString formatTime(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString severityColor(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Critical:
        return QStringLiteral("#b3261e");
    case Finding::Severity::Warning:
        return QStringLiteral("#b26a00");
    case Finding::Severity::Info:
        break;
    }
    return QStringLiteral("#1f5fa8");
}

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

// Runs the event loop until `done` holds or `timeoutMs` passed.
template<typename Predicate>
void waitUntil(Predicate done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

} // namespace

struct ReportBuilder::Private
{
    CaptureReplay *replay = nullptr; // Not owned.
    ReportOptions options;
    bool built = false;

    struct Host
    {
        QString id;
        QString name; // the workbench's display name (an alias when redacted)
        std::unique_ptr<HostDiagnosis> diagnosis;
        HostReport report;
        QList<SocketGroup> endpoints;        // top by TIME_WAIT
        QHash<std::uint64_t, QString> names; // netns → container name (raw)
        QList<AccessLogStats::CallerRow> callers;
        QStringList logSources;
        bool docker = false;
        QImage topology;
        QList<ReproduceCommand> commands;
    };
    std::vector<Host> hosts;
    QImage charts;
    QString caption; // the images' caption strip text

    std::int64_t fromMs() const { return replay->startMs(); }
    std::int64_t toMs() const { return replay->endMs(); }
    QString title() const
    {
        return options.title.isEmpty() ? ReportBuilder::tr("TIME_WAIT investigation")
                                       : options.title;
    }
    QString hostNames() const
    {
        QStringList names;
        for (const Host &host : hosts)
            names.append(host.name);
        return names.join(QStringLiteral(", "));
    }
    QString timeRange() const
    {
        return ReportBuilder::tr("%1 – %2").arg(formatTime(fromMs()), formatTime(toMs()));
    }
};

ReportBuilder::ReportBuilder(CaptureReplay *replay, ReportOptions options)
    : d(std::make_unique<Private>())
{
    d->replay = replay;
    d->options = std::move(options);
}

ReportBuilder::~ReportBuilder() = default;

void ReportBuilder::build()
{
    if (d->built)
        return;
    d->built = true;
    Workbench *workbench = d->replay->workbench();
    const QString previousHost = workbench->currentHost();

    for (const HostSpec &spec : workbench->hostSpecs()) {
        Private::Host host;
        host.id = spec.id;
        host.name = spec.displayName.isEmpty() ? spec.id : spec.displayName;

        DiagnosisInput input;
        input.hostId = host.id;
        input.hostLabel = host.name;
        input.table = workbench->latestTable(host.id);
        input.docker = workbench->latestDocker(host.id);
        input.namespaces = workbench->latestNamespaces(host.id);
        input.timeline = workbench->timeline(host.id);
        input.accessLogs = workbench->accessLogs(host.id);
        const HostSamplePtr latest = workbench->latestSample(host.id);
        if (latest) {
            input.counters = latest->counters;
            input.limits = latest->limits;
        }
        input.fromMs = d->fromMs();
        input.toMs = d->toMs();
        host.diagnosis = diagnoseHost(input);
        host.report = hostReport(
            host.diagnosis->input,
            std::int64_t(d->replay->reader().samples(d->replay->captureHostId(host.id)).size()),
            latest ? latest->issues : QList<SourceIssue>());
        host.docker = input.docker && input.docker->ok();

        if (input.docker && input.namespaces) {
            for (auto it = input.namespaces->containerNetns.cbegin();
                 it != input.namespaces->containerNetns.cend(); ++it) {
                if (const Container *container = input.docker->containerById(it.key()))
                    host.names.insert(it.value(), container->name);
            }
        }
        if (input.table) {
            QHash<std::uint64_t, QString> labels;
            for (auto it = host.names.cbegin(); it != host.names.cend(); ++it)
                labels.insert(it.key(), safeDisplayText(it.value()));
            QList<SocketGroup> groups = groupSockets(*input.table, Grouping::LocalEndpoint, labels);
            std::stable_sort(groups.begin(), groups.end(),
                             [](const SocketGroup &a, const SocketGroup &b) {
                                 return a.count(TcpState::TimeWait) > b.count(TcpState::TimeWait);
                             });
            // Ephemeral client ports hold one socket each: listed one by one, as `uniq -c`
            // would, they bury the endpoints that matter. Services, and anything holding more
            // than one TIME_WAIT, stay.
            groups.erase(std::remove_if(groups.begin(), groups.end(),
                                        [](const SocketGroup &g) {
                                            return g.total == 0 ||
                                                   (g.role != GroupRole::Service &&
                                                    g.count(TcpState::TimeWait) < 2);
                                        }),
                         groups.end());
            host.endpoints = groups.mid(0, topEndpointCount);
        }
        if (input.accessLogs) {
            const std::int64_t span = std::max<std::int64_t>(d->toMs() - d->fromMs(), 0) + 10'000;
            host.callers = input.accessLogs->topCallers(QString(), span, topCallerCount);
            host.logSources = input.accessLogs->sourceIds();
        }

        ReproduceInput reproduce;
        for (const SocketGroup &group : std::as_const(host.endpoints)) {
            if (group.count(TcpState::TimeWait) == 0)
                continue;
            reproduce.topLocalEndpoints.append(
                {group.key.endpoint, host.names.value(group.key.netns)});
        }
        reproduce.logSources = host.logSources;
        reproduce.docker = host.docker;
        reproduce.findings = host.diagnosis->findings;
        host.commands = ReproduceCommands::build(reproduce);
        d->hosts.push_back(std::move(host));
    }

    d->caption = ExportCaption{d->hostNames(), d->timeRange()}.text();
    const ExportCaption caption{d->hostNames(), d->timeRange()};

    // The charts over the whole capture, every host overlaid when there are several.
    {
        // The charts draw the current host (and, scoped to all, the others with it).
        if (!d->hosts.empty())
            workbench->setCurrentHost(d->hosts.front().id);
        ChartsView charts(workbench);
        // The range and scope controls are for the screen; the caption says the span.
        if (QLayout *layout = charts.layout(); layout && layout->count() > 0) {
            if (QLayout *bar = layout->itemAt(0)->layout()) {
                for (int i = 0; i < bar->count(); ++i) {
                    if (QWidget *widget = bar->itemAt(i)->widget())
                        widget->hide();
                }
            }
        }
        charts.setAttribute(Qt::WA_DontShowOnScreen);
        // On paper the legend may take the room a screen gives to resizing: names in full.
        charts.legend()->setMaximumWidth(d->options.chartsSize.width() / 3);
        charts.legend()->setMinimumWidth(d->options.chartsSize.width() / 5);
        charts.resize(d->options.chartsSize);
        charts.setHostScope(d->hosts.size() > 1 ? ChartsView::HostScope::All
                                                : ChartsView::HostScope::Current);
        charts.show();
        charts.showWindow(d->fromMs(), d->toMs());
        QCoreApplication::processEvents();
        charts.redrawNow();
        QCoreApplication::processEvents();
        d->charts =
            ViewExporter::renderImage(ExportSource::ofWidget(tr("Charts"), &charts), caption);
    }

    // Each host's graph, laid out by the real view (Graphviz on the pool).
    for (Private::Host &host : d->hosts) {
        const DiagnosisInput &input = host.diagnosis->input;
        if (!input.table)
            continue;
        workbench->setCurrentHost(host.id);
        TopologyView view(workbench);
        view.setAttribute(Qt::WA_DontShowOnScreen);
        view.resize(d->options.topologySize);
        view.show();
        bool shown = false;
        QObject::connect(&view, &TopologyView::frameShown, &view, [&shown] { shown = true; });
        view.showData(input.table, input.docker, input.namespaces);
        waitUntil([&] { return shown && !view.isBusy(); }, 30'000);
        const ExportCaption hostCaption{host.name, d->timeRange()};
        host.topology = ViewExporter::renderImage(view.exportSource(), hostCaption);
    }
    if (!previousHost.isEmpty())
        workbench->setCurrentHost(previousHost);
}

QList<Finding> ReportBuilder::findings() const
{
    QList<Finding> all;
    for (const Private::Host &host : d->hosts)
        all += host.diagnosis->findings;
    return all;
}

QImage ReportBuilder::chartsImage() const
{
    return d->charts;
}

QList<QImage> ReportBuilder::topologyImages() const
{
    QList<QImage> images;
    for (const Private::Host &host : d->hosts) {
        if (!host.topology.isNull())
            images.append(host.topology);
    }
    return images;
}

QString ReportBuilder::document(ImageMode mode) const
{
    const QLocale locale;
    QString html;
    const auto image = [&](const QImage &picture, const QString &name, const QString &alt) {
        if (picture.isNull())
            return QString();
        const QSizeF logical = QSizeF(picture.size()) / picture.devicePixelRatio();
        qreal width = logical.width();
        qreal height = logical.height();
        if (mode == ImageMode::Resource && width > pdfTextWidth) {
            height = height * pdfTextWidth / width;
            width = pdfTextWidth;
        }
        const QString source = mode == ImageMode::DataUrl
                                   ? QStringLiteral("data:image/png;base64,") +
                                         QString::fromLatin1(pngBytes(picture).toBase64())
                                   : QStringLiteral("twbench-report:") + name;
        return QStringLiteral("<p class=\"figure\"><img src=\"%1\" width=\"%2\" height=\"%3\" "
                              "alt=\"%4\" style=\"max-width: 100%; height: auto\"></p>\n")
            .arg(source)
            .arg(qRound(width))
            .arg(qRound(height))
            .arg(alt.toHtmlEscaped());
    };
    const auto number = [&](std::optional<double> value, int decimals = 0) {
        return value ? locale.toString(*value, 'f', decimals) : tr("unknown");
    };

    html +=
        QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>") +
        esc(d->title()) + QStringLiteral("</title>\n<style>\n") +
        QStringLiteral("body { font-family: sans-serif; font-size: 10pt; color: #222; }\n"
                       "h1 { font-size: 18pt; margin-bottom: 0.2em; }\n"
                       "h2 { font-size: 14pt; margin-top: 1.2em; border-bottom: 1px solid #999; }\n"
                       "h3 { font-size: 11pt; margin-bottom: 0.3em; }\n"
                       "table { border-collapse: collapse; margin: 0.4em 0; width: 100%; }\n"
                       "th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; "
                       "vertical-align: top; }\n"
                       "th { background: #eee; }\n"
                       "td.n { text-align: right; }\n"
                       "td.w, th.w { white-space: nowrap; }\n"
                       "pre { background: #f4f4f4; border: 1px solid #ddd; padding: 4px; "
                       "white-space: pre-wrap; font-family: monospace; font-size: 9pt; }\n"
                       ".meta { color: #555; }\n"
                       ".note { background: #fff4d6; border: 1px solid #e0c060; padding: 4px; }\n"
                       ".critical { color: #b3261e; } .warning { color: #b26a00; } "
                       ".info { color: #1f5fa8; }\n") +
        (mode == ImageMode::DataUrl
             ? QStringLiteral("body { margin: 2em auto; max-width: 1100px; padding: 0 1em; }\n"
                              "img { max-width: 100%; height: auto; }\n")
             : QString()) +
        QStringLiteral("</style></head><body>\n");

    // Header.
    html += QStringLiteral("<h1>") + esc(d->title()) + QStringLiteral("</h1>\n");
    html += QStringLiteral("<p class=\"meta\">") + tr("Hosts: %1").arg(esc(d->hostNames())) +
            QStringLiteral("<br>") +
            tr("Captured: %1 (local time, %2)")
                .arg(esc(d->timeRange()),
                     durationText(std::max<std::int64_t>(d->toMs() - d->fromMs(), 0))) +
            QStringLiteral("<br>") +
            tr("Written by twbench %1 on %2")
                .arg(esc(QStringLiteral(TWBENCH_VERSION)),
                     esc(formatTime(QDateTime::currentMSecsSinceEpoch()))) +
            QStringLiteral("</p>\n");
    if (d->options.redactor) {
        html += QStringLiteral("<p class=\"note\">") +
                tr("Redacted: %n address(es) and %1 host name(s) were replaced by aliases "
                   "(IPv4 by 198.18.x.y and up, other loopback addresses by 127.N.x.y, IPv6 by "
                   "2001:db8::/32, hosts by host-N), the same original always by the same "
                   "alias. 0.0.0.0, ::, 127.0.0.1, 127.0.0.53, ::1, ports, container, image and "
                   "process names and paths are as captured.",
                   nullptr, d->options.redactor->addressCount())
                    .arg(d->options.redactor->hostNameCount()) +
                QStringLiteral("</p>\n");
    }

    // Summary per host.
    html += QStringLiteral("<h2>") + tr("Summary") +
            QStringLiteral(
                "</h2>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">\n<tr><th>") +
            tr("Host") + QStringLiteral("</th><th>") + tr("Samples") + QStringLiteral("</th><th>") +
            tr("TIME_WAIT (end)") + QStringLiteral("</th><th>") + tr("TIME_WAIT (max)") +
            QStringLiteral("</th><th>") + tr("CPU (mean)") + QStringLiteral("</th><th>") +
            tr("CPU (max)") + QStringLiteral("</th><th>") + tr("Findings") +
            QStringLiteral("</th></tr>\n");
    for (const Private::Host &host : d->hosts) {
        const HostReport &r = host.report;
        const auto count = [&](std::optional<std::int64_t> v) {
            return v ? locale.toString(qlonglong(*v)) : tr("unknown");
        };
        html += QStringLiteral("<tr><td>%1</td><td class=\"n\">%2</td><td class=\"n\">%3</td>"
                               "<td class=\"n\">%4</td><td class=\"n\">%5</td><td "
                               "class=\"n\">%6</td><td class=\"n\">%7</td></tr>\n")
                    .arg(esc(host.name), locale.toString(qlonglong(r.samples)),
                         count(r.timeWaitLast), count(r.timeWaitMax),
                         r.cpuMean ? tr("%1 %").arg(number(r.cpuMean, 1)) : tr("unknown"),
                         r.cpuMax ? tr("%1 %").arg(number(r.cpuMax, 1)) : tr("unknown"),
                         locale.toString(qlonglong(host.diagnosis->findings.size())));
    }
    html += QStringLiteral("</table>\n");

    // Findings.
    html += QStringLiteral("<h2>") + tr("Findings") + QStringLiteral("</h2>\n");
    if (findings().isEmpty())
        html += QStringLiteral("<p>") +
                tr("No rule fired: nothing in this capture looks like a TIME_WAIT or "
                   "connection-churn problem.") +
                QStringLiteral("</p>\n");
    for (const Private::Host &host : d->hosts) {
        for (const Finding &finding : host.diagnosis->findings) {
            html += QStringLiteral("<h3><span class=\"%1\" style=\"color: %2\">[%3]</span> %4")
                        .arg(severityId(finding.severity), severityColor(finding.severity),
                             severityName(finding.severity).toHtmlEscaped(), esc(finding.title));
            if (d->hosts.size() > 1)
                html += QStringLiteral(" <span class=\"meta\">(") + esc(host.name) +
                        QStringLiteral(")</span>");
            html += QStringLiteral("</h3>\n<p>") +
                    esc(finding.explanation).replace(u'\n', QStringLiteral("<br>")) +
                    QStringLiteral("</p>\n");
            if (!finding.evidence.isEmpty()) {
                html +=
                    QStringLiteral(
                        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">\n<tr><th>") +
                    tr("Evidence") + QStringLiteral("</th><th>") + tr("Value") +
                    QStringLiteral("</th></tr>\n");
                for (const Finding::Evidence &evidence : finding.evidence)
                    html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>\n")
                                .arg(esc(evidence.label), esc(evidence.value));
                html += QStringLiteral("</table>\n");
            }
            if (!finding.remedies.isEmpty()) {
                html += QStringLiteral("<p><b>") + tr("What to do") + QStringLiteral("</b></p>\n");
                for (const QString &remedy : finding.remedies) {
                    // A remedy's first line is prose; lines after it are a config snippet.
                    const qsizetype newline = remedy.indexOf(u'\n');
                    const QString prose = newline < 0 ? remedy : remedy.left(newline);
                    html += QStringLiteral("<p>• ") + esc(prose) + QStringLiteral("</p>\n");
                    if (newline >= 0)
                        html += QStringLiteral("<pre>") + esc(remedy.mid(newline + 1)) +
                                QStringLiteral("</pre>\n");
                }
            }
        }
    }

    // Charts and graphs.
    html += QStringLiteral("<h2 style=\"page-break-before: always\">") + tr("Charts") +
            QStringLiteral("</h2>\n") +
            image(d->charts, QStringLiteral("charts"),
                  tr("TIME_WAIT, connection churn, CPU and requests over the capture"));
    for (std::size_t i = 0; i < d->hosts.size(); ++i) {
        const Private::Host &host = d->hosts[i];
        if (host.topology.isNull())
            continue;
        html += QStringLiteral("<h2>") + tr("Topology: %1").arg(esc(host.name)) +
                QStringLiteral("</h2>\n<p class=\"meta\">") +
                tr("Who connects to whom at the end of the capture; edge labels give the "
                   "connections by state and which side closes (and so holds TIME_WAIT).") +
                QStringLiteral("</p>\n") +
                image(host.topology, QStringLiteral("topology-%1").arg(i),
                      tr("Topology of %1").arg(host.name));
    }

    // Tables.
    for (const Private::Host &host : d->hosts) {
        html += QStringLiteral("<h2>") + tr("Top local endpoints: %1").arg(esc(host.name)) +
                QStringLiteral("</h2>\n");
        if (host.endpoints.isEmpty()) {
            html += QStringLiteral("<p>") + tr("No socket table was captured.") +
                    QStringLiteral("</p>\n");
        } else {
            html +=
                QStringLiteral("<p class=\"meta\">") +
                tr("netstat -tn | grep TIME_WAIT | awk '{print $4}' | sort | uniq -c, as a "
                   "table: the local endpoints with the most TIME_WAIT sockets at the end "
                   "of the capture.")
                    .toHtmlEscaped() +
                QStringLiteral("</p>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">\n"
                               "<tr><th width=\"27%\">") +
                tr("Local endpoint") + QStringLiteral("</th><th width=\"23%\">") + tr("Namespace") +
                QStringLiteral("</th><th width=\"10%\">") + tr("Role") +
                QStringLiteral("</th><th class=\"w\" width=\"11%\">") + tr("TIME_WAIT") +
                QStringLiteral("</th><th class=\"w\" width=\"10%\">") + tr("ESTAB") +
                QStringLiteral("</th><th class=\"w\" width=\"11%\">") + tr("Connections") +
                QStringLiteral("</th></tr>\n");
            for (const SocketGroup &group : host.endpoints) {
                const QString container = host.names.value(group.key.netns);
                html += QStringLiteral(
                            "<tr><td class=\"w\">%1</td><td>%2</td><td class=\"w\">%3</td><td "
                            "class=\"n\">%4</td><td class=\"n\">%5</td><td "
                            "class=\"n\">%6</td></tr>\n")
                            .arg(esc(group.key.endpoint.toString()),
                                 container.isEmpty() ? tr("host")
                                                     : tr("container %1").arg(esc(container, 80)),
                                 groupRoleName(group.role).toHtmlEscaped(),
                                 locale.toString(group.count(TcpState::TimeWait)),
                                 locale.toString(group.count(TcpState::Established)),
                                 locale.toString(group.total));
            }
            html += QStringLiteral("</table>\n");
        }
        if (!host.callers.isEmpty()) {
            html +=
                QStringLiteral("<h2>") + tr("Top callers: %1").arg(esc(host.name)) +
                QStringLiteral("</h2>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">\n"
                               "<tr><th width=\"24%\">") +
                tr("Log") + QStringLiteral("</th><th width=\"17%\">") + tr("Client") +
                QStringLiteral("</th><th width=\"23%\">") + tr("Request") +
                QStringLiteral("</th><th width=\"7%\">") + tr("Status") +
                QStringLiteral("</th><th width=\"9%\">") + tr("Requests") +
                QStringLiteral("</th><th width=\"9%\">") + tr("Per second") +
                QStringLiteral("</th><th width=\"11%\">") + tr("Steady") +
                QStringLiteral("</th></tr>\n");
            for (const AccessLogStats::CallerRow &row : host.callers) {
                html +=
                    QStringLiteral("<tr><td>%1</td><td class=\"w\">%2</td><td>%3 %4</td><td "
                                   "class=\"n\">%5</td><td class=\"n\">%6</td><td "
                                   "class=\"n\">%7</td><td>%8</td></tr>\n")
                        .arg(esc(row.sourceId, 60), esc(row.key.client, 60),
                             esc(row.key.method, 16), esc(row.key.path, 80),
                             row.key.status ? QString::number(row.key.status) : QStringLiteral("-"),
                             locale.toString(qlonglong(row.requests)),
                             locale.toString(row.requestsPerSec, 'f', 2),
                             row.steady ? tr("yes: a loop") : QString());
            }
            html += QStringLiteral("</table>\n");
        }
    }

    // Appendix.
    html += QStringLiteral("<h2 style=\"page-break-before: always\">") +
            tr("Appendix: check it by hand") + QStringLiteral("</h2>\n<p>") +
            tr("Each figure of this report, as shell commands to run on the server itself. "
               "Values taken from the capture are quoted for a POSIX shell.") +
            QStringLiteral("</p>\n");
    for (const Private::Host &host : d->hosts) {
        if (d->hosts.size() > 1)
            html += QStringLiteral("<h2>") + esc(host.name) + QStringLiteral("</h2>\n");
        for (const ReproduceCommand &command : host.commands) {
            html += QStringLiteral("<h3>") + esc(command.title) + QStringLiteral("</h3>\n<p>") +
                    esc(command.shows) + QStringLiteral("</p>\n<pre>") +
                    command.command.toHtmlEscaped() + QStringLiteral("</pre>\n");
        }
    }
    html += QStringLiteral("</body></html>\n");
    return html;
}

QString ReportBuilder::html() const
{
    return document(ImageMode::DataUrl);
}

QByteArray ReportBuilder::json() const
{
    QList<HostReport> reports;
    for (const Private::Host &host : d->hosts)
        reports.append(host.report);
    QJsonObject root = diagnosisJson(reports, findings());
    QJsonObject capture;
    capture.insert(QStringLiteral("from"),
                   QDateTime::fromMSecsSinceEpoch(d->fromMs()).toString(Qt::ISODateWithMs));
    capture.insert(QStringLiteral("to"),
                   QDateTime::fromMSecsSinceEpoch(d->toMs()).toString(Qt::ISODateWithMs));
    capture.insert(QStringLiteral("fromMs"), double(d->fromMs()));
    capture.insert(QStringLiteral("toMs"), double(d->toMs()));
    capture.insert(QStringLiteral("redacted"), bool(d->options.redactor));
    // The file's name may say whose it is: left out of a redacted report.
    if (!d->options.redactor)
        capture.insert(QStringLiteral("file"), QFileInfo(d->replay->reader().path()).fileName());
    root.insert(QStringLiteral("capture"), capture);
    root.insert(QStringLiteral("title"), d->title());
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool ReportBuilder::writeBytes(const QString &path, const QByteArray &bytes, QString *error) const
{
    QSaveFile file(path);
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool ReportBuilder::writeHtml(const QString &path, QString *error) const
{
    return writeBytes(path, html().toUtf8(), error);
}

bool ReportBuilder::writeJson(const QString &path, QString *error) const
{
    return writeBytes(path, json(), error);
}

bool ReportBuilder::writePdf(const QString &path, QString *error) const
{
    QTextDocument document;
    // Resources first: setHtml() looks the images up as it builds the document.
    if (!d->charts.isNull())
        document.addResource(QTextDocument::ImageResource,
                             QUrl(QStringLiteral("twbench-report:charts")), d->charts);
    for (std::size_t i = 0; i < d->hosts.size(); ++i) {
        if (!d->hosts[i].topology.isNull())
            document.addResource(QTextDocument::ImageResource,
                                 QUrl(QStringLiteral("twbench-report:topology-%1").arg(i)),
                                 d->hosts[i].topology);
    }
    QFont font = document.defaultFont();
    font.setPointSizeF(9);
    document.setDefaultFont(font);
    document.setHtml(this->document(ImageMode::Resource));

    QSaveFile file(path);
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    {
        QPdfWriter writer(&file);
        writer.setTitle(d->title());
        writer.setCreator(tr("twbench %1").arg(QStringLiteral(TWBENCH_VERSION)));
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
        // No page size on the document: print() then paginates a copy and numbers the pages.
        document.print(&writer);
    }
    if (!file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace twbench
