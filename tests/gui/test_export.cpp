// Exporting views for incident reports: every view to PNG at 2×, SVG and PDF with the caption
// strip under it, tables to CSV, the clipboard, and failures that leave no file behind and an
// older file as it was. Rendered for real on the offscreen platform; the PDF is read back with
// poppler's pdfinfo and pdftoppm. With TWBENCH_SCREENSHOT_DIR set, the PNGs are kept there.

#include "../model/hostfixture.h"
#include "guitestutil.h"

#include "gui/callersview.h"
#include "gui/chartsview.h"
#include "gui/connectionsview.h"
#include "gui/endpointsview.h"
#include "gui/export/exportactions.h"
#include "gui/export/viewexporter.h"
#include "gui/findingsrunner.h"
#include "gui/findingsview.h"
#include "gui/topologyview.h"
#include "gui/workbench.h"
#include "model/diagnosis/findingsmodel.h"
#include "model/endpointgroupmodel.h"
#include "remote/hostspec.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QGuiApplication>
#include <QImage>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <iostream>

#include <unistd.h>

using namespace twbench;
using test::endpoint;
using test::quietHost;

namespace {

constexpr int waitMs = 20000;

// A service that closes its own connections (TIME_WAIT on its listening port), with counters
// and CPU for the charts and an access log for the callers.
HostSamplePtr closingServiceSample(const QString &hostId, std::uint64_t sequence,
                                   std::int64_t epochMs, int timeWaits)
{
    auto table = std::make_shared<Snapshot>();
    table->hostId = hostId;
    table->epochMs = epochMs;
    const Endpoint service = endpoint("10.61.4.20", 7443);
    Socket listener;
    listener.local = service;
    listener.remote = endpoint("0.0.0.0", 0);
    listener.state = TcpState::Listen;
    table->sockets.push_back(listener);
    for (int i = 0; i < timeWaits; ++i) {
        Socket socket;
        socket.local = service;
        socket.remote = endpoint(i % 2 ? "10.61.9.3" : "10.61.9.4", std::uint16_t(40000 + i));
        socket.state = TcpState::TimeWait;
        table->sockets.push_back(socket);
    }
    for (int i = 0; i < 3; ++i) {
        Socket socket;
        socket.local = endpoint("10.61.4.20", std::uint16_t(50000 + i));
        socket.remote = endpoint("10.61.7.7", 5432);
        socket.state = TcpState::Established;
        table->sockets.push_back(socket);
    }
    table->finalize();
    auto sample = std::make_shared<HostSample>();
    sample->hostId = hostId;
    sample->sequence = sequence;
    sample->epochMs = epochMs;
    sample->counters.values.insert(counter::TimeWait, timeWaits);
    sample->counters.values.insert(counter::CurrEstab, 3);
    sample->counters.values.insert(counter::ActiveOpens, 1000 + 40 * std::int64_t(sequence));
    sample->counters.values.insert(counter::PassiveOpens, 2000 + 90 * std::int64_t(sequence));
    sample->counters.values.insert(counter::TwCreated, 500 + 80 * std::int64_t(sequence));
    sample->procStat.valid = true;
    sample->procStat.all.user = 100 * sequence + (sequence % 5) * 30;
    sample->procStat.all.idle = 300 * sequence;
    LogWindow window;
    window.sourceId = QStringLiteral("/var/log/nginx/access.log");
    window.fromMs = epochMs - 1000;
    window.toMs = epochMs;
    window.keys.append(
        {{QStringLiteral("172.17.0.1"), QStringLiteral("GET"), QStringLiteral("/oauth/token"), 200},
         12});
    window.keys.append(
        {{QStringLiteral("10.0.0.5"), QStringLiteral("GET"), QStringLiteral("/orders/{id}"), 200},
         std::int64_t(sequence % 7)});
    window.requests = 12 + std::int64_t(sequence % 7);
    sample->logs.append(window);
    if (sequence % 3 == 0) // tables come less often than counters
        sample->table = table;
    return sample;
}

bool isWhite(QRgb pixel)
{
    return qRed(pixel) > 250 && qGreen(pixel) > 250 && qBlue(pixel) > 250;
}

int distinctColours(const QImage &image, const QRect &area)
{
    QSet<QRgb> colours;
    for (int y = area.top(); y <= area.bottom(); y += 2) {
        for (int x = area.left(); x <= area.right(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

// Share of non-white pixels in `area`, in per mille.
int inkPerMille(const QImage &image, const QRect &area)
{
    qint64 ink = 0;
    qint64 all = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            ++all;
            ink += isWhite(image.pixel(x, y)) ? 0 : 1;
        }
    }
    return all ? int(1000 * ink / all) : 0;
}

// Pixels of a clear colour (chart lines, the graph's red edges), not grey or white.
int colouredPixels(const QImage &image, const QRect &area)
{
    int coloured = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            const int high = std::max({qRed(p), qGreen(p), qBlue(p)});
            const int low = std::min({qRed(p), qGreen(p), qBlue(p)});
            coloured += high - low > 80 ? 1 : 0;
        }
    }
    return coloured;
}

int darkPixels(const QImage &image, const QRect &area)
{
    int dark = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x)
            dark += qGray(image.pixel(x, y)) < 110 ? 1 : 0;
    }
    return dark;
}

