// Recording, saving and replaying an investigation, as an operator does it: the live window
// records what the real local probe sees (with real TIME_WAIT sockets made on loopback), File →
// Save keeps it, and the capture reopens in a window of its own whose slider shows the tables
// as they were.

#include "gui/capturerecorder.h"
#include "gui/chartsview.h"
#include "gui/connectionsview.h"
#include "gui/mainwindow.h"
#include "gui/replay/capturereplay.h"
#include "gui/timechartview.h"
#include "gui/workbench.h"
#include "guitestutil.h"
#include "lab/timewaitlab.h"
#include "model/capture/capturefile.h"
#include "model/capturefixtures.h"
#include "model/connectionfilterproxy.h"
#include "model/hostlistmodel.h"
#include "remote/hostspec.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace twbench;
using namespace std::chrono_literals;

namespace {

class CaptureWindowTest : public ::testing::Test
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
        // Capture windows delete themselves on close.
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            if (qobject_cast<MainWindow *>(widget) || qobject_cast<QMessageBox *>(widget))
                widget->close();
        }
        QTest::qWait(50);
    }

    QTemporaryDir m_dir;
};

TEST_F(CaptureWindowTest, RecordedSessionSavesReopensAndScrubsToEachMomentsTable)
{
    Workbench workbench;
    auto live = std::make_unique<MainWindow>(&workbench);
    live->show();
    workbench.addHost(HostSpec::localWorkstation());
    QString error;
    ASSERT_TRUE(live->startRecording(m_dir.filePath(QStringLiteral("session.twbench")), &error))
        << error.toStdString();
    EXPECT_TRUE(live->windowTitle().contains(QStringLiteral("Untitled")));

    // Before the lab: tables without its sockets. Then 300 real TIME_WAITs, and tables with
    // them.
    ASSERT_TRUE(test::waitForTables(workbench, 2));
    const std::int64_t beforeLabMs = workbench.latestTable(QStringLiteral("local"))->epochMs;
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + '1');
    ASSERT_TRUE(lab.listen()) << lab.error().toStdString();
    constexpr int made = 300;
    ASSERT_EQ(lab.makeTimeWaits(made, {subnet + '2'}, 30s), made) << lab.error().toStdString();
    ASSERT_TRUE(test::waitForTables(workbench, 2));
    const SnapshotPtr withLab = workbench.latestTable(QStringLiteral("local"));
    const auto labSockets = [&subnet](const Snapshot &table) {
        return std::count_if(table.sockets.cbegin(), table.sockets.cend(), [&](const Socket &s) {
            return s.local.address.toString().startsWith(QString::fromLatin1(subnet));
        });
    };
    ASSERT_GE(labSockets(*withLab), made);
    EXPECT_TRUE(live->isWindowModified());

    const QString saved = m_dir.filePath(QStringLiteral("night.twbench"));
    const std::int64_t recorded = live->recorder()->samplesRecorded();
    ASSERT_TRUE(live->recorder()->saveAndWait(saved, &error)) << error.toStdString();
    EXPECT_EQ(live->recorder()->documentPath(), saved);
    EXPECT_TRUE(live->windowTitle().contains(QStringLiteral("night.twbench")));
    live.reset(); // the live window goes: what follows works from the file alone

    std::shared_ptr<const CaptureReader> reader = CaptureReader::open(saved, &error);
    ASSERT_TRUE(reader) << error.toStdString();
    ASSERT_EQ(reader->hosts().size(), 1);
    EXPECT_EQ(std::int64_t(reader->samples(QStringLiteral("local")).size()), recorded);
    ASSERT_GE(reader->tables(QStringLiteral("local")).size(), 4u);

    MainWindow *window = MainWindow::showCapture(reader);
    ASSERT_TRUE(window->replay());
    EXPECT_TRUE(window->windowTitle().contains(QStringLiteral("night.twbench")));
    EXPECT_FALSE(window->hostAction(QStringLiteral("addHostAction"))->isVisible());
    const QModelIndex host = window->hostsView()->model()->index(0, 0);
    EXPECT_EQ(HostState(host.data(HostListModel::StateRole).toInt()), HostState::Recorded);
    ASSERT_TRUE(window->replaySlider());
    EXPECT_EQ(window->replaySlider()->maximum(),
              int((reader->info().lastMs - reader->info().firstMs) / 1000));

    // Back to before the lab: the table shown is the one of then, without the lab's sockets.
    ASSERT_TRUE(window->replay()->seekAndWait(beforeLabMs, &error)) << error.toStdString();
    Workbench *replayed = window->replay()->workbench();
    SnapshotPtr shown = replayed->latestTable(QStringLiteral("local"));
    ASSERT_TRUE(shown);
    EXPECT_LE(shown->epochMs, beforeLabMs);
    EXPECT_EQ(labSockets(*shown), 0);
    QTRY_COMPARE_WITH_TIMEOUT(window->connectionsView()->proxy()->rowCount(),
                              int(shown->sockets.size()), 5000);
    EXPECT_EQ(window->chartsView()->chart(ChartsView::Panel::States)->cursorTime(), beforeLabMs);

    // And forward to the pile: the same sockets the live window had.
    ASSERT_TRUE(window->replay()->seekAndWait(withLab->epochMs, &error)) << error.toStdString();
    shown = replayed->latestTable(QStringLiteral("local"));
    EXPECT_EQ(shown->epochMs, withLab->epochMs);
    EXPECT_EQ(shown->sockets.size(), withLab->sockets.size());
    EXPECT_EQ(labSockets(*shown), labSockets(*withLab));
    QTRY_COMPARE_WITH_TIMEOUT(window->connectionsView()->proxy()->rowCount(),
                              int(withLab->sockets.size()), 5000);

    // The slider drives the same seek.
    window->replaySlider()->setValue(0);
    QTRY_VERIFY_WITH_TIMEOUT(replayed->latestTable(QStringLiteral("local")) &&
                                 replayed->latestTable(QStringLiteral("local"))->epochMs <=
                                     reader->info().firstMs + 999,
                             5000);
}

