#pragma once

#include "remote/hostspec.h"
#include "remote/logsourcespec.h"
#include "remote/sshtransport.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace twbench {

// The exit codes of `twbench diagnose` (README, "Headless: twbench diagnose"). Every code but
// Ok comes with one line on stderr that says why.
enum class DiagnoseExit : int {
    Ok = 0,             // the JSON was written, whether or not it holds findings
    OutputFailed = 1,   // the JSON could not be written
    BadArguments = 2,   // a usage error: nothing was started
    Unreachable = 3,    // no connection, no answer in time, or the probe could not run there
    HostKeyRefused = 4, // unknown (without --accept-new-host-key), changed, or revoked key
    LoginFailed = 5,    // the server refused every login method this run may use
};

// What `twbench diagnose` was asked to do, resolved and checked.
struct DiagnoseArguments
{
    HostSpec host;    // ready for a Fleet: valid, logs included
    QString hostName; // what the report and the messages call it
    SshOptions ssh;   // headless
    int durationSec = 30;
    int connectTimeoutSec = 15;
    QString jsonPath; // "-": standard output
    QString savePath; // --save: a capture file of the run; empty: none
    bool quiet = false;

    static constexpr int defaultDurationSec = 30;
    static constexpr int maxDurationSec = 24 * 60 * 60;
    static constexpr int defaultConnectTimeoutSec = 15;
    static constexpr int maxConnectTimeoutSec = 600;
};

// `twbench diagnose`: watches one host for a while, headless, and writes what the workbench
// would conclude as JSON. It collects with a Fleet (one HostWorker in its own thread, SSH with
// SshOptions::headless) into a Timeline, an AccessLogStats and the newest table, docker
// inventory and namespaces; then builds the Attribution and Topology of that table, runs
// diagnose() and writes diagnosisJson() atomically. It never asks anything and never waits
// longer than the connect timeout for the first sample plus the duration after it.
class DiagnoseCommand final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::DiagnoseCommand)

public:
    enum class ParseResult : std::uint8_t { Ok, Help, Error };

    // `arguments` are those after "diagnose". `savedHosts` are the GUI's (HostStore) for
    // names. On Error, *error is one line.
    static ParseResult parse(const QStringList &arguments, const QList<HostSpec> &savedHosts,
                             DiagnoseArguments *out, QString *error);

    // SPEC: "local"; else the id or name of a saved host; else [user@]host[:port] (an IPv6
    // address in brackets when a port follows: [2001:db8::1]:22). nullopt and *error when it is
    // none of them.
    static std::optional<HostSpec> parseHost(const QString &text, const QList<HostSpec> &saved,
                                             QString *error);
    // PATH[:FORMAT] or container:NAME[:FORMAT]. The format is the part after the first
    // ":regex:" (a pattern may hold ':'), else the word after the last ':' when it is auto,
    // combined or common; else there is none (auto) and the whole text is the path, ':'s
    // included. nullopt and *error when the source or format is not valid.
    static std::optional<LogSourceSpec> parseLog(const QString &text, QString *error);

    static QString usage();

    // Runs the command to its end in a local event loop (a QCoreApplication must exist);
    // progress and the reason of a failure go to stderr. Returns a DiagnoseExit.
    static int run(const DiagnoseArguments &arguments);

    // `twbench diagnose ARGS…` from start to end: parse, run, exit code.
    static int main(const QStringList &arguments);
};

} // namespace twbench
