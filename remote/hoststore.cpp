#include "hoststore.h"

#include <QSet>
#include <QSettings>
#include <QUuid>

namespace twbench {

namespace {

const QString groupKey = QStringLiteral("hosts");

// Stored as words, not enum numbers: a reordered enum must not turn an SSH host into a replay.
QString kindName(HostSpec::Kind kind)
{
    switch (kind) {
    case HostSpec::Kind::Local:
        return QStringLiteral("local");
    case HostSpec::Kind::Ssh:
        return QStringLiteral("ssh");
    case HostSpec::Kind::Replay:
        return QStringLiteral("replay");
    }
    return {};
}

std::optional<HostSpec::Kind> kindFromName(const QString &name)
{
    if (name == u"local")
        return HostSpec::Kind::Local;
    if (name == u"ssh")
        return HostSpec::Kind::Ssh;
    if (name == u"replay")
        return HostSpec::Kind::Replay;
    return std::nullopt;
}

QString loginName(HostSpec::LoginMethod login)
{
    switch (login) {
    case HostSpec::LoginMethod::Agent:
        return QStringLiteral("agent");
    case HostSpec::LoginMethod::IdentityFile:
        return QStringLiteral("identityFile");
    case HostSpec::LoginMethod::Password:
        return QStringLiteral("password");
    }
    return {};
}

HostSpec::LoginMethod loginFromName(const QString &name)
{
    if (name == u"identityFile")
        return HostSpec::LoginMethod::IdentityFile;
    if (name == u"password")
        return HostSpec::LoginMethod::Password;
    return HostSpec::LoginMethod::Agent;
}

// The sub-array of one host's log sources; kinds as words, as for hosts.
const QString logsKey = QStringLiteral("logs");
constexpr int maxLogSources = 1000; // read per host; sshd allows 10 channels a session anyway

std::optional<LogSourceSpec::Kind> logKindFromName(const QString &name)
{
    if (name == u"file")
        return LogSourceSpec::Kind::File;
    if (name == u"container")
        return LogSourceSpec::Kind::Container;
    return std::nullopt;
}

QString logKindName(LogSourceSpec::Kind kind)
{
    switch (kind) {
    case LogSourceSpec::Kind::File:
        return QStringLiteral("file");
    case LogSourceSpec::Kind::Container:
        return QStringLiteral("container");
    }
    return {};
}

int intValue(const QSettings &settings, const QString &key, int fallback)
{
    bool ok = false;
    const int value = settings.value(key).toInt(&ok);
    return ok ? value : fallback;
}

} // namespace

HostStore::HostStore()
    : m_settings(std::make_unique<QSettings>())
{}

HostStore::HostStore(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{}

HostStore::~HostStore() = default;

QString HostStore::fileName() const
{
    return m_settings->fileName();
}

QString HostStore::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QList<HostSpec> HostStore::load() const
{
    const HostSpec defaults;
    HostSpec local = HostSpec::localWorkstation();
    QList<HostSpec> remote;
    QSet<QString> ids{local.id};

    QSettings &s = *m_settings;
    const int count = qMin(s.beginReadArray(groupKey), maxHosts);
    for (int i = 0; i < count; ++i) {
        s.setArrayIndex(i);
        const std::optional<HostSpec::Kind> kind =
            kindFromName(s.value(QStringLiteral("kind")).toString());
        const QString id = s.value(QStringLiteral("id")).toString();
        if (!kind || id.trimmed().isEmpty())
            continue;
        HostSpec spec;
        spec.id = id;
        spec.kind = *kind;
        spec.displayName = s.value(QStringLiteral("displayName")).toString();
        spec.address = s.value(QStringLiteral("address")).toString();
        spec.port = intValue(s, QStringLiteral("port"), defaults.port);
        spec.user = s.value(QStringLiteral("user")).toString();
        spec.login = loginFromName(s.value(QStringLiteral("login")).toString());
        spec.identityFile = s.value(QStringLiteral("identityFile")).toString();
        spec.jumpHost = s.value(QStringLiteral("jumpHost")).toString();
        spec.proxyCommand = s.value(QStringLiteral("proxyCommand")).toString();
        spec.useSudo = s.value(QStringLiteral("useSudo"), defaults.useSudo).toBool();
        spec.dockerCommand =
            s.value(QStringLiteral("dockerCommand"), defaults.dockerCommand).toString();
        spec.useKeychain = s.value(QStringLiteral("useKeychain"), defaults.useKeychain).toBool();
        spec.counterIntervalSec =
            intValue(s, QStringLiteral("counterIntervalSec"), defaults.counterIntervalSec);
        spec.tableIntervalSec =
            intValue(s, QStringLiteral("tableIntervalSec"), defaults.tableIntervalSec);
        // Kept as written, even when invalid (like the hosts): the host dialog shows the problem.
        // Entries of an unknown kind are dropped; at most maxLogSources are read.
        const int logCount = qMin(s.beginReadArray(logsKey), maxLogSources);
        for (int j = 0; j < logCount; ++j) {
            s.setArrayIndex(j);
            const std::optional<LogSourceSpec::Kind> logKind =
                logKindFromName(s.value(QStringLiteral("kind")).toString());
            if (!logKind)
                continue;
            LogSourceSpec log;
            log.kind = *logKind;
            log.path = s.value(QStringLiteral("path")).toString();
            log.format = s.value(QStringLiteral("format"), log.format).toString();
            spec.logs.append(log);
        }
        s.endArray();

        if (spec.kind == HostSpec::Kind::Local) {
            // The one local entry keeps what the operator may change about it (name, sudo,
            // docker, intervals); its id and kind are fixed.
            if (spec.id == local.id) {
                spec.address.clear();
                if (spec.displayName.trimmed().isEmpty())
                    spec.displayName = local.displayName;
                local = spec;
            }
            continue;
        }
        if (ids.contains(spec.id))
            continue;
        ids.insert(spec.id);
        // Kept even when invalid: the operator fixes it in the host dialog instead of losing it.
        remote.append(spec);
    }
    s.endArray();
    remote.prepend(local);
    return remote;
}

void HostStore::save(const QList<HostSpec> &hosts)
{
    QList<HostSpec> ordered;
    for (const HostSpec &spec : hosts) {
        if (spec.kind == HostSpec::Kind::Local)
            ordered.prepend(spec);
        else
            ordered.append(spec);
    }
    QSettings &s = *m_settings;
    // Removed first, so a shorter list leaves no stale entries behind.
    s.remove(groupKey);
    s.beginWriteArray(groupKey, int(ordered.size()));
    for (int i = 0; i < ordered.size(); ++i) {
        const HostSpec &spec = ordered[i];
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("id"), spec.id);
        s.setValue(QStringLiteral("kind"), kindName(spec.kind));
        // The local entry's default name is stored empty: it is translated, and must follow the
        // language the operator chooses later rather than the one it was first saved in.
        const bool defaultLocalName = spec.kind == HostSpec::Kind::Local &&
                                      spec.displayName == HostSpec::localWorkstation().displayName;
        s.setValue(QStringLiteral("displayName"), defaultLocalName ? QString() : spec.displayName);
        s.setValue(QStringLiteral("address"), spec.address);
        s.setValue(QStringLiteral("port"), spec.port);
        s.setValue(QStringLiteral("user"), spec.user);
        s.setValue(QStringLiteral("login"), loginName(spec.login));
        s.setValue(QStringLiteral("identityFile"), spec.identityFile);
        s.setValue(QStringLiteral("jumpHost"), spec.jumpHost);
        s.setValue(QStringLiteral("proxyCommand"), spec.proxyCommand);
        s.setValue(QStringLiteral("useSudo"), spec.useSudo);
        s.setValue(QStringLiteral("dockerCommand"), spec.dockerCommand);
        s.setValue(QStringLiteral("useKeychain"), spec.useKeychain);
        s.setValue(QStringLiteral("counterIntervalSec"), spec.counterIntervalSec);
        s.setValue(QStringLiteral("tableIntervalSec"), spec.tableIntervalSec);
        s.beginWriteArray(logsKey, int(spec.logs.size()));
        for (int j = 0; j < spec.logs.size(); ++j) {
            const LogSourceSpec &log = spec.logs[j];
            s.setArrayIndex(j);
            s.setValue(QStringLiteral("kind"), logKindName(log.kind));
            s.setValue(QStringLiteral("path"), log.path);
            s.setValue(QStringLiteral("format"), log.format);
        }
        s.endArray();
    }
    s.endArray();
    s.sync();
}

} // namespace twbench
