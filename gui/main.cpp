#include "gui/cli/commandline.h"
#include "gui/mainwindow.h"
#include "gui/workbench.h"

#include "remote/hoststore.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace {

// What the GUI and the subcommands share: the settings' place (the saved hosts), the version,
// and Qt's strings and ours in the system language when we have it.
void setUpApplication(QCoreApplication &app)
{
    QCoreApplication::setOrganizationName(QStringLiteral("twbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TWBENCH_VERSION));
    // Owned by the application (children), so they live as long as it does.
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    auto *translator = new QTranslator(&app);
    if (translator->load(QLocale(), QStringLiteral("twbench"), QStringLiteral("_"),
                         QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(translator);
}

} // namespace

int main(int argc, char **argv)
{
    // `twbench diagnose …` and the other subcommands: headless, no display needed, no widget.
    if (twbench::CommandLine::isSubcommand(argc, argv)) {
        QCoreApplication app(argc, argv);
        setUpApplication(app);
        return twbench::CommandLine::run(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    setUpApplication(app);

    // The host list lives in the application's settings; every change is saved at once.
    twbench::HostStore hostStore;
    twbench::Workbench workbench;
    workbench.setHostStore(&hostStore);
    twbench::MainWindow window(&workbench);
    // With no configuration twbench opens on this workstation only: no SSH needed to see it
    // work. The local workstation is always first.
    workbench.restoreHosts();
    window.show();
    return QApplication::exec();
}