void keepScreenshot(const QImage &image, const QString &name)
{
    const QString directory = qEnvironmentVariable("TWBENCH_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    EXPECT_TRUE(image.save(directory + u'/' + name));
}

void keepFile(const QString &path)
{
    const QString directory = qEnvironmentVariable("TWBENCH_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    const QString target = directory + QStringLiteral("/export-") + QFileInfo(path).fileName();
    QFile::remove(target);
    QFile::copy(path, target);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// While alive, the process acts as "nobody" when it runs as root: root ignores a directory's
// mode, and the read-only tests need the kernel to say no.
class WithoutRoot final
{
public:
    WithoutRoot()
    {
        if (geteuid() == 0)
            m_dropped = seteuid(65534) == 0;
    }
    ~WithoutRoot()
    {
        if (m_dropped) {
            EXPECT_EQ(seteuid(0), 0);
        }
    }
    Q_DISABLE_COPY_MOVE(WithoutRoot)

private:
    bool m_dropped = false;
};

class ExportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        ASSERT_TRUE(m_dir.isValid());
        m_caption.hosts = QStringLiteral("billing-07, web01");
        m_caption.timeRange = QStringLiteral("2026-11-26 10:02–10:04");
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Checks a PNG export of `source` whose on-screen size is `logical`; returns the image.
    QImage checkPng(const ExportSource &source, QSize logical, const QString &name)
    {
        ViewExporter exporter;
        const QString file = path(name);
        EXPECT_TRUE(exporter.exportTo(source, m_caption, ViewExporter::Format::Png, file))
            << exporter.errorString().toStdString();
        QImage image(file);
        EXPECT_FALSE(image.isNull()) << name.toStdString();
        if (image.isNull())
            return image;
        keepScreenshot(image, name);
        EXPECT_EQ(image.width(), std::max(2 * logical.width(), 720)) << name.toStdString();
        const int captionHeight = image.height() - 2 * logical.height();
        EXPECT_GT(captionHeight, 2 * 16) << name.toStdString();
        EXPECT_LT(captionHeight, 2 * 120) << name.toStdString();
        const QRect content(0, 0, image.width(), image.height() - captionHeight);
        const QRect caption(0, content.height(), image.width(), captionHeight);
        EXPECT_GT(distinctColours(image, content), 8) << name.toStdString();
        EXPECT_GT(inkPerMille(image, content), 5) << name.toStdString();
        EXPECT_GT(darkPixels(image, caption), 200) << name.toStdString();
        return image;
    }

    QTemporaryDir m_dir;
    ExportCaption m_caption;
};

// Views fed from one workbench as the fleet would feed them.
class FedViewsTest : public ExportTest
{
protected:
    void SetUp() override
    {
        ExportTest::SetUp();
        m_workbench = std::make_unique<Workbench>();
        m_workbench->addHost(quietHost(QStringLiteral("billing"), QStringLiteral("billing-07")));
        m_workbench->setCurrentHost(QStringLiteral("billing"));
        m_runner = std::make_unique<FindingsRunner>(m_workbench.get());
        m_connections = std::make_unique<ConnectionsView>(m_workbench.get());
        m_endpoints = std::make_unique<EndpointsView>(m_workbench.get());
        m_callers = std::make_unique<CallersView>(m_workbench.get());
        m_charts = std::make_unique<ChartsView>(m_workbench.get());
        m_findings = std::make_unique<FindingsView>(m_workbench.get(), m_runner.get());
        m_connections->resize(900, 420);
        m_endpoints->resize(800, 360);
        m_callers->resize(820, 380);
        m_charts->resize(1100, 760);
        m_findings->resize(1000, 560);
        for (QWidget *widget : widgets())
            widget->show();

        const std::int64_t end = QDateTime::currentMSecsSinceEpoch();
        constexpr int seconds = 90;
        for (int i = 0; i < seconds; ++i)
            m_workbench->onSample(
                QStringLiteral("billing"),
                closingServiceSample(QStringLiteral("billing"), std::uint64_t(i + 1),
                                     end - 1000LL * (seconds - 1 - i), 300 + 7 * i));
        m_runner->runNow(QStringLiteral("billing"));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return !m_runner->findings(QStringLiteral("billing")).isEmpty(); }, waitMs));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_endpoints->model()->rowCount() > 0 && !m_endpoints->isGrouping(); },
            waitMs));
        m_callers->refreshNow();
        m_charts->redrawNow(); // not waiting for its batching timer
        ASSERT_GT(m_connections->table()->model()->rowCount(), 0);
        m_findings->table()->selectRow(0);
        QTest::qWait(100);
    }

    void TearDown() override
    {
        m_findings.reset();
        m_charts.reset();
        m_callers.reset();
        m_endpoints.reset();
        m_connections.reset();
        m_runner.reset();
        m_workbench.reset();
    }

    QList<QWidget *> widgets() const
    {
        return {m_connections.get(), m_endpoints.get(), m_callers.get(), m_charts.get(),
                m_findings.get()};
    }

    ExportSource chartsSource() const
    {
        return ExportSource::ofWidget(QStringLiteral("Charts"), m_charts.get());
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<FindingsRunner> m_runner;
    std::unique_ptr<ConnectionsView> m_connections;
    std::unique_ptr<EndpointsView> m_endpoints;
    std::unique_ptr<CallersView> m_callers;
    std::unique_ptr<ChartsView> m_charts;
    std::unique_ptr<FindingsView> m_findings;
};

