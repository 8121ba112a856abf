// The report (gui/report/reportbuilder.h) of an incident capture, built as `twbench report`
// builds it: HTML with its sections and images that decode, a PDF of several pages that render,
// JSON with the findings and the span; with --redact none of the original addresses or names
// anywhere, and hostile names from the server escaped.
#include "reportfixture.h"

#include "gui/replay/capturereplay.h"
#include "gui/report/reportbuilder.h"
#include "model/redactor.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

struct Built
{
    QString html;
    QByteArray json;
    QString pdfPath;
    QList<Finding> findings;
};

Built buildReport(const QTemporaryDir &dir, const QString &capture, bool redact)
{
    Built result;
    QString error;
    std::unique_ptr<CaptureReader> reader = CaptureReader::open(capture, &error);
    EXPECT_TRUE(reader) << error.toStdString();
    if (!reader)
        return result;
    std::shared_ptr<Redactor> redactor = redact ? std::make_shared<Redactor>() : nullptr;
    CaptureReplay replay(std::shared_ptr<const CaptureReader>(std::move(reader)), redactor);
    EXPECT_TRUE(replay.seekAndWait(replay.endMs(), &error)) << error.toStdString();
    ReportOptions options;
    options.redactor = redactor;
    ReportBuilder builder(&replay, options);
    builder.build();
    result.findings = builder.findings();
    const QString html = dir.filePath(QStringLiteral("report.html"));
    result.pdfPath = dir.filePath(QStringLiteral("report.pdf"));
    const QString json = dir.filePath(QStringLiteral("report.json"));
    EXPECT_TRUE(builder.writeHtml(html, &error)) << error.toStdString();
    EXPECT_TRUE(builder.writePdf(result.pdfPath, &error)) << error.toStdString();
    EXPECT_TRUE(builder.writeJson(json, &error)) << error.toStdString();
    QFile htmlFile(html);
    EXPECT_TRUE(htmlFile.open(QIODevice::ReadOnly));
    result.html = QString::fromUtf8(htmlFile.readAll());
    QFile jsonFile(json);
    EXPECT_TRUE(jsonFile.open(QIODevice::ReadOnly));
    result.json = jsonFile.readAll();
    return result;
}

// An image that is not one flat colour: something was drawn.
bool hasContent(const QImage &image)
{
    if (image.isNull())
        return false;
    const QImage small = image.scaled(200, 200, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                             .convertToFormat(QImage::Format_RGB32);
    int dark = 0;
    for (int y = 0; y < small.height(); ++y) {
        for (int x = 0; x < small.width(); ++x) {
            if (qGray(small.pixel(x, y)) < 200)
                ++dark;
        }
    }
    return dark > 100;
}

QString runTool(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        ADD_FAILURE() << program.toStdString()
                      << " failed: " << process.readAllStandardError().toStdString();
        return {};
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

int pdfPages(const QString &pdf)
{
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)"))
                                              .match(runTool(QStringLiteral("pdfinfo"), {pdf}));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

// `text` holds `address` as a whole address (not as part of a longer number).
bool containsAddress(const QString &text, const QString &address)
{
    return text.contains(QRegularExpression(QStringLiteral("(?<![0-9A-Fa-f.:])") +
                                            QRegularExpression::escape(address) +
                                            QStringLiteral("(?![0-9.])")));
}

class Report : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        if (QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty())
            GTEST_SKIP() << "poppler-utils (pdfinfo, pdftoppm, pdftotext) not installed";
    }
    QTemporaryDir dir;
};

} // namespace

TEST_F(Report, HtmlPdfAndJsonOfTheIncident)
{
    const QString capture = dir.filePath(QStringLiteral("incident.twbench"));
    ASSERT_TRUE(test::writeIncidentCapture(capture));
    const Built report = buildReport(dir, capture, false);

    // The API closes its connections: the rules see it in the replayed state.
    QStringList ids;
    for (const Finding &finding : report.findings)
        ids.append(finding.id);
    EXPECT_TRUE(ids.contains(QStringLiteral("server-closes"))) << ids.join(u',').toStdString();
    EXPECT_TRUE(ids.contains(QStringLiteral("polling-loop"))) << ids.join(u',').toStdString();

    for (const char *section :
         {"<h1>", "Findings", "Summary", "Charts", "Topology: shop-web01",
          "Top local endpoints: shop-web01", "Top callers: shop-web01", "Appendix",
          "10.25.20.251:6601", "/oauth/access_token", "netstat -tn | grep TIME_WAIT"})
        EXPECT_TRUE(report.html.contains(QString::fromUtf8(section))) << section;
    EXPECT_TRUE(report.html.trimmed().endsWith(QStringLiteral("</html>")));

    // Every image is inline and decodes to a drawing.
    const QRegularExpression dataUrl(
        QStringLiteral("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\""));
    int images = 0;
    for (QRegularExpressionMatchIterator it = dataUrl.globalMatch(report.html); it.hasNext();) {
        const QImage image =
            QImage::fromData(QByteArray::fromBase64(it.next().captured(1).toLatin1()), "PNG");
        EXPECT_TRUE(hasContent(image)) << "image " << images;
        ++images;
    }
    EXPECT_EQ(images, 2); // the charts and the one host's graph
    EXPECT_FALSE(report.html.contains(QStringLiteral("src=\"http")));

    // JSON: diagnose's document with the capture's span.
    const QJsonObject json = QJsonDocument::fromJson(report.json).object();
    EXPECT_FALSE(json.value(QStringLiteral("findings")).toArray().isEmpty());
    EXPECT_EQ(json.value(QStringLiteral("hosts")).toArray().size(), 1);
    const QJsonObject span = json.value(QStringLiteral("capture")).toObject();
    EXPECT_LT(span.value(QStringLiteral("fromMs")).toDouble(),
              span.value(QStringLiteral("toMs")).toDouble());
    EXPECT_FALSE(span.value(QStringLiteral("redacted")).toBool());

    // PDF: several pages, each with something on it.
    EXPECT_GE(pdfPages(report.pdfPath), 2);
    runTool(QStringLiteral("pdftoppm"),
            {QStringLiteral("-r"), QStringLiteral("30"), QStringLiteral("-png"), report.pdfPath,
             dir.filePath(QStringLiteral("page"))});
    const QStringList pages =
        QDir(dir.path()).entryList({QStringLiteral("page*.png")}, QDir::Files, QDir::Name);
    EXPECT_GE(pages.size(), 2);
    for (const QString &page : pages)
        EXPECT_TRUE(hasContent(QImage(dir.filePath(page)))) << page.toStdString();
    const QString text =
        runTool(QStringLiteral("pdftotext"), {report.pdfPath, QStringLiteral("-")});
    EXPECT_TRUE(text.contains(QStringLiteral("10.25.20.251:6601")));
}

