#include "probeparameters.h"

#include "hostspec.h"
#include "shellquote.h"

#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace twbench {

ProbeParameters ProbeParameters::fromSpec(const HostSpec &spec)
{
    ProbeParameters parameters;
    parameters.counterIntervalSec = spec.counterIntervalSec;
    parameters.tableIntervalSec = spec.tableIntervalSec;
    parameters.dockerCommand =
        spec.dockerCommand.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    parameters.useSudo = spec.useSudo;
    return parameters;
}

QStringList ProbeParameters::arguments(Privilege privilege) const
{
    // The probe clamps bad values itself; clamping here keeps the words short and positive.
    const auto clampSec = [](int value) {
        return QString::number(std::clamp(value, 1, 3600));
    };
    QString source;
    switch (tableSource) {
    case TableSource::Auto:
        source = QStringLiteral("auto");
        break;
    case TableSource::Ss:
        source = QStringLiteral("ss");
        break;
    case TableSource::Proc:
        source = QStringLiteral("proc");
        break;
    case TableSource::Fold:
        source = QStringLiteral("fold");
        break;
    }
    QString how;
    switch (privilege) {
    case Privilege::User:
        how = QStringLiteral("user");
        break;
    case Privilege::Sudo:
        how = QStringLiteral("sudo");
        break;
    case Privilege::SudoFailed:
        how = QStringLiteral("sudo-failed");
        break;
    }
    // Without a docker command the inventory is off: the probe would otherwise take its default.
    const bool docker = dockerIntervalSec > 0 && !dockerCommand.isEmpty();
    QStringList words{clampSec(counterIntervalSec),
                      clampSec(tableIntervalSec),
                      QString::number(std::max(maxSamples, 0)),
                      source,
                      clampSec(std::max(tableMaxIntervalSec, tableIntervalSec)),
                      docker ? clampSec(dockerIntervalSec) : QStringLiteral("0"),
                      how};
    if (docker)
        words += dockerCommand;
    return words;
}

QString ProbeParameters::error() const
{
    if (dockerIntervalSec <= 0)
        return {};
    for (const QString &word : dockerCommand) {
        const QString why = shell::plainWordError(word);
        if (!why.isEmpty())
            return tr("The docker command \"%1\" cannot be sent to the host: %2")
                .arg(dockerCommand.join(QLatin1Char(' ')), why);
    }
    return {};
}

QByteArray probeScript()
{
    QFile file(QStringLiteral(":/twbench/probe.sh"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace twbench