class TopologyExportTest : public ExportTest
{
protected:
    void SetUp() override
    {
        ExportTest::SetUp();
        const auto host = test::scenarioHost(QStringLiteral("web01"));
        m_view = std::make_unique<TopologyView>(nullptr);
        // Smaller than the graph and zoomed in: the export still holds all of it.
        m_view->resize(700, 420);
        m_view->show();
        m_view->showData(std::make_shared<const Snapshot>(host->snapshot),
                         std::make_shared<const DockerInventory>(host->inventory),
                         std::make_shared<const NamespaceMap>(host->namespaces));
        ASSERT_TRUE(QTest::qWaitFor([&] { return !m_view->isBusy() && m_view->frame(); }, waitMs));
        m_view->zoomBy(2.5);
        QTest::qWait(50);
    }

    std::unique_ptr<TopologyView> m_view;
};

bool hasTool(const char *name)
{
    return !QStandardPaths::findExecutable(QLatin1StringView(name)).isEmpty();
}

// Runs a tool and gives its stdout; empty when it failed.
QByteArray run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return {};
    return process.readAllStandardOutput();
}

struct SvgCounts
{
    bool parsed = false;
    QString root;
    int texts = 0;
    int paths = 0; // path, polyline, polygon, rect, line
    int images = 0;
};

SvgCounts readSvg(const QByteArray &svg)
{
    SvgCounts counts;
    QXmlStreamReader reader(svg);
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = reader.name();
        if (counts.root.isEmpty())
            counts.root = name.toString();
        if (name == u"text")
            ++counts.texts;
        else if (name == u"path" || name == u"polyline" || name == u"polygon" || name == u"rect" ||
                 name == u"line")
            ++counts.paths;
        else if (name == u"image")
            ++counts.images;
    }
    counts.parsed = !reader.hasError();
    return counts;
}

} // namespace

