// The report's appendix (model/report/reproducecommands.h): the commands are what SCENARIO.md's
// operator typed, filled in with the report's own endpoints, and a hostile value from the
// server (a container name, a log path) stays one literal word when the command is pasted into
// a shell. The shell test runs each command under /bin/sh with stub programs that record their
// arguments, so nothing real (docker, nsenter, sudo) runs.
#include "socketbuilders.h"

#include "model/report/reproducecommands.h"
#include "model/report/shellword.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace twbench;
using twbench::test::ep;

namespace {

const QString hostileName = QStringLiteral("x'; touch PWNED; echo '$(touch PWNED2)`touch PWNED3`");
const QString hostilePath = QStringLiteral("/var/log/a b/it's $(touch PWNED4) \"here\"/access.log");

QString commandOf(const QList<ReproduceCommand> &commands, const QString &titlePart)
{
    for (const ReproduceCommand &command : commands) {
        if (command.title.contains(titlePart))
            return command.command;
    }
    ADD_FAILURE() << "no command titled " << titlePart.toStdString();
    return {};
}

// Runs `command` with stubs for the programs it names; returns what each stub was given, one
// "program" line then one "[argument]" line per argument.
QString runWithStubs(const QTemporaryDir &dir, const QString &command)
{
    const QString log = dir.filePath(QStringLiteral("calls.log"));
    QFile::remove(log);
    for (const char *program : {"docker", "sudo", "nsenter", "ss", "netstat", "tail", "grep"}) {
        QFile stub(dir.filePath(QString::fromLatin1(program)));
        EXPECT_TRUE(stub.open(QIODevice::WriteOnly));
        // sudo runs what it is given, as it would.
        const QByteArray tailCall = qstrcmp(program, "sudo") == 0 ? "\"$@\"\n" : "";
        stub.write("#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\")\" >> \"$STUB_LOG\"\n"
                   "for a; do printf '[%s]\\n' \"$a\" >> \"$STUB_LOG\"; done\n" +
                   tailCall);
        stub.close();
        stub.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                            QFileDevice::ExeOwner);
    }
    QProcess sh;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), dir.path() + QStringLiteral(":/usr/bin:/bin"));
    env.insert(QStringLiteral("STUB_LOG"), log);
    sh.setProcessEnvironment(env);
    sh.setWorkingDirectory(dir.path());
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    EXPECT_TRUE(sh.waitForFinished(10000));
    QFile calls(log);
    if (!calls.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(calls.readAll());
}

} // namespace

