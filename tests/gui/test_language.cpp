// twbench in Simplified Chinese: View → Language switches the window live and back, the
// system's locale is followed, and Chinese renders as glyphs (not empty boxes) on screen and in
// the report's PDF. With TWBENCH_SCREENSHOT_DIR set, the Chinese window is saved as a PNG.

#include "gui/findingsview.h"
#include "gui/language.h"
#include "gui/mainwindow.h"
#include "gui/replay/capturereplay.h"
#include "gui/report/reportbuilder.h"
#include "gui/workbench.h"
#include "model/capture/capturefile.h"
#include "model/diagnosis/findingsmodel.h"
#include "reportfixture.h"

#include <QAction>
#include <QApplication>
#include <QFontDatabase>
#include <QImage>
#include <QMenuBar>
#include <QPainter>
#include <QProcess>
#include <QRawFont>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

QString firstMenuTitle(const MainWindow &window)
{
    const QList<QAction *> menus = window.menuBar()->actions();
    return menus.isEmpty() ? QString() : menus.first()->text();
}

bool hasHan(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff)
            return true;
    }
    return false;
}

// `text` drawn in `font` on white: what the operator would see.
QImage drawn(const QString &text, const QFont &font)
{
    QImage image(200, 60, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(image.rect(), Qt::AlignCenter, text);
    return image;
}

int inkPixels(const QImage &image)
{
    int ink = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            ink += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
    }
    return ink;
}

class LanguageTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        ASSERT_TRUE(m_dir.isValid());
        // Settings of this process alone: ctest runs other GUI tests at the same time, and
        // they clear the shared test settings.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("settings")));
        QSettings().clear();
    }
    void TearDown() override
    {
        // The other suites run in English.
        Language::apply(Language::Choice::English);
        QCoreApplication::processEvents();
    }

    QTemporaryDir m_dir;
};