TEST_F(ExportTest, CaptionNamesHostsTimeAndVersion)
{
    QCoreApplication::setApplicationVersion(QString());
    EXPECT_EQ(m_caption.text(), QStringLiteral("billing-07, web01 · 2026-11-26 10:02–10:04 · "
                                               "twbench " TWBENCH_VERSION));
    QCoreApplication::setApplicationVersion(QStringLiteral("9.9.9"));
    EXPECT_TRUE(m_caption.text().endsWith(u"twbench 9.9.9"));
    QCoreApplication::setApplicationVersion(QString());
    EXPECT_EQ(ExportCaption{}.text(), QStringLiteral("twbench " TWBENCH_VERSION));
}

TEST_F(ExportTest, FormatFollowsTheSuffix)
{
    EXPECT_EQ(ViewExporter::formatForPath(QStringLiteral("/a/b.SVG")), ViewExporter::Format::Svg);
    EXPECT_EQ(ViewExporter::formatForPath(QStringLiteral("b.pdf")), ViewExporter::Format::Pdf);
    EXPECT_EQ(ViewExporter::formatForPath(QStringLiteral("b.csv")), ViewExporter::Format::Csv);
    EXPECT_EQ(ViewExporter::formatForPath(QStringLiteral("b.png")), ViewExporter::Format::Png);
    EXPECT_EQ(ViewExporter::formatForPath(QStringLiteral("b")), ViewExporter::Format::Png);
}

// A long host list on a narrow view wraps (and at last elides) inside the strip: no text runs
// past the right edge.
TEST_F(ExportTest, LongCaptionWrapsInsideTheImage)
{
    ExportSource source;
    source.title = QStringLiteral("Narrow");
    source.size = [] {
        return QSizeF(120, 80);
    };
    source.paint = [](QPainter *painter, const QRectF &rect) {
        painter->fillRect(rect, QColor(0x33, 0x66, 0x99));
    };
    ExportCaption caption;
    QStringList hosts;
    for (int i = 0; i < 200; ++i)
        hosts << QStringLiteral("host-%1.example.internal").arg(i, 3, 10, QLatin1Char('0'));
    caption.hosts = hosts.join(QStringLiteral(", "));
    caption.timeRange = QStringLiteral("2026-11-26 10:02–10:04");
    const QImage one = ViewExporter::renderImage(source, ExportCaption{});
    const QImage many = ViewExporter::renderImage(source, caption);
    ASSERT_FALSE(many.isNull());
    EXPECT_EQ(many.width(), one.width());
    EXPECT_GT(many.height(), one.height());              // wrapped onto more lines
    EXPECT_LT(many.height(), one.height() + 2 * 6 * 40); // but not 200 lines
    // The right padding of the strip stays clear of text.
    const QRect rightEdge(many.width() - 2 * 6, 2 * 80 + 4, 2 * 6 - 1, many.height() - 2 * 80 - 5);
    EXPECT_EQ(darkPixels(many, rightEdge), 0);
    keepScreenshot(many, QStringLiteral("export-long-caption.png"));
}

TEST_F(TopologyExportTest, PngHoldsTheWholeGraphAt2x)
{
    const ExportSource source = m_view->exportSource();
    const QSizeF graph = source.size();
    ASSERT_FALSE(graph.isEmpty());
    const QRectF bounds = m_view->scene()->itemsBoundingRect();
    EXPECT_GE(graph.width(), bounds.width());
    EXPECT_GE(graph.height(), bounds.height());
    checkPng(source,
             graph.toSize() + QSize(graph.width() > int(graph.width()) ? 1 : 0,
                                    graph.height() > int(graph.height()) ? 1 : 0),
             QStringLiteral("export-topology.png"));
}

