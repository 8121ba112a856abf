// One pass over everything a hostile server can put in front of the operator (issue 9, item 4):
// container names, image names and compose labels (through the docker CLI's JSON), an access
// log's path and its lines, holding shell metacharacters, ANSI escape sequences, bidirectional
// and zero-width characters, invalid UTF-8, markup and a 1 MB line. They travel the real way:
// the real local probe runs a docker stand-in that answers in docker's own format, `tail -F`
// follows a real file, real TIME_WAIT sockets on loopback belong to a hostile container. Then
// every text the window shows is collected: each model's cells and tooltips in every view,
// every label, button, title and tooltip, the graph's items, and what each tab and dock paints
// (rendered through QSvgGenerator, whose <text> elements are exactly the painted strings).
// None may hold a control, format or line-separator character, none may be unbounded, markup
// is never rendered as markup, and nothing was executed.

#include "gui/chartsview.h"
#include "gui/mainwindow.h"
#include "gui/topologyview.h"
#include "gui/workbench.h"
#include "guitestutil.h"
#include "lab/timewaitlab.h"
#include "remote/hostspec.h"
#include "remote/logsourcespec.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QBuffer>
#include <QDockWidget>
#include <QFile>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <unistd.h>

using namespace twbench;
using namespace std::chrono_literals;