TEST_F(LanguageTest, ViewLanguageSwitchesTheWindowLiveAndBack)
{
    Language::apply(Language::Choice::English);
    Workbench workbench;
    MainWindow window(&workbench);
    window.show();
    QCoreApplication::processEvents();
    ASSERT_EQ(firstMenuTitle(window), QStringLiteral("&File"));

    window.resize(1400, 900);
    QTest::qWait(50);
    const QRect tablesBefore = window.centralWidget()->geometry();
    QAction *chinese = window.findChild<QAction *>(QStringLiteral("language_zh_CN"));
    ASSERT_TRUE(chinese);
    EXPECT_EQ(chinese->text(), QStringLiteral("简体中文")); // its own name in every language
    chinese->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(firstMenuTitle(window), QStringLiteral("文件(&F)"), 5000);
    EXPECT_EQ(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
    EXPECT_EQ(Language::saved(), Language::Choice::SimplifiedChinese);
    EXPECT_TRUE(hasHan(window.tabs()->tabText(window.tabs()->indexOf(window.findingsView()))));
    // The rebuilt window is whole: one menu bar's worth of menus, the checked language.
    EXPECT_EQ(window.menuBar()->actions().size(), 4);
    EXPECT_TRUE(window.findChild<QAction *>(QStringLiteral("language_zh_CN"))->isChecked());
    EXPECT_EQ(window.findChildren<QAction *>(QStringLiteral("language_zh_CN")).size(), 1);
    // The docks and the tables keep their places and sizes.
    QCoreApplication::processEvents();
    const QRect tablesAfter = window.centralWidget()->geometry();
    EXPECT_NEAR(tablesAfter.width(), tablesBefore.width(), tablesBefore.width() / 10);
    EXPECT_NEAR(tablesAfter.left(), tablesBefore.left(), 40);

    window.findChild<QAction *>(QStringLiteral("language_en"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(firstMenuTitle(window), QStringLiteral("&File"), 5000);
    EXPECT_EQ(Language::saved(), Language::Choice::English);
}

TEST_F(LanguageTest, ChineseSystemLocaleGivesChineseMenusFindingsAndGlyphs)
{
    // As under LANG=zh_CN.UTF-8: the system language, whatever this machine's is.
    Language::apply(Language::Choice::System, QLocale(QStringLiteral("zh_CN")));
    const QString capture = m_dir.filePath(QStringLiteral("incident.twbench"));
    ASSERT_TRUE(test::writeIncidentCapture(capture));
    QString error;
    std::shared_ptr<const CaptureReader> reader = CaptureReader::open(capture, &error);
    ASSERT_TRUE(reader) << error.toStdString();
    MainWindow *window = MainWindow::showCapture(reader);
    window->resize(1400, 900);
    EXPECT_EQ(firstMenuTitle(*window), QStringLiteral("文件(&F)"));
    // The findings are written by the rules as they run: in Chinese too.
    const QAbstractItemModel *findings = window->findingsView()->model();
    ASSERT_TRUE(findings);
    QTRY_VERIFY_WITH_TIMEOUT(findings->rowCount() > 0, 15000);
    for (int row = 0; row < findings->rowCount(); ++row) {
        const QString title =
            findings->index(row, FindingsModel::TitleColumn).data(Qt::DisplayRole).toString();
        EXPECT_TRUE(hasHan(title)) << title.toStdString();
    }

    // Glyphs, not boxes: the window's font has the characters, and they draw differently from
    // characters no font has (which draw as the same empty box).
    const QFont font = window->font();
    const QImage han = drawn(QStringLiteral("发现连接"), font);
    const QImage missing =
        drawn(QString(QChar(0xE000)) + QChar(0xE001) + QChar(0xE002) + QChar(0xE003), font);
    EXPECT_GT(inkPixels(han), 40);
    EXPECT_NE(han, missing);
    EXPECT_TRUE(
        QRawFont::fromFont(font, QFontDatabase::SimplifiedChinese).supportsCharacter(QChar(0x53D1)))
        << "no font for Chinese: install fonts-noto-cjk";
    const QImage screenshot = window->grab().toImage();
    EXPECT_GT(screenshot.width(), 800);
    if (const QByteArray dir = qgetenv("TWBENCH_SCREENSHOT_DIR"); !dir.isEmpty())
        screenshot.save(QString::fromLocal8Bit(dir) + QStringLiteral("/screenshot-zh.png"));
    window->close();
}

TEST_F(LanguageTest, ChineseReportPdfEmbedsACjkFontAndItsTextReadsBack)
{
    Language::apply(Language::Choice::SimplifiedChinese);
    const QString capture = m_dir.filePath(QStringLiteral("incident.twbench"));
    ASSERT_TRUE(test::writeIncidentCapture(capture));
    QString error;
    std::shared_ptr<const CaptureReader> reader = CaptureReader::open(capture, &error);
    ASSERT_TRUE(reader) << error.toStdString();
    CaptureReplay replay(reader);
    ASSERT_TRUE(replay.seekAndWait(replay.endMs(), &error)) << error.toStdString();
    ReportBuilder builder(&replay, ReportOptions());
    builder.build();
    const QString pdf = m_dir.filePath(QStringLiteral("报告.pdf"));
    ASSERT_TRUE(builder.writePdf(pdf, &error)) << error.toStdString();
    if (QStandardPaths::findExecutable(QStringLiteral("pdffonts")).isEmpty())
        GTEST_SKIP() << "poppler-utils (pdffonts, pdftotext) is not installed";

    QProcess fonts;
    fonts.start(QStringLiteral("pdffonts"), {pdf});
    ASSERT_TRUE(fonts.waitForFinished(30000));
    const QString fontList = QString::fromUtf8(fonts.readAllStandardOutput());
    EXPECT_TRUE(fontList.contains(QLatin1String("CJK"))) << fontList.toStdString();

    // The glyphs map back to the characters: what pdftotext reads is the Chinese that was
    // written, not boxes or question marks.
    QProcess text;
    text.start(QStringLiteral("pdftotext"),
               {QStringLiteral("-l"), QStringLiteral("2"), pdf, QStringLiteral("-")});
    ASSERT_TRUE(text.waitForFinished(30000));
    const QString written = QString::fromUtf8(text.readAllStandardOutput());
    EXPECT_TRUE(written.contains(QStringLiteral("发现"))) << written.left(400).toStdString();
    EXPECT_TRUE(written.contains(QStringLiteral("TIME_WAIT")));
    EXPECT_FALSE(written.contains(QChar(0xFFFD)));
}

} // namespace
