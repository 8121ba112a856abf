#include "gui/capturerecorder.h"
#include "gui/cli/commandline.h"
#include "gui/language.h"
#include "gui/mainwindow.h"
#include "gui/processhardening.h"
#include "gui/workbench.h"

#include "remote/hoststore.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QFile>
#include <QWidget>

#include <chrono>
#include <cstdio>

namespace {

// `TWBENCH_STARTUP_PROBE=1` (bench/scale, the cold-start figure): prints when start-up reached
// each step, on the monotonic clock the launching benchmark reads too, and quits as soon as the
// window is interactive: painted once, and the event loop then has nothing left to do. Costs
// nothing when the variable is not set.
class StartupProbe final : public QObject
{
public:
    StartupProbe()
        : m_enabled(qEnvironmentVariableIntValue("TWBENCH_STARTUP_PROBE") != 0)
    {
        mark("main");
    }

    void mark(const char *step)
    {
        if (!m_enabled)
            return;
        const auto now = std::chrono::steady_clock::now().time_since_epoch();
        m_steps += QByteArray(step) + '=' +
                   QByteArray::number(
                       qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count())) +
                   ' ';
    }

    // Watches `window` for its first paint (any widget of it), then for the event loop's
    // first moment with nothing to do.
    void watch(QWidget *window)
    {
        if (!m_enabled)
            return;
        m_window = window;
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType() &&
            static_cast<QWidget *>(watched)->window() == m_window) {
            qApp->removeEventFilter(this);
            mark("painted");
            // Queued: the paint that is under way finishes first.
            QMetaObject::invokeMethod(
                this,
                [this] {
                    connect(
                        QAbstractEventDispatcher::instance(),
                        &QAbstractEventDispatcher::aboutToBlock, this,
                        [this] {
                            mark("interactive");
                            std::fprintf(stderr, "twbench-startup: %s\n", m_steps.constData());
                            std::fflush(stderr);
                            QCoreApplication::exit(0);
                        },
                        Qt::SingleShotConnection);
                },
                Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_enabled = false;
    QWidget *m_window = nullptr;
    QByteArray m_steps;
};

// What the GUI and the subcommands share: the settings' place (the saved hosts), the version,
// and Qt's strings and ours in the system language when we have it.
// Called once the application object exists (the translators are its children).
void setUpApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("twbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TWBENCH_VERSION));
    // The system's language; the GUI then takes the one chosen in View → Language.
    twbench::Language::apply(twbench::Language::Choice::System);
}

} // namespace

int main(int argc, char **argv)
{
    StartupProbe startup;
    // Before anything reads a password: no core dump may ever carry one to disk.
    twbench::refuseCoreDumps();
    // `twbench diagnose …` and the other subcommands: headless, no display needed, no widget.
    // `twbench report …` draws the charts and graphs with the real widgets: a QApplication, on
    // the offscreen platform unless one was chosen, so it runs without a display too.
    if (twbench::CommandLine::needsWidgets(argc, argv)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        setUpApplication();
        return twbench::CommandLine::run(QCoreApplication::arguments());
    }
    if (twbench::CommandLine::isSubcommand(argc, argv)) {
        QCoreApplication app(argc, argv);
        setUpApplication();
        return twbench::CommandLine::run(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    setUpApplication();
    twbench::Language::apply(twbench::Language::saved());
    startup.mark("application");

    // The host list lives in the application's settings; every change is saved at once.
    twbench::HostStore hostStore;
    twbench::Workbench workbench;
    workbench.setHostStore(&hostStore);
    twbench::MainWindow window(&workbench);
    startup.mark("window");
    // With no configuration twbench opens on this workstation only: no SSH needed to see it
    // work. The local workstation is always first.
    workbench.restoreHosts();
    // Everything seen is recorded, so File → Save can keep it afterwards (and a crash loses at
    // most a second of it). Without a writable data folder twbench runs on unrecorded.
    const QString recording = twbench::CaptureRecorder::newRecordingPath();
    QString recordingError;
    if (!window.startRecording(recording, &recordingError))
        qWarning("twbench: not recording: %s", qPrintable(recordingError));
    startup.watch(&window);
    window.show();
    window.showFirstStartOffer();
    window.offerLeftoverRecordings(recording);
    startup.mark("shown");
    const int status = QApplication::exec();
    // Closed normally: the operator saved what they wanted (or chose not to). A recording left
    // behind by a crash stays for the next start to offer.
    window.stopRecording();
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(recording + suffix);
    return status;
}