namespace {

constexpr int waitMs = 30000;
// The longest text one place may show. A name is elided long before; a whole 1 MB line is not.
constexpr qsizetype maxShownChars = 4000;
constexpr qsizetype megabyte = 1024 * 1024;

// Where a string was seen, for the failure message.
struct ShownText
{
    QString where;
    QString text;
    bool multiLine = false; // a tooltip or a wrapped label may break lines; a cell may not
    // Qt renders it as rich text when it looks like markup (tooltips, labels in AutoText):
    // the server's markup must arrive there as entities. Painted text is already drawn: tags
    // seen in it were drawn as characters, which is the safe outcome.
    bool interpretsMarkup = false;
};

// A character that must never reach the screen raw: C0/C1 controls and DEL (ANSI sequences,
// carriage returns that overprint), format characters (bidi overrides and isolates, zero-width
// spaces and joiners, the BOM), and the line and paragraph separators.
bool isForbidden(QChar c, bool multiLine)
{
    if (multiLine && c == u'\n')
        return false;
    switch (c.category()) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString describe(QStringView text)
{
    QString out;
    for (const QChar c : text.first(std::min<qsizetype>(text.size(), 120))) {
        if (c.unicode() < 0x20 || c.category() == QChar::Other_Format || c.unicode() == 0x7f)
            out += QStringLiteral("<U+%1>").arg(c.unicode(), 4, 16, QChar(u'0'));
        else
            out += c;
    }
    return out;
}

// Builds the hostile container fixture from the docker CLI's own inspect output
// (tests/data/docker/inspect_hostile.json): one container per kind of hostile text.
struct HostileContainer
{
    QString name;
    QString image;
    QString service;
};

QList<HostileContainer> hostileContainers(const QString &sentinelDir)
{
    const QString touch = sentinelDir + QStringLiteral("/pwned");
    return {
        {QStringLiteral("shell-$(touch %1-name);`touch %1-tick`|x&&y").arg(touch),
         QStringLiteral("img:$(touch %1-image)").arg(touch),
         QStringLiteral("svc;touch %1").arg(touch)},
        {QStringLiteral("ansi\x1b[2J\x1b]0;title\x07\x1b[31mred"),
         QStringLiteral("nginx:latest\n\x1b[1A\x1b[2K"), QStringLiteral("\x1b[5mblink")},
        {QStringLiteral("bidi-") + QChar(0x202e) + QStringLiteral("gnp.exe") + QChar(0x2066) +
             QChar(0x200b) + QChar(0xfeff) + QChar(0x200d),
         QStringLiteral("zero") + QChar(0x200b) + QStringLiteral("width"),
         QStringLiteral("svc") + QChar(0x2028) + QStringLiteral("second line")},
        // A second row forged inside one name: a line break, a carriage return, the next
        // "row" and a name an operator would trust.
        {QStringLiteral("web-1\r\nshop-db-1\u2029admin"),
         QStringLiteral("<img src=x onerror=alert(1)>"),
         QStringLiteral("<b>bold</b><a href=\"file:///etc/passwd\">x</a>")},
        {QStringLiteral("long-") + QString(100000, u'n'),
         QStringLiteral("i") + QString(100000, u'm'), QString(50000, u's')},
    };
}

QByteArray hostileInspect(const QList<HostileContainer> &containers, const QByteArray &serverIp)
{
    QFile templateFile(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/inspect_hostile.json"));
    if (!templateFile.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject base =
        QJsonDocument::fromJson(templateFile.readAll()).array().first().toObject();
    QJsonArray out;
    for (qsizetype i = 0; i < containers.size(); ++i) {
        QJsonObject object = base;
        object[QStringLiteral("Id")] = QStringLiteral("%1").arg(i + 1, 64, 16, QChar(u'e'));
        object[QStringLiteral("Name")] = QString(u'/' + containers[i].name);
        QJsonObject state = object[QStringLiteral("State")].toObject();
        state[QStringLiteral("Pid")] = int(getpid()); // this namespace: its sockets are the table
        object[QStringLiteral("State")] = state;
        QJsonObject config = object[QStringLiteral("Config")].toObject();
        config[QStringLiteral("Image")] = containers[i].image;
        QJsonObject labels = config[QStringLiteral("Labels")].toObject();
        labels[QStringLiteral("com.docker.compose.service")] = containers[i].service;
        config[QStringLiteral("Labels")] = labels;
        object[QStringLiteral("Config")] = config;
        // The first container owns the address the TIME_WAITs are on; the others get their own.
        const QString ip =
            i == 0 ? QString::fromLatin1(serverIp) : QStringLiteral("172.31.250.%1").arg(i + 10);
        QJsonObject settings = object[QStringLiteral("NetworkSettings")].toObject();
        settings[QStringLiteral("IPAddress")] = ip;
        QJsonObject networks = settings[QStringLiteral("Networks")].toObject();
        QJsonObject bridge = networks[QStringLiteral("bridge")].toObject();
        bridge[QStringLiteral("IPAddress")] = ip;
        networks[QStringLiteral("bridge")] = bridge;
        settings[QStringLiteral("Networks")] = networks;
        object[QStringLiteral("NetworkSettings")] = settings;
        out.append(object);
    }
    // Four-space indentation, one object per "    {" … "    }": as docker prints it.
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

QByteArray combinedLine(const QByteArray &client, const QByteArray &request,
                        const QByteArray &agent = "curl/8.0")
{
    return client + " - - [26/Nov/2026:10:00:00 +0000] \"" + request + "\" 200 12 \"-\" \"" +
           agent + "\"\n";
}

class HostileContentTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        ASSERT_TRUE(m_dir.isValid());
    }

    void TearDown() override
    {
        m_window.reset();
        m_workbench.reset();
    }

    // Every text the window shows, from every place an operator can read one.
    QList<ShownText> collectShownText()
    {
        QList<ShownText> shown;
        QWidget *window = m_window.get();
        const auto widgets = window->findChildren<QWidget *>();
        shown.append({QStringLiteral("window title"), window->windowTitle()});
        for (QWidget *widget : widgets) {
            const QString name = QString::fromLatin1(widget->metaObject()->className()) + u' ' +
                                 widget->objectName();
            if (!widget->toolTip().isEmpty())
                shown.append({name + QStringLiteral(" tooltip"), widget->toolTip(), true, true});
            if (!widget->windowTitle().isEmpty())
                shown.append({name + QStringLiteral(" title"), widget->windowTitle()});
            if (auto *label = qobject_cast<QLabel *>(widget))
                shown.append(
                    {name, label->text(), label->wordWrap(), label->textFormat() != Qt::PlainText});
            if (auto *button = qobject_cast<QAbstractButton *>(widget))
                shown.append({name, button->text()});
            if (auto *view = qobject_cast<QAbstractItemView *>(widget); view && view->model())
                collectModel(view->model(), QModelIndex(), name, &shown);
            if (auto *graphics = qobject_cast<QGraphicsView *>(widget);
                graphics && graphics->scene()) {
                for (QGraphicsItem *item : graphics->scene()->items()) {
                    if (!item->toolTip().isEmpty())
                        shown.append(
                            {name + QStringLiteral(" item tooltip"), item->toolTip(), true, true});
                }
            }
        }
        // What is painted: each tab, each dock and the whole window, through the SVG generator.
        auto *tabs = m_window->tabs();
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QTest::qWait(50);
            shown.append(paintedText(tabs->currentWidget(), QStringLiteral("tab %1").arg(i)));
        }
        for (QDockWidget *dock : window->findChildren<QDockWidget *>())
            shown.append(paintedText(dock, QStringLiteral("dock ") + dock->objectName()));
        return shown;
    }

    static void collectModel(QAbstractItemModel *model, const QModelIndex &parent,
                             const QString &where, QList<ShownText> *shown, int depth = 0)
    {
        // Bounded: the views page long tables; a few thousand rows show what every row does.
        const int rows = std::min(model->rowCount(parent), 2000);
        for (int row = 0; row < rows; ++row) {
            for (int column = 0; column < model->columnCount(parent); ++column) {
                const QModelIndex index = model->index(row, column, parent);
                const QString cell = where + QStringLiteral(" [%1,%2]").arg(row).arg(column);
                shown->append({cell, model->data(index, Qt::DisplayRole).toString()});
                shown->append({cell + QStringLiteral(" tooltip"),
                               model->data(index, Qt::ToolTipRole).toString(), true, true});
                if (column == 0 && depth < 3 && model->hasChildren(index))
                    collectModel(model, index, where, shown, depth + 1);
            }
        }
        for (int column = 0; column < model->columnCount(parent); ++column) {
            shown->append({where + QStringLiteral(" header"),
                           model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString()});
        }
    }

    static QList<ShownText> paintedText(QWidget *widget, const QString &where)
    {
        QBuffer svg;
        svg.open(QIODevice::WriteOnly);
        {
            QSvgGenerator generator;
            generator.setOutputDevice(&svg);
            generator.setSize(widget->size());
            generator.setViewBox(QRect(QPoint(), widget->size()));
            QPainter painter(&generator);
            widget->render(&painter);
        }
        QList<ShownText> texts;
        QXmlStreamReader reader(svg.data());
        int depthInText = 0;
        QString current;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement() && reader.name() == u"text")
                ++depthInText;
            else if (reader.isCharacters() && depthInText > 0)
                current += reader.text();
            else if (reader.isEndElement() && reader.name() == u"text" && --depthInText == 0) {
                texts.append({where + QStringLiteral(" painted"), current});
                current.clear();
            }
        }
        // A raw control character makes the SVG invalid XML: that, too, is text that escaped.
        if (reader.hasError())
            texts.append(
                {where + QStringLiteral(" painted (SVG unreadable: ") + reader.errorString() + u')',
                 QStringLiteral("\x1b")});
        return texts;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
};

TEST_F(HostileContentTest, EveryShownTextIsEscapedBoundedAndNothingRuns)
{
    const QString dir = m_dir.path();
    const QString sentinels = dir + QStringLiteral("/sentinels");
    ASSERT_TRUE(QDir().mkpath(sentinels));

    // Real TIME_WAITs on an address the first (shell-metacharacter) container owns.
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + "20");
    ASSERT_TRUE(lab.listen()) << lab.error().toStdString();
    ASSERT_GT(lab.makeTimeWaits(40, {subnet + "30"}, 5s), 30);

