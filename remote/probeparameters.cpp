#include "probeparameters.h"

#include "hostspec.h"

#include <QFile>

#include <algorithm>

namespace twbench {

ProbeParameters ProbeParameters::fromSpec(const HostSpec &spec)
{
    ProbeParameters parameters;
    parameters.counterIntervalSec = spec.counterIntervalSec;
    parameters.tableIntervalSec = spec.tableIntervalSec;
    return parameters;
}

QStringList ProbeParameters::arguments() const
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
    }
    return {clampSec(counterIntervalSec), clampSec(tableIntervalSec),
            QString::number(std::max(maxSamples, 0)), source,
            clampSec(std::max(tableMaxIntervalSec, tableIntervalSec))};
}

QByteArray probeScript()
{
    QFile file(QStringLiteral(":/twbench/probe.sh"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace twbench