TEST_F(TopologyExportTest, SvgIsVectorAndCarriesTheCaption)
{
    ViewExporter exporter;
    const QString file = path(QStringLiteral("topology.svg"));
    ASSERT_TRUE(
        exporter.exportTo(m_view->exportSource(), m_caption, ViewExporter::Format::Svg, file))
        << exporter.errorString().toStdString();
    const QByteArray svg = readAll(file);
    const SvgCounts counts = readSvg(svg);
    EXPECT_TRUE(counts.parsed);
    EXPECT_EQ(counts.root, u"svg");
    EXPECT_GT(counts.texts, 5);
    EXPECT_GT(counts.paths, 10);
    EXPECT_TRUE(svg.contains("billing-07"));
    EXPECT_TRUE(svg.contains("<title>Topology</title>"));
    EXPECT_TRUE(svg.contains("viewBox="));
    EXPECT_TRUE(QSvgRenderer(file).isValid());
    // Node names are text, not pixels.
    EXPECT_TRUE(svg.contains("nginx"));
}

TEST_F(TopologyExportTest, PdfIsOnePageAndNotBlank)
{
    ViewExporter exporter;
    const QString file = path(QStringLiteral("topology.pdf"));
    ASSERT_TRUE(
        exporter.exportTo(m_view->exportSource(), m_caption, ViewExporter::Format::Pdf, file))
        << exporter.errorString().toStdString();
    EXPECT_TRUE(readAll(file).startsWith("%PDF-"));
    if (!hasTool("pdfinfo") || !hasTool("pdftoppm"))
        GTEST_SKIP() << "pdfinfo/pdftoppm (poppler-utils) not installed: PDF not read back";
    const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), {file}));
    EXPECT_TRUE(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+1\\n"))))
        << info.toStdString();
    EXPECT_TRUE(info.contains(QRegularExpression(QStringLiteral("Title:\\s+Topology"))))
        << info.toStdString();
    EXPECT_TRUE(info.contains(QRegularExpression(QStringLiteral("Creator:\\s+twbench"))))
        << info.toStdString();
    const QString prefix = path(QStringLiteral("topology-page"));
    run(QStringLiteral("pdftoppm"),
        {QStringLiteral("-r"), QStringLiteral("50"), QStringLiteral("-png"),
         QStringLiteral("-singlefile"), file, prefix});
    const QImage page(prefix + QStringLiteral(".png"));
    ASSERT_FALSE(page.isNull());
    keepScreenshot(page, QStringLiteral("export-topology-pdf-page.png"));
    EXPECT_GT(inkPerMille(page, page.rect()), 10);
    EXPECT_GT(distinctColours(page, page.rect()), 8);
    // The caption strip at the bottom has text.
    const int strip = page.height() / 10;
    EXPECT_GT(darkPixels(page, QRect(0, page.height() - strip, page.width(), strip)), 10);
}

TEST_F(TopologyExportTest, ClipboardGetsTheImage)
{
    const ExportSource source = m_view->exportSource();
    const QImage expected = ViewExporter::renderImage(source, m_caption);
    ViewExporter::copyToClipboard(source, m_caption);
    const QImage copied = QGuiApplication::clipboard()->image();
    ASSERT_FALSE(copied.isNull());
    EXPECT_EQ(copied.size(), expected.size());
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    ASSERT_NE(mime, nullptr);
    EXPECT_TRUE(mime->hasFormat(QStringLiteral("image/png")));
    EXPECT_FALSE(mime->hasFormat(QStringLiteral("text/csv"))); // not a table
}

TEST_F(FedViewsTest, EveryViewExportsToPngAt2x)
{
    checkPng(m_connections->exportSource(), m_connections->table()->size(),
             QStringLiteral("export-connections.png"));
    checkPng(m_endpoints->exportSource(), m_endpoints->table()->size(),
             QStringLiteral("export-endpoints.png"));
    checkPng(m_callers->exportSource(), m_callers->table()->size(),
             QStringLiteral("export-callers.png"));
    checkPng(m_findings->exportSource(), m_findings->size(), QStringLiteral("export-findings.png"));
    const QImage charts =
        checkPng(chartsSource(), m_charts->size(), QStringLiteral("export-charts.png"));
    // The series are drawn, not only the axes and grid.
    EXPECT_GT(colouredPixels(charts, charts.rect()), 2000);
}