    // The docker stand-in, answering with the hostile inventory.
    const QString dockerDir = dir + QStringLiteral("/docker");
    ASSERT_TRUE(QDir().mkpath(dockerDir));
    const QString docker = dockerDir + QStringLiteral("/docker");
    ASSERT_TRUE(QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker"), docker));
    QFile::setPermissions(docker, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QList<HostileContainer> containers = hostileContainers(sentinels);
    QFile inspect(dockerDir + QStringLiteral("/inspect_hostile.json"));
    ASSERT_TRUE(inspect.open(QIODevice::WriteOnly));
    inspect.write(hostileInspect(containers, lab.serverIp()));
    inspect.close();

    // An access log whose path and lines are hostile. A path may hold anything but NUL; its
    // commands are relative (a file name holds no '/'): they would run in the follower's
    // working directory, which is checked below with the others.
    const QString logDir = dir + QStringLiteral("/logs $(touch pwned-dir)");
    ASSERT_TRUE(QDir().mkpath(logDir));
    const QString logPath = logDir + QStringLiteral("/acc\x1b[2Jess`touch pwned-path`;\n") +
                            QChar(0x202e) + QStringLiteral("gol.log");
    const QStringList relativeSentinels = {QStringLiteral("pwned-dir"),
                                           QStringLiteral("pwned-path")};
    for (const QString &name : relativeSentinels) {
        QFile::remove(QDir::current().filePath(name));
        QFile::remove(QDir::home().filePath(name));
    }
    // Created empty: the follow counts what is appended once it runs (its read-back of the
    // past feeds the caller history only).
    QFile log(logPath);
    ASSERT_TRUE(log.open(QIODevice::WriteOnly));
    log.close();

    m_workbench = std::make_unique<Workbench>();
    m_window = std::make_unique<MainWindow>(m_workbench.get());
    m_window->resize(1400, 900);
    m_window->show();

    HostSpec host = HostSpec::localWorkstation();
    host.dockerCommand = docker;
    LogSourceSpec source;
    source.path = logPath;
    ASSERT_TRUE(source.isValid()) << source.validationError().toStdString();
    host.logs = {source};

    bool sawContainers = false;
    bool sawLog = false;
    std::int64_t logRequests = 0;
    std::int64_t logRejected = 0;
    QString logError;
    QObject::connect(m_workbench.get(), &Workbench::sampleArrived,
                     [&](const QString &, const HostSamplePtr &sample) {
                         if (sample->docker &&
                             sample->docker->containers.size() == std::size_t(containers.size()))
                             sawContainers = true;
                         for (const LogWindow &window : sample->logs) {
                             logRequests += window.requests;
                             logRejected += window.rejected;
                             logError = window.error;
                         }
                         sawLog = logRequests >= 6;
                     });
    m_workbench->addHost(host);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const HostSamplePtr sample = m_workbench->latestSample(host.id);
            return sample && !sample->logs.isEmpty();
        },
        waitMs))
        << "the log is never followed";
    ASSERT_TRUE(log.open(QIODevice::Append));
    const QByteArray touch = sentinels.toUtf8() + "/pwned";
    log.write(combinedLine("192.0.2.10", "GET /plain HTTP/1.1"));
    log.write(combinedLine("192.0.2.11", "GET /\x1b[2J\x1b]0;owned\x07\x1b[1A HTTP/1.1"));
    log.write(
        combinedLine("192.0.2.12", "GET /a\xe2\x80\xaegpj.exe\xe2\x80\x8b\xef\xbb\xbf HTTP/1.1"));
    log.write(combinedLine("192.0.2.13", "GET /\xff\xfe\xc3(\xed\xa0\x80 HTTP/1.1", "\xc0\xaf"));
    log.write(combinedLine("192.0.2.14",
                           "GET /$(touch " + touch + "-log)`touch " + touch + "-log2` HTTP/1.1",
                           "<script>alert(1)</script>;touch " + touch + "-ua"));
    // A client field that tries to pass for another client once its escapes are interpreted.
    log.write(combinedLine("\x1b[2K\r198.51.100.7", "GET /forged HTTP/1.1"));
    log.write(combinedLine("192.0.2.15", "GET /carriage\rreturn\xe2\x80\xa8"
                                         "fake HTTP/1.1"));
    log.write(combinedLine("192.0.2.16", "GET /" + QByteArray(megabyte, 'x') + " HTTP/1.1"));
    log.write(QByteArray(megabyte, '\x1b') + '\n');
    log.close();
    ASSERT_TRUE(QTest::qWaitFor([&] { return sawContainers && sawLog; }, waitMs))
        << "containers " << sawContainers << ", log requests " << logRequests << ", rejected "
        << logRejected << ", error " << logError.toStdString();
    ASSERT_TRUE(test::waitForTables(*m_workbench, 2, waitMs));
    QTest::qWait(1500); // the views take the last table and the findings run

    // The lab's container is in the graph, under its (escaped) name.
    TopologyView *topology = m_window->topologyView();
    m_window->tabs()->setCurrentWidget(topology);
    QTest::qWait(300);

    const QList<ShownText> shown = collectShownText();
    ASSERT_GT(shown.size(), 200) << "the window showed almost nothing: the pass would be empty";

    int offending = 0;
    bool sawShellName = false;
    bool sawAnsiName = false;
    bool sawBidiName = false;
    bool sawLogSource = false;
    for (const ShownText &item : shown) {
        for (const QChar c : item.text) {
            if (isForbidden(c, item.multiLine)) {
                ADD_FAILURE() << item.where.toStdString() << " shows U+" << std::hex
                              << int(c.unicode()) << std::dec << ": "
                              << describe(item.text).toStdString();
                ++offending;
                break;
            }
        }
        EXPECT_LE(item.text.size(), maxShownChars)
            << item.where.toStdString() << " shows " << item.text.size() << " characters";
        // Markup from the server never becomes markup: in rich text it arrives as entities.
        if (item.interpretsMarkup && Qt::mightBeRichText(item.text)) {
            const QString html = item.text.toLower();
            EXPECT_FALSE(html.contains(QStringLiteral("<img src=x")))
                << item.where.toStdString() << ": " << describe(item.text).toStdString();
            EXPECT_FALSE(html.contains(QStringLiteral("<a href=\"file:")))
                << item.where.toStdString();
            EXPECT_FALSE(html.contains(QStringLiteral("<script"))) << item.where.toStdString();
        }
        // The forged client never shows as the address it pretends to be.
        EXPECT_NE(item.text.trimmed(), QStringLiteral("198.51.100.7")) << item.where.toStdString();
        // The forged second row never shows as a name of its own.
        EXPECT_NE(item.text.trimmed(), QStringLiteral("shop-db-1")) << item.where.toStdString();
        sawShellName = sawShellName || item.text.contains(QStringLiteral("shell-$(touch"));
        sawAnsiName = sawAnsiName || item.text.contains(QStringLiteral("ansi\\x1b[2J"));
        sawBidiName = sawBidiName || item.text.contains(QStringLiteral("bidi-\\u{202e}gnp.exe"));
        sawLogSource = sawLogSource || item.text.contains(QStringLiteral("gol.log"));
        if (offending > 20)
            break;
    }
    std::printf("%lld shown texts read (cells, tooltips, labels, painted text); %d offending\n",
                static_cast<long long>(shown.size()), offending);
    // The hostile texts are shown, escaped, rather than hidden: the operator sees what is there.
    EXPECT_TRUE(sawShellName) << "the shell-metacharacter container is shown nowhere";
    EXPECT_TRUE(sawAnsiName) << "the ANSI container is not shown escaped anywhere";
    EXPECT_TRUE(sawBidiName) << "the bidi container is not shown escaped anywhere";
    EXPECT_TRUE(sawLogSource) << "the log source is named nowhere";

    // Nothing ran: not the names, not the image, not the path, not the log lines.
    QStringList ran = QDir(sentinels).entryList(QDir::Files);
    for (const QString &name : relativeSentinels) {
        for (const QDir &where : {QDir::current(), QDir::home(), QDir(dir)}) {
            if (where.exists(name))
                ran << where.filePath(name);
        }
    }
    EXPECT_TRUE(ran.isEmpty()) << "executed: " << ran.join(u' ').toStdString();
    EXPECT_TRUE(QFile::exists(logPath)) << "the log was never meant to move";
}

} // namespace
