#include "gui/mainwindow.h"
#include "gui/workbench.h"

#include "remote/hoststore.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("twbench"));
    QApplication::setApplicationName(QStringLiteral("twbench"));
    QApplication::setApplicationVersion(QStringLiteral(TWBENCH_VERSION));

    // Qt's own strings (dialog buttons) and ours, in the system language when we have it.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("twbench"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

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
