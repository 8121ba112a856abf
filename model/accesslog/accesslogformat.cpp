#include "accesslogformat.h"

#include "../docker/dockerinventory.h"

namespace twbench {

namespace {

constexpr QLatin1StringView regexPrefix("regex:");

} // namespace

AccessLogFormat::AccessLogFormat(Kind kind)
    : m_kind(kind == Kind::Regex ? Kind::Auto : kind)
{}

std::optional<AccessLogFormat> AccessLogFormat::fromSpec(const QString &spec, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<AccessLogFormat> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    if (spec.startsWith(regexPrefix)) {
        const QString pattern = spec.mid(regexPrefix.size());
        if (pattern.isEmpty())
            return fail(tr("The access-log pattern after \"regex:\" is empty."));
        QRegularExpression regex(pattern);
        if (!regex.isValid()) {
            return fail(tr("The access-log pattern is not a valid regular expression: %1 "
                           "(at character %2).")
                            .arg(regex.errorString())
                            .arg(regex.patternErrorOffset() + 1));
        }
        const QStringList groups = regex.namedCaptureGroups();
        if (!groups.contains(u"client"))
            return fail(tr("The access-log pattern has no (?<client>…) group: without it, "
                           "requests cannot be attributed to a caller."));
        if (!groups.contains(u"path") && !groups.contains(u"request"))
            return fail(tr("The access-log pattern needs a (?<path>…) or a (?<request>…) group."));
        // Lines are matched many times a second on the worker thread.
        regex.optimize();
        AccessLogFormat format;
        format.m_kind = Kind::Regex;
        format.m_regex = std::move(regex);
        return format;
    }

    const QString name = spec.trimmed().toLower();
    if (name.isEmpty() || name == u"auto")
        return AccessLogFormat(Kind::Auto);
    if (name == u"combined")
        return AccessLogFormat(Kind::Combined);
    if (name == u"common")
        return AccessLogFormat(Kind::Common);
    return fail(tr("Unknown access-log format \"%1\": use auto, combined, common or "
                   "regex:<pattern>.")
                    .arg(safeDisplayText(spec, 40)));
}

QString AccessLogFormat::spec() const
{
    switch (m_kind) {
    case Kind::Auto:
        return QStringLiteral("auto");
    case Kind::Combined:
        return QStringLiteral("combined");
    case Kind::Common:
        return QStringLiteral("common");
    case Kind::Regex:
        return regexPrefix + m_regex.pattern();
    }
    return {};
}

} // namespace twbench
