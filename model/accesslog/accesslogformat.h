#pragma once

#include <QCoreApplication>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace twbench {

// How the lines of one access log are laid out, as the operator names it in a log source:
//   "auto"            combined or common, decided per line (the default)
//   "combined"        nginx's and Apache's combined:
//                     $remote_addr - $remote_user [$time_local] "$request" $status
//                     $body_bytes_sent "$http_referer" "$http_user_agent"
//                     Fields after the user agent are ignored (nginx's "main" format adds
//                     "$http_x_forwarded_for"); a line without referer and user agent is rejected.
//   "common"          Apache's common log format, nginx's without the two quoted trailers;
//                     a line with more fields is rejected, so a combined log read as common
//                     shows up as rejected lines rather than as quietly wrong counts.
//   "regex:<pattern>" any other layout: a QRegularExpression with named groups `client`,
//                     `path` (the request target) or `request` (the whole "GET /x HTTP/1.1"),
//                     and optionally `method`, `status` and `time` ($time_local or ISO 8601).
// A value type: cheap to copy, safe to hand to another thread.
class AccessLogFormat final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::AccessLogFormat)

public:
    enum class Kind { Auto, Combined, Common, Regex };

    AccessLogFormat() = default;         // Auto
    explicit AccessLogFormat(Kind kind); // Auto, Combined or Common; Regex needs fromSpec()

    // The format a spec names, or nullopt with a translated reason in *error (when given):
    // an unknown name, an invalid pattern (with the offset of the mistake), or a pattern
    // without the `client` group or without both `path` and `request`.
    static std::optional<AccessLogFormat> fromSpec(const QString &spec, QString *error = nullptr);

    // What fromSpec() reads back: "auto", "combined", "common" or "regex:<pattern>".
    QString spec() const;
    Kind kind() const { return m_kind; }
    // Only for Kind::Regex; an empty, invalid expression otherwise.
    const QRegularExpression &regex() const { return m_regex; }

    friend bool operator==(const AccessLogFormat &a, const AccessLogFormat &b)
    {
        return a.m_kind == b.m_kind && a.m_regex.pattern() == b.m_regex.pattern();
    }

private:
    Kind m_kind = Kind::Auto;
    QRegularExpression m_regex; // Kind::Regex only
};

} // namespace twbench