TEST_F(CaptureWindowTest, DamagedFileIsRefusedWithAMessageAndNoWindow)
{
    const QString path = m_dir.filePath(QStringLiteral("damaged.twbench"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    QByteArray junk(64 * 1024, '\0');
    for (int i = 0; i < junk.size(); ++i)
        junk[i] = char((i * 7919 + 13) % 251);
    file.write(junk);
    file.close();

    Workbench workbench;
    MainWindow window(&workbench);
    window.show();
    const int windowsBefore = int(QApplication::topLevelWidgets().size());
    window.openCapture(path);
    QMessageBox *box = nullptr;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                if (auto *found = qobject_cast<QMessageBox *>(widget); found && found->isVisible())
                    box = found;
            }
            return box != nullptr;
        },
        10000));
    EXPECT_TRUE(box->text().contains(QStringLiteral("damaged.twbench")));
    EXPECT_FALSE(box->informativeText().isEmpty());
    int captureWindows = 0;
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (auto *other = qobject_cast<MainWindow *>(widget); other && other->replay())
            ++captureWindows;
    }
    EXPECT_EQ(captureWindows, 0);
    EXPECT_GE(int(QApplication::topLevelWidgets().size()), windowsBefore);
    box->close();
}

TEST_F(CaptureWindowTest, RecordingWhereNoFileCanBeMadeFailsClearlyAndTheWindowWorksOn)
{
    // A path under a plain file: no folder can be made there, not even by root (the tests may
    // run as root, for whom permissions are no obstacle).
    const QString blocker = m_dir.filePath(QStringLiteral("plain-file"));
    QFile file(blocker);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.close();
    Workbench workbench;
    MainWindow window(&workbench);
    QString error;
    EXPECT_FALSE(window.startRecording(blocker + QStringLiteral("/session.twbench"), &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_EQ(window.recorder(), nullptr);
    EXPECT_FALSE(window.findChild<QAction *>(QStringLiteral("saveAction"))->isEnabled());
}

TEST_F(CaptureWindowTest, LiveRecordingKeepsTheWindowTheOperatorChose)
{
    // A recorded host fed in compressed time: the live window's recorder keeps 24 hours by
    // default; File → Recording keeps changes it at once and for the next sessions; what is
    // saved is the window, not the whole session.
    Workbench workbench(Workbench::Mode::Replay);
    MainWindow window(&workbench);
    HostSpec spec;
    spec.id = QStringLiteral("web-1");
    spec.displayName = spec.id;
    spec.kind = HostSpec::Kind::Ssh;
    spec.address = QStringLiteral("10.0.0.5");
    workbench.addHost(spec);
    QString error;
    ASSERT_TRUE(window.startRecording(m_dir.filePath(QStringLiteral("session.twbench")), &error))
        << error.toStdString();
    CaptureRecorder *recorder = window.recorder();
    EXPECT_EQ(recorder->retentionMs(), CaptureRecorder::defaultRetentionMs);

    auto *menu = window.findChild<QMenu *>(QStringLiteral("retentionMenu"));
    ASSERT_TRUE(menu);
    EXPECT_TRUE(menu->menuAction()->isVisible());
    QAction *sixHours = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->data().toLongLong() == CaptureRecorder::defaultRetentionMs) {
            EXPECT_TRUE(action->isChecked()) << action->text().toStdString();
        }
        if (action->data().toLongLong() == 6 * 3600 * 1000)
            sixHours = action;
    }
    ASSERT_TRUE(sixHours);
    // The size cap is said there too, not offered as a choice.
    auto *cap = window.findChild<QAction *>(QStringLiteral("retentionCapAction"));
    ASSERT_TRUE(cap);
    EXPECT_FALSE(cap->isEnabled());
    EXPECT_EQ(recorder->sizeCap(), CaptureRecorder::defaultSizeCapBytes);
    sixHours->trigger();
    EXPECT_EQ(recorder->retentionMs(), 6 * 3600 * 1000);
    EXPECT_EQ(CaptureRecorder::savedRetentionMs(), 6 * 3600 * 1000);

    // Narrower than any menu choice, so that a test can outrun it: 10 minutes, 30 fed.
    recorder->setRetention(10 * 60 * 1000);
    constexpr std::int64_t startMs = 1'700'000'000'000;
    for (std::uint64_t second = 0; second < 30 * 60; ++second)
        workbench.onSample(spec.id, test::realisticSample(spec.id, second, startMs));
    ASSERT_TRUE(recorder->waitForWriter());
    const QString saved = m_dir.filePath(QStringLiteral("window.twbench"));
    ASSERT_TRUE(recorder->saveAndWait(saved, &error)) << error.toStdString();
    const auto reader = CaptureReader::open(saved, &error);
    ASSERT_TRUE(reader) << error.toStdString();
    const auto &samples = reader->samples(spec.id);
    ASSERT_FALSE(samples.empty());
    EXPECT_EQ(samples.back()->sequence, 30u * 60u - 1u);
    // Pruned a minute at a time: at most 11 minutes left of the 30.
    EXPECT_LE(samples.size(), 11u * 60u);
    EXPECT_GE(samples.size(), 10u * 60u);

    // A capture's window records nothing: no such menu there.
    MainWindow *capture = MainWindow::showCapture(CaptureReader::open(saved, &error));
    auto *captureMenu = capture->findChild<QMenu *>(QStringLiteral("retentionMenu"));
    ASSERT_TRUE(captureMenu);
    EXPECT_FALSE(captureMenu->menuAction()->isVisible());
}

} // namespace