// QtCharts drawn through QWidget::render: lines and axis labels as SVG elements, not one
// embedded bitmap, and the PDF not blank.
TEST_F(FedViewsTest, ChartsAreVectorInSvgAndPdf)
{
    ViewExporter exporter;
    const QString svgFile = path(QStringLiteral("charts.svg"));
    ASSERT_TRUE(exporter.exportTo(chartsSource(), m_caption, ViewExporter::Format::Svg, svgFile))
        << exporter.errorString().toStdString();
    const QByteArray svg = readAll(svgFile);
    const SvgCounts counts = readSvg(svg);
    EXPECT_TRUE(counts.parsed);
    EXPECT_EQ(counts.root, u"svg");
    std::cout << "[ measure  ] charts SVG: " << counts.texts << " text, " << counts.paths
              << " path-like, " << counts.images << " image elements, " << svg.size() << " bytes\n";
    EXPECT_GT(counts.texts, 10) << "axis labels as text";
    EXPECT_GT(counts.paths, 20) << "series and grid as paths";
    EXPECT_LE(counts.images, counts.paths / 4) << "mostly vector, not bitmaps";
    EXPECT_TRUE(svg.contains("billing-07"));
    EXPECT_TRUE(QSvgRenderer(svgFile).isValid());

    const QString pdfFile = path(QStringLiteral("charts.pdf"));
    ASSERT_TRUE(exporter.exportTo(chartsSource(), m_caption, ViewExporter::Format::Pdf, pdfFile))
        << exporter.errorString().toStdString();
    EXPECT_TRUE(readAll(pdfFile).startsWith("%PDF-"));
    if (!hasTool("pdfinfo") || !hasTool("pdftoppm"))
        GTEST_SKIP() << "pdfinfo/pdftoppm (poppler-utils) not installed: PDF not read back";
    const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), {pdfFile}));
    EXPECT_TRUE(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+1\\n"))))
        << info.toStdString();
    const QString prefix = path(QStringLiteral("charts-page"));
    run(QStringLiteral("pdftoppm"),
        {QStringLiteral("-r"), QStringLiteral("50"), QStringLiteral("-png"),
         QStringLiteral("-singlefile"), pdfFile, prefix});
    const QImage page(prefix + QStringLiteral(".png"));
    ASSERT_FALSE(page.isNull());
    keepScreenshot(page, QStringLiteral("export-charts-pdf-page.png"));
    keepFile(pdfFile);
    keepFile(svgFile);
    EXPECT_GT(inkPerMille(page, page.rect()), 10);
    EXPECT_GT(distinctColours(page, page.rect()), 8);
}

TEST_F(FedViewsTest, FindingsSvgAndPdf)
{
    ViewExporter exporter;
    const QString svgFile = path(QStringLiteral("findings.svg"));
    ASSERT_TRUE(exporter.exportTo(m_findings->exportSource(), m_caption, ViewExporter::Format::Svg,
                                  svgFile));
    const SvgCounts counts = readSvg(readAll(svgFile));
    EXPECT_TRUE(counts.parsed);
    EXPECT_GT(counts.texts, 5);
    const QString pdfFile = path(QStringLiteral("findings.pdf"));
    ASSERT_TRUE(exporter.exportTo(m_findings->exportSource(), m_caption, ViewExporter::Format::Pdf,
                                  pdfFile));
    EXPECT_TRUE(readAll(pdfFile).startsWith("%PDF-"));
}

