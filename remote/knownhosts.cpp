#include "knownhosts.h"

#include "homepath.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

#include <QSaveFile>
#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twbench {

namespace {

// Texts of free functions carry their context through this class: lupdate reads
// KnownHostsText::tr("…") calls, where a free KnownHostsText::tr() wrapper would hide the texts
// from it.
struct KnownHostsText
{
    Q_DECLARE_TR_FUNCTIONS(KnownHosts)
};

// Reads the SSH wire format's length-prefixed strings and mpints.
class BlobReader
{
public:
    explicit BlobReader(const QByteArray &blob)
        : m_blob(blob)
    {}

    std::optional<QByteArray> string()
    {
        if (m_blob.size() - m_pos < 4)
            return std::nullopt;
        const auto *p = reinterpret_cast<const unsigned char *>(m_blob.constData() + m_pos);
        const quint32 length =
            (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
        if (qsizetype(length) > m_blob.size() - m_pos - 4)
            return std::nullopt;
        QByteArray value = m_blob.mid(m_pos + 4, qsizetype(length));
        m_pos += 4 + qsizetype(length);
        return value;
    }

private:
    const QByteArray &m_blob;
    qsizetype m_pos = 0;
};

// Bits of an unsigned big-endian mpint, as OpenSSL's BN_num_bits() counts them.
int mpintBits(const QByteArray &value)
{
    qsizetype i = 0;
    while (i < value.size() && value.at(i) == 0)
        ++i;
    if (i == value.size())
        return 0;
    int top = 0;
    for (auto byte = static_cast<unsigned char>(value.at(i)); byte != 0; byte >>= 1)
        ++top;
    return int(value.size() - i - 1) * 8 + top;
}

struct Line
{
    enum class Marker : std::uint8_t { None, Revoked, CertAuthority };
    Marker marker = Marker::None;
    QString hosts;
    QString type;
    QByteArray base64;
};

// nullopt for comments, blank lines and lines OpenSSH would also skip.
std::optional<Line> parseLine(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(u'#'))
        return std::nullopt;
    static const QRegularExpression blanks(QStringLiteral("[ \\t]+"));
    QStringList fields = trimmed.split(blanks);
    Line line;
    if (fields.constFirst().startsWith(u'@')) {
        const QString marker = fields.takeFirst();
        if (marker == QLatin1String("@revoked"))
            line.marker = Line::Marker::Revoked;
        else if (marker == QLatin1String("@cert-authority"))
            line.marker = Line::Marker::CertAuthority;
        else
            return std::nullopt;
    }
    if (fields.size() < 3)
        return std::nullopt;
    line.hosts = fields.at(0);
    line.type = fields.at(1);
    line.base64 = fields.at(2).toLatin1();
    return line;
}

bool nameMatches(const QString &name, const QString &hosts)
{
    if (hosts.startsWith(u'|'))
        return KnownHosts::matchHashed(name, hosts);
    return KnownHosts::matchHostList(name, hosts) == 1;
}

QStringList readLines(const QString &path, bool *exists = nullptr)
{
    QFile file(path);
    if (exists)
        *exists = file.exists();
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // A known_hosts file is small; a huge one is not read whole.
    // Read what is there, up to the cap: asking for the cap allocated 64 MiB on every check.
    const QByteArray data = file.read(std::min<qint64>(file.size(), 64 * 1024 * 1024));
    QStringList lines = QString::fromUtf8(data).split(u'\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

std::optional<PublicKey> PublicKey::fromBlob(const QByteArray &blob)
{
    BlobReader reader(blob);
    const std::optional<QByteArray> type = reader.string();
    if (!type || type->isEmpty())
        return std::nullopt;
    PublicKey key;
    key.type = QString::fromLatin1(*type);
    key.blob = blob;
    if (*type == "ssh-ed25519" || *type == "sk-ssh-ed25519@openssh.com") {
        key.bits = 256;
    } else if (type->startsWith("ecdsa-sha2-") || *type == "sk-ecdsa-sha2-nistp256@openssh.com") {
        const std::optional<QByteArray> curve = reader.string();
        if (!curve)
            return std::nullopt;
        key.bits = *curve == "nistp521" ? 521 : *curve == "nistp384" ? 384 : 256;
    } else if (*type == "ssh-rsa") {
        const std::optional<QByteArray> exponent = reader.string();
        const std::optional<QByteArray> modulus = reader.string();
        if (!exponent || !modulus)
            return std::nullopt;
        key.bits = mpintBits(*modulus);
    } else if (*type == "ssh-dss") {
        const std::optional<QByteArray> p = reader.string();
        if (!p)
            return std::nullopt;
        key.bits = mpintBits(*p);
    }
    key.fingerprint = QStringLiteral("SHA256:") +
                      QString::fromLatin1(QCryptographicHash::hash(blob, QCryptographicHash::Sha256)
                                              .toBase64(QByteArray::OmitTrailingEquals));
    return key;
}

std::optional<PublicKey> PublicKey::fromBase64(QByteArrayView base64)
{
    const auto decoded = QByteArray::fromBase64Encoding(base64.toByteArray(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return fromBlob(*decoded);
}

KnownHosts::KnownHosts(QString userFile, QStringList globalFiles)
    : m_userFile(userFile.isEmpty() ? defaultUserFile() : expandHome(userFile))
    , m_globalFiles(globalFiles.isEmpty() ? defaultGlobalFiles() : std::move(globalFiles))
{}

QString KnownHosts::defaultUserFile()
{
    return QDir::homePath() + QStringLiteral("/.ssh/known_hosts");
}

QStringList KnownHosts::defaultGlobalFiles()
{
    return {QStringLiteral("/etc/ssh/ssh_known_hosts")};
}

QString KnownHosts::hostName(const QString &host, int port)
{
    const QString lower = host.toLower();
    if (port == 22)
        return lower;
    return u'[' + lower + QStringLiteral("]:") + QString::number(port);
}

KnownHosts::Verdict KnownHosts::check(const QString &host, int port, const PublicKey &key) const
{
    const QString name = hostName(host, port);
    std::optional<Verdict> known;
    std::optional<Verdict> changed;
    std::optional<Verdict> otherType;
    QStringList files{m_userFile};
    files += m_globalFiles;
    for (const QString &path : files) {
        const QStringList lines = readLines(path);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const std::optional<Line> line = parseLine(lines.at(i));
            if (!line || line->marker == Line::Marker::CertAuthority)
                continue;
            if (!nameMatches(name, line->hosts))
                continue;
            const std::optional<PublicKey> lineKey = PublicKey::fromBase64(line->base64);
            // The type field must agree with the blob, as OpenSSH's parser demands.
            if (!lineKey || lineKey->type != line->type)
                continue;
            const Verdict here{HostKeyVerdict::Unknown, path, int(i + 1), lines.at(i)};
            if (line->marker == Line::Marker::Revoked) {
                if (*lineKey == key)
                    return Verdict{HostKeyVerdict::Revoked, path, int(i + 1), lines.at(i)};
                continue;
            }
            if (lineKey->type == key.type) {
                if (*lineKey == key) {
                    if (!known)
                        known = Verdict{HostKeyVerdict::Known, here.file, here.line, here.lineText};
                } else if (!changed) {
                    changed = Verdict{HostKeyVerdict::Changed, here.file, here.line, here.lineText};
                }
            } else if (!otherType) {
                otherType = Verdict{HostKeyVerdict::OtherType, here.file, here.line, here.lineText};
            }
        }
    }
    // Revocations were looked for in every file before a Known line is believed.
    if (known)
        return *known;
    if (changed)
        return *changed;
    if (otherType)
        return *otherType;
    return Verdict{HostKeyVerdict::Unknown, m_userFile, 0, {}};
}

QStringList KnownHosts::knownKeyTypes(const QString &host, int port) const
{
    const QString name = hostName(host, port);
    QStringList types;
    QStringList files{m_userFile};
    files += m_globalFiles;
    for (const QString &path : files) {
        for (const QString &text : readLines(path)) {
            const std::optional<Line> line = parseLine(text);
            if (!line || line->marker != Line::Marker::None || types.contains(line->type))
                continue;
            if (nameMatches(name, line->hosts))
                types.append(line->type);
        }
    }
    return types;
}

QString KnownHosts::entryLine(const QString &host, int port, const PublicKey &key)
{
    return hostName(host, port) + u' ' + key.type + u' ' + QString::fromLatin1(key.base64());
}

QString KnownHosts::append(const QString &host, int port, const PublicKey &key) const
{
    const QFileInfo info(m_userFile);
    const QString dir = info.absolutePath();
    if (!QFileInfo::exists(dir)) {
        // Like ssh: the directory that holds keys is the owner's only.
        if (::mkdir(QFile::encodeName(dir).constData(), 0700) != 0 && errno != EEXIST)
            return KnownHostsText::tr("Could not create %1: %2")
                .arg(dir, QString::fromLocal8Bit(std::strerror(errno)));
    }
    const int fd = ::open(QFile::encodeName(m_userFile).constData(),
                          O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return KnownHostsText::tr("Could not open %1: %2")
            .arg(m_userFile, QString::fromLocal8Bit(std::strerror(errno)));
    QByteArray text = entryLine(host, port, key).toUtf8() + '\n';
    // A file whose last line has no newline would glue our line to it.
    struct stat st
    {
    };
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
            text.prepend('\n');
    }
    // One write: O_APPEND puts it whole at the end even if ssh appends at the same time.
    const ssize_t written = ::write(fd, text.constData(), size_t(text.size()));
    const int writeErrno = errno;
    const bool closed = ::close(fd) == 0;
    if (written != ssize_t(text.size()) || !closed)
        return KnownHostsText::tr("Could not write %1: %2")
            .arg(m_userFile, QString::fromLocal8Bit(std::strerror(written < 0 ? writeErrno : EIO)));
    return {};
}

KnownHosts::Removal KnownHosts::removeHost(const QString &host, int port) const
{
    Removal removal;
    const QString name = hostName(host, port);
    bool exists = false;
    const QStringList lines = readLines(m_userFile, &exists);
    if (!exists)
        return removal;
    QStringList kept;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &text = lines.at(i);
        const std::optional<Line> line = parseLine(text);
        if (!line || line->marker != Line::Marker::None || !nameMatches(name, line->hosts)) {
            kept.append(text);
            continue;
        }
        if (line->hosts.startsWith(u'|')) {
            ++removal.removedNames;
            continue;
        }
        // Only the literal name goes; other names of the line stay with their key.
        QStringList patterns = line->hosts.split(u',');
        const qsizetype before = patterns.size();
        patterns.removeIf([&name](const QString &pattern) {
            return pattern.compare(name, Qt::CaseInsensitive) == 0;
        });
        removal.removedNames += int(before - patterns.size());
        const bool anyPositive = std::any_of(patterns.cbegin(), patterns.cend(),
                                             [](const QString &p) { return !p.startsWith(u'!'); });
        if (!anyPositive)
            continue;
        QString rewritten = text;
        if (patterns.size() != before) {
            const qsizetype at = text.indexOf(line->hosts);
            rewritten.replace(at, line->hosts.size(), patterns.join(u','));
        }
        if (matchHostList(name, patterns.join(u',')) == 1)
            removal.leftLines.append(int(i + 1));
        kept.append(rewritten);
    }
    if (removal.removedNames == 0)
        return removal;

    const QFile::Permissions permissions = QFileInfo(m_userFile).permissions();
    QSaveFile file(m_userFile);
    if (!file.open(QIODevice::WriteOnly)) {
        removal.error =
            KnownHostsText::tr("Could not rewrite %1: %2").arg(m_userFile, file.errorString());
        return removal;
    }
    file.setPermissions(permissions);
    for (const QString &text : kept)
        file.write(text.toUtf8() + '\n');
    if (!file.commit())
        removal.error =
            KnownHostsText::tr("Could not rewrite %1: %2").arg(m_userFile, file.errorString());
    return removal;
}

int KnownHosts::matchHostList(const QString &name, const QString &patterns)
{
    int result = 0;
    for (const QString &entry : patterns.split(u',')) {
        const bool negated = entry.startsWith(u'!');
        const QString pattern = (negated ? entry.mid(1) : entry).toLower();
        if (pattern.isEmpty() || !matchPattern(name, pattern))
            continue;
        if (negated)
            return -1; // a negated match wins over any positive one
        result = 1;
    }
    return result;
}

bool KnownHosts::matchPattern(QStringView name, QStringView pattern)
{
    // Iterative glob with one backtrack point: linear enough for host names.
    qsizetype n = 0;
    qsizetype p = 0;
    qsizetype starP = -1;
    qsizetype starN = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == name[n])) {
            ++n;
            ++p;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starP = p++;
            starN = n;
        } else if (starP >= 0) {
            p = starP + 1;
            n = ++starN;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

bool KnownHosts::matchHashed(const QString &name, QStringView hashed)
{
    // "|1|" base64(salt) "|" base64(HMAC-SHA1(key = salt, name))
    const QList<QStringView> parts = hashed.split(u'|');
    if (parts.size() != 4 || !parts.at(0).isEmpty() || parts.at(1) != u"1")
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
    const QByteArray expected = QByteArray::fromBase64(parts.at(3).toLatin1());
    if (salt.size() != 20 || expected.size() != 20)
        return false;
    const QByteArray mac =
        QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1);
    return mac == expected;
}

QString openSshKeyName(const QString &keyType)
{
    if (keyType.contains(QLatin1String("ed25519")))
        return QStringLiteral("ED25519");
    if (keyType.startsWith(QLatin1String("ecdsa")))
        return QStringLiteral("ECDSA");
    if (keyType.contains(QLatin1String("rsa")))
        return QStringLiteral("RSA");
    if (keyType.contains(QLatin1String("dss")))
        return QStringLiteral("DSA");
    QString name;
    for (const QChar c : keyType.left(64)) {
        if (c.isLetterOrNumber() || c == u'-' || c == u'@' || c == u'.')
            name += c.toUpper();
    }
    return name;
}

} // namespace twbench