TEST(ReproduceCommands, ShellWordIsOneLiteralWord)
{
    EXPECT_EQ(shellWord(QStringLiteral("10.0.0.1:6601")), QStringLiteral("10.0.0.1:6601"));
    EXPECT_EQ(shellWord(QStringLiteral("/var/log/nginx/access.log")),
              QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(shellWord(QStringLiteral("[::1]:80")), QStringLiteral("'[::1]:80'"));
    EXPECT_EQ(shellWord(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
    EXPECT_EQ(shellWord(QStringLiteral("-rf")), QStringLiteral("'-rf'"));
    EXPECT_EQ(shellWord(QString()), QStringLiteral("''"));
    // Whatever the value, sh reads it back as one word, unchanged.
    for (const QString &value :
         {hostileName, hostilePath, QStringLiteral("a\tb"), QStringLiteral("*"),
          QStringLiteral("~root"), QStringLiteral("x\\y"), QStringLiteral("名字 空格")}) {
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"), QStringLiteral("printf '%s\\0' ") + shellWord(value)});
        ASSERT_TRUE(sh.waitForFinished(5000));
        EXPECT_EQ(QString::fromUtf8(sh.readAllStandardOutput()), value + QChar(u'\0'))
            << value.toStdString();
    }
}

TEST(ReproduceCommands, GeneralFiguresAreTheOperatorsCommands)
{
    ReproduceInput input;
    input.topLocalEndpoints = {{ep("10.25.20.251", 6601), {}},
                               {ep("2001:db8::5", 443), {}},
                               {ep("192.168.42.32", 443), QStringLiteral("web-nginx-1")}};
    input.docker = true;
    input.logSources = {QStringLiteral("/var/log/api/access.log"),
                        QStringLiteral("container:web-nginx-1")};
    const QList<ReproduceCommand> commands = ReproduceCommands::build(input);
    for (const ReproduceCommand &command : commands) {
        EXPECT_FALSE(command.title.isEmpty());
        EXPECT_FALSE(command.shows.isEmpty());
        EXPECT_FALSE(command.command.isEmpty());
    }

    EXPECT_TRUE(commandOf(commands, QStringLiteral("TIME_WAIT in all"))
                    .contains(QStringLiteral("ss -Htan state time-wait | wc -l")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("TIME_WAIT in all"))
                    .contains(QStringLiteral("cat /proc/net/sockstat")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("local endpoint"))
                    .contains(QStringLiteral("netstat -tn | grep TIME_WAIT | awk '{print $4}' | "
                                             "sort | uniq -c | sort -nr | head")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("remote endpoint"))
                    .contains(QStringLiteral("awk '{print $5}'")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("10.25.20.251:6601"))
                    .contains(QStringLiteral("netstat -ant | grep -F -- 10.25.20.251:6601")));
    // IPv6: netstat prints no brackets, ss does (and the brackets are quoted).
    EXPECT_TRUE(commandOf(commands, QStringLiteral("[2001:db8::5]:443"))
                    .contains(QStringLiteral("grep -F -- 2001:db8::5:443")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("[2001:db8::5]:443"))
                    .contains(QStringLiteral("ss -Htan src '[2001:db8::5]:443'")));
    // A container's endpoint is looked at inside its namespace.
    EXPECT_TRUE(commandOf(commands, QStringLiteral("192.168.42.32:443"))
                    .contains(QStringLiteral("nsenter -t")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("churn"))
                    .contains(QStringLiteral("grep -A1 '^Tcp:' /proc/net/snmp")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("churn"))
                    .contains(QStringLiteral("nstat -az TcpActiveOpens TcpPassiveOpens")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("overflow"))
                    .contains(QStringLiteral("TcpExtTCPTimeWaitOverflow")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("CPU"))
                    .contains(QStringLiteral("top -b -n 1 | head -15")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("Containers"))
                    .contains(QStringLiteral("docker inspect --format '{{.Name}} {{range "
                                             ".NetworkSettings.Networks}}{{.IPAddress}} "
                                             "{{end}}' $(docker ps -q)")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("/var/log/api/access.log"))
                    .contains(QStringLiteral("awk '{print $1, $6, $7}'")));
    EXPECT_TRUE(commandOf(commands, QStringLiteral("container web-nginx-1"))
                    .contains(QStringLiteral("docker logs --tail 10000 web-nginx-1")));

    // Without docker, no docker commands.
    input.docker = false;
    input.logSources.clear();
    input.topLocalEndpoints.clear();
    for (const ReproduceCommand &command : ReproduceCommands::build(input))
        EXPECT_FALSE(command.command.contains(QStringLiteral("docker")))
            << command.title.toStdString();
}

TEST(ReproduceCommands, EachFindingNamesItsEvidence)
{
    ReproduceInput input;
    input.topLocalEndpoints = {{ep("172.18.0.3", 8080), QStringLiteral("api-1")}};
    input.logSources = {QStringLiteral("/var/log/api/access.log")};
    Finding serverCloses;
    serverCloses.id = QStringLiteral("server-closes");
    serverCloses.title = QStringLiteral("api closes");
    serverCloses.tableFilter = QStringLiteral("172.18.0.3:8080");
    Finding byPort = serverCloses;
    byPort.tableFilter = QStringLiteral(":6601");
    Finding polling;
    polling.id = QStringLiteral("polling-loop");
    polling.title = QStringLiteral("loop");
    polling.tableFilter = QStringLiteral("192.168.42.1");
    Finding upstream;
    upstream.id = QStringLiteral("upstream-no-keepalive");
    upstream.title = QStringLiteral("nginx");
    upstream.tableFilter = QStringLiteral("10.25.20.251:6601");

    const QString inside = ReproduceCommands::forFinding(serverCloses, input).value(0).command;
    EXPECT_TRUE(inside.contains(QStringLiteral("ss -Htan state time-wait src 172.18.0.3:8080")));
    EXPECT_TRUE(inside.contains(QStringLiteral("nsenter"))) << inside.toStdString();
    EXPECT_TRUE(inside.contains(QStringLiteral("api-1")));
    EXPECT_TRUE(ReproduceCommands::forFinding(byPort, input)
                    .value(0)
                    .command.contains(QStringLiteral("'( sport = :6601 )'")));
    EXPECT_TRUE(ReproduceCommands::forFinding(polling, input)
                    .value(0)
                    .command.contains(QStringLiteral("grep -F -- 192.168.42.1 |")));
    const QString keepalive = ReproduceCommands::forFinding(upstream, input).value(0).command;
    EXPECT_TRUE(keepalive.contains(QStringLiteral("ss -Htan dst 10.25.20.251:6601")));
    EXPECT_TRUE(keepalive.contains(QStringLiteral("nginx -T")));
    EXPECT_EQ(ReproduceCommands::forFinding(serverCloses, input).value(0).title,
              QStringLiteral("Finding: api closes"));
}

TEST(ReproduceCommands, HostileValuesStayLiteralInTheShell)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ReproduceInput input;
    input.topLocalEndpoints = {{ep("172.18.0.3", 8080), hostileName}};
    input.logSources = {hostilePath, QStringLiteral("container:") + hostileName};
    const QList<ReproduceCommand> commands = ReproduceCommands::build(input);

    const QString who = commandOf(commands, QStringLiteral("172.18.0.3:8080"));
    const QString calls = runWithStubs(dir, who);
    // docker inspect got the name as one argument; nsenter then ran ss.
    EXPECT_TRUE(
        calls.contains(QStringLiteral("docker\n[inspect]\n[--format]\n[{{.State.Pid}}]\n[") +
                       hostileName + QStringLiteral("]\n")))
        << calls.toStdString();
    EXPECT_TRUE(calls.contains(QStringLiteral("nsenter\n"))) << calls.toStdString();

    const QString fileLog = commandOf(commands, hostilePath);
    EXPECT_TRUE(runWithStubs(dir, fileLog)
                    .contains(QStringLiteral("tail\n[-n]\n[10000]\n[") + hostilePath +
                              QStringLiteral("]\n")));
    const QString containerLog = commandOf(commands, QStringLiteral("container x'"));
    EXPECT_TRUE(runWithStubs(dir, containerLog)
                    .contains(QStringLiteral("docker\n[logs]\n[--tail]\n[10000]\n[") + hostileName +
                              QStringLiteral("]\n")));

    for (const char *marker : {"PWNED", "PWNED2", "PWNED3", "PWNED4"})
        EXPECT_FALSE(QFile::exists(dir.filePath(QString::fromLatin1(marker)))) << marker;
}

TEST(ReproduceCommands, InvisibleCharactersAreLeftOut)
{
    ReproduceInput input;
    const QString sneaky = QStringLiteral("web\x1b[2Jnginx");
    input.topLocalEndpoints = {{ep("172.18.0.3", 8080), sneaky}};
    input.logSources = {QStringLiteral("/var/log/\u202etxt.log")};
    for (const ReproduceCommand &command : ReproduceCommands::build(input)) {
        EXPECT_FALSE(command.command.contains(sneaky));
        EXPECT_FALSE(command.command.contains(QChar(0x202e)));
    }
}