TEST_F(Report, RedactedReportHoldsNoOriginalAddressOrName)
{
    const QString capture = dir.filePath(QStringLiteral("incident.twbench"));
    ASSERT_TRUE(test::writeIncidentCapture(capture));
    const Built report = buildReport(dir, capture, true);
    const QString json = QString::fromUtf8(report.json);
    const QString pdf = runTool(QStringLiteral("pdftotext"), {report.pdfPath, QStringLiteral("-")});
    ASSERT_FALSE(pdf.isEmpty());

    // Every address the capture holds (fixture tables, inventory, logs, issues).
    const auto host = test::scenarioHost(QStringLiteral("web01"));
    QSet<QString> originals = {QStringLiteral("10.25.20.251"), QStringLiteral("192.168.42.32"),
                               QStringLiteral("192.168.42.1"), QStringLiteral("203.0.113.45"),
                               QStringLiteral("172.19.0.5"),   QStringLiteral("198.51.100.20")};
    for (const Socket &socket : host->snapshot.sockets) {
        for (const IpAddress &address : {socket.local.address, socket.remote.address}) {
            if (!address.isUnspecified() && !address.isLoopback())
                originals.insert(address.toString());
        }
    }
    for (const QString &address : std::as_const(originals)) {
        EXPECT_FALSE(containsAddress(report.html, address)) << "HTML: " << address.toStdString();
        EXPECT_FALSE(containsAddress(json, address)) << "JSON: " << address.toStdString();
        EXPECT_FALSE(containsAddress(pdf, address)) << "PDF: " << address.toStdString();
    }
    for (const QString &name : {QStringLiteral("shop-web01"), QStringLiteral("deploy")}) {
        EXPECT_FALSE(report.html.contains(name)) << name.toStdString();
        EXPECT_FALSE(json.contains(name)) << name.toStdString();
        EXPECT_FALSE(pdf.contains(name)) << name.toStdString();
    }
    EXPECT_FALSE(json.contains(QStringLiteral("incident.twbench")));
    // The conclusions are the same: still a service that closes, on the same port.
    QStringList ids;
    for (const Finding &finding : report.findings)
        ids.append(finding.id);
    EXPECT_TRUE(ids.contains(QStringLiteral("server-closes"))) << ids.join(u',').toStdString();
    EXPECT_TRUE(report.html.contains(QStringLiteral(":6601")));
    EXPECT_TRUE(report.html.contains(QStringLiteral("host-1")));
    EXPECT_TRUE(report.html.contains(QStringLiteral("Redacted")));
    EXPECT_TRUE(QJsonDocument::fromJson(report.json)
                    .object()
                    .value(QStringLiteral("capture"))
                    .toObject()
                    .value(QStringLiteral("redacted"))
                    .toBool());
}

TEST_F(Report, HostileNamesAreEscaped)
{
    const QString capture = dir.filePath(QStringLiteral("hostile.twbench"));
    test::ReportCaptureOptions options;
    options.seconds = 60;
    options.nginxName = QStringLiteral("<script>alert(1)</script><img src=x onerror=alert(2)>");
    options.displayName = QStringLiteral("web<b>01</b>");
    ASSERT_TRUE(test::writeIncidentCapture(capture, options));
    const Built report = buildReport(dir, capture, false);
    EXPECT_FALSE(report.html.contains(QStringLiteral("<script>")));
    EXPECT_FALSE(report.html.contains(QStringLiteral("<img src=x")));
    EXPECT_FALSE(report.html.contains(QStringLiteral("<b>01")));
    EXPECT_TRUE(report.html.contains(QStringLiteral("&lt;script&gt;")));
    EXPECT_TRUE(report.html.contains(QStringLiteral("web&lt;b&gt;01")));
}
