#include "commandline.h"

#include "diagnosecommand.h"
#include "reportcommand.h"

#include <cstdio>

namespace twbench {

bool CommandLine::isSubcommand(int argc, char **argv)
{
    return argc > 1 && argv[1] && argv[1][0] != '\0' && argv[1][0] != '-';
}

bool CommandLine::needsWidgets(int argc, char **argv)
{
    return isSubcommand(argc, argv) && qstrcmp(argv[1], "report") == 0;
}

int CommandLine::run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    const QStringList rest = arguments.mid(2);
    if (command == QLatin1String("diagnose"))
        return DiagnoseCommand::main(rest);
    if (command == QLatin1String("report"))
        return ReportCommand::main(rest);
    const QByteArray message =
        tr("twbench: unknown command \"%1\"; the commands are: diagnose, report. Without a "
           "command, twbench opens its window.")
            .arg(command)
            .toLocal8Bit();
    std::fprintf(stderr, "%s\n", message.constData());
    return int(DiagnoseExit::BadArguments);
}

} // namespace twbench