TEST_F(FedViewsTest, TablesExportToCsvInTheirShownOrder)
{
    ViewExporter exporter;
    const QString file = path(QStringLiteral("endpoints.csv"));
    ASSERT_TRUE(
        exporter.exportTo(m_endpoints->exportSource(), m_caption, ViewExporter::Format::Csv, file))
        << exporter.errorString().toStdString();
    const QStringList lines =
        QString::fromUtf8(readAll(file)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    const QAbstractItemModel *shown = m_endpoints->table()->model();
    ASSERT_EQ(lines.size(), shown->rowCount() + 1);
    EXPECT_TRUE(lines[0].contains(shown->headerData(0, Qt::Horizontal).toString()));
    for (int row = 0; row < shown->rowCount(); ++row)
        EXPECT_TRUE(lines[row + 1].startsWith(shown->index(row, 0).data().toString()))
            << lines[row + 1].toStdString();

    // The connection table sorted by the operator: the CSV has that order.
    QTableView *table = m_connections->table();
    table->sortByColumn(1, Qt::DescendingOrder);
    const QString connectionsFile = path(QStringLiteral("connections.csv"));
    ASSERT_TRUE(exporter.exportTo(m_connections->exportSource(), m_caption,
                                  ViewExporter::Format::Csv, connectionsFile));
    const QStringList rows = QString::fromUtf8(readAll(connectionsFile))
                                 .split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    ASSERT_EQ(rows.size(), table->model()->rowCount() + 1);
    for (int row = 0; row < table->model()->rowCount(); ++row)
        EXPECT_TRUE(rows[row + 1].startsWith(table->model()->index(row, 0).data().toString()));

    // Not a table: no CSV, and an older file of that name stays.
    const QString chartsCsv = path(QStringLiteral("charts.csv"));
    {
        QFile old(chartsCsv);
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("old");
    }
    EXPECT_FALSE(
        exporter.exportTo(chartsSource(), m_caption, ViewExporter::Format::Csv, chartsCsv));
    EXPECT_FALSE(exporter.errorString().isEmpty());
    EXPECT_EQ(readAll(chartsCsv), "old");
}

TEST_F(FedViewsTest, ClipboardHoldsImageAndCsvOfATable)
{
    const ExportSource source = m_endpoints->exportSource();
    ViewExporter::copyToClipboard(source, m_caption);
    const QImage copied = QGuiApplication::clipboard()->image();
    ASSERT_FALSE(copied.isNull());
    EXPECT_EQ(copied.size(), ViewExporter::renderImage(source, m_caption).size());
    EXPECT_EQ(copied.width(), std::max(2 * m_endpoints->table()->width(), 720));
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    ASSERT_NE(mime, nullptr);
    ASSERT_TRUE(mime->hasFormat(QStringLiteral("text/csv")));
    const QString csv = QString::fromUtf8(mime->data(QStringLiteral("text/csv")));
    EXPECT_EQ(mime->text(), csv);
    EXPECT_TRUE(
        csv.startsWith(m_endpoints->table()->model()->headerData(0, Qt::Horizontal).toString()));
}

TEST_F(ExportTest, UnwritablePlacesFailAndLeaveOlderFilesAlone)
{
    ExportSource source;
    source.title = QStringLiteral("Box");
    source.size = [] {
        return QSizeF(200, 100);
    };
    source.paint = [](QPainter *painter, const QRectF &rect) {
        painter->fillRect(rect, Qt::darkGreen);
    };
    ViewExporter exporter;

    const QString missing = path(QStringLiteral("no/such/folder/view.png"));
    EXPECT_FALSE(exporter.exportTo(source, m_caption, ViewExporter::Format::Png, missing));
    EXPECT_TRUE(exporter.errorString().contains(u"view.png"))
        << exporter.errorString().toStdString();
    EXPECT_FALSE(QFile::exists(missing));

    const QString readOnlyDir = path(QStringLiteral("readonly"));
    ASSERT_TRUE(QDir().mkpath(readOnlyDir));
    const QString old = readOnlyDir + QStringLiteral("/view.svg");
    {
        QFile file(old);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("old");
    }
    // The temporary directory is private (0700): nobody must be able to reach it.
    QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadOther | QFile::ExeOther);
    QFile::setPermissions(readOnlyDir,
                          QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    for (const auto format :
         {ViewExporter::Format::Png, ViewExporter::Format::Svg, ViewExporter::Format::Pdf}) {
        bool ok = true;
        {
            const WithoutRoot user;
            ok = exporter.exportTo(source, m_caption, format, old);
        }
        EXPECT_FALSE(ok);
        EXPECT_TRUE(exporter.errorString().contains(u"view.svg"))
            << exporter.errorString().toStdString();
        EXPECT_EQ(readAll(old), "old");
        EXPECT_EQ(QDir(readOnlyDir).entryList(QDir::Files | QDir::Hidden),
                  QStringList{QStringLiteral("view.svg")});
    }
    QFile::setPermissions(readOnlyDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

TEST_F(FedViewsTest, ActionsExportTheCurrentViewAndRememberTheFolder)
{
    ExportActions actions(
        {{QStringLiteral("Endpoints"),
          [this] {
              return m_endpoints->exportSource();
          }},
         {QStringLiteral("Charts"),
          [this] {
              return chartsSource();
          }}},
        [this] { return m_caption; }, m_charts.get());
    EXPECT_EQ(actions.exportAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    EXPECT_EQ(actions.copyAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QSignalSpy exported(&actions, &ExportActions::exported);

    actions.setCurrentIndex(-1);
    EXPECT_FALSE(actions.exportCurrentTo(path(QStringLiteral("none.png"))));
    EXPECT_FALSE(actions.errorString().isEmpty());

    int current = 1;
    actions.setCurrentSource([&current] { return current; });
    ASSERT_TRUE(actions.exportCurrentTo(path(QStringLiteral("charts.png"))));
    ASSERT_EQ(exported.size(), 1);
    EXPECT_EQ(exported.at(0).at(0).toString(), path(QStringLiteral("charts.png")));
    EXPECT_EQ(QImage(path(QStringLiteral("charts.png"))).width(), 2 * m_charts->width());

    // Through the dialog, which opens in the folder used last: a name without a suffix gets
    // the chosen format's.
    current = 0;
    const QString before = path(QStringLiteral("before"));
    ASSERT_TRUE(QDir().mkpath(before));
    QSettings().setValue(QStringLiteral("export/lastDir"), before);
    const QString typed = path(QStringLiteral("groups"));
    bool answered = false;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog || answered)
            return;
        answered = true;
        EXPECT_EQ(dialog->directory().absolutePath(), before);
        dialog->setDirectory(m_dir.path());
        EXPECT_EQ(dialog->nameFilters().size(), 4); // a table: CSV offered
        dialog->selectNameFilter(dialog->nameFilters().at(3));
        emit dialog->filterSelected(dialog->nameFilters().at(3));
        // Typed as an operator would: the name only, into the dialog's own field.
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        ASSERT_NE(name, nullptr);
        name->setText(QStringLiteral("groups"));
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept() is protected
    });
    poll.start();
    actions.exportAction()->trigger();
    poll.stop();
    ASSERT_TRUE(answered);
    ASSERT_EQ(exported.size(), 2);
    EXPECT_EQ(exported.at(1).at(0).toString().toStdString(),
              QString(typed + QStringLiteral(".csv")).toStdString());
    EXPECT_TRUE(readAll(typed + QStringLiteral(".csv")).contains(","));
    EXPECT_EQ(QSettings().value(QStringLiteral("export/lastDir")).toString(), m_dir.path());
    EXPECT_EQ(QSettings().value(QStringLiteral("export/lastFilter")).toString(), u"csv");

    // Copy: the image on the clipboard, and the signal for the status bar.
    QSignalSpy copied(&actions, &ExportActions::copied);
    actions.copyAction()->trigger();
    EXPECT_EQ(copied.size(), 1);
    EXPECT_FALSE(QGuiApplication::clipboard()->image().isNull());
}

TEST_F(ExportTest, FailedExportThroughActionsShowsAPlainTextMessage)
{
    ExportSource source;
    source.title = QStringLiteral("<b>Box</b>");
    source.size = [] {
        return QSizeF(100, 50);
    };
    source.paint = [](QPainter *, const QRectF &) {
    };
    QWidget parent;
    parent.show();
    ExportActions actions(
        {{QStringLiteral("Box"),
          [source] {
              return source;
          }}},
        [this] { return m_caption; }, &parent);
    actions.setCurrentIndex(5); // out of range: nothing to export
    actions.copyAction()->trigger();
    auto *box = parent.findChild<QMessageBox *>(QStringLiteral("exportError"));
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->textFormat(), Qt::PlainText);
    box->close();
}
