#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace twbench {

// `twbench SUBCOMMAND …`: the same engine as the GUI, headless. main() asks isSubcommand()
// before it makes any application object; a subcommand runs under a QCoreApplication, so it
// needs no display and creates no widget.
class CommandLine final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::CommandLine)

public:
    // True when argv[1] names a subcommand (a word that does not start with '-'); the GUI's own
    // options (-platform, -style, …) start with '-' and stay the GUI's.
    static bool isSubcommand(int argc, char **argv);
    // True for a subcommand that draws with widgets (`report`: the charts and graphs are
    // rendered by the real views). main() runs it under a QApplication on the offscreen
    // platform, so it still needs no display.
    static bool needsWidgets(int argc, char **argv);
    // Runs the subcommand of QCoreApplication::arguments(); returns the process's exit code.
    // An unknown subcommand is a usage error (2).
    static int run(const QStringList &arguments);
};

} // namespace twbench
