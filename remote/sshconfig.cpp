#include "sshconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <optional>
#include <vector>

namespace twbench {

namespace {

// Texts of free functions carry their context through this class: lupdate reads
// SshConfigText::tr("…") calls, where a free SshConfigText::tr() wrapper would hide the texts from
// it.
struct SshConfigText
{
    Q_DECLARE_TR_FUNCTIONS(SshConfig)
};

struct Pattern
{
    QString text; // lower case, without the leading '!'
    bool negated = false;
};

// One meaningful line of one file.
struct Entry
{
    enum class Type : std::uint8_t { Option, Host, Match, Include };
    Type type = Type::Option;
    int line = 0;
    QString keyword; // lower case
    QString value;   // the first argument, unquoted; ProxyCommand: the rest of the line
    int port = 0;    // Port, validated when parsed

    // Host: which aliases a line names literally is kept per alias (Parser::m_literalHits), so
    // evaluating one alias costs a few steps per line, however many names a line has and
    // however many aliases the file has. Only patterns with wildcards are matched one by one.
    int hostSerial = -1; // Host lines numbered in evaluation order
    QSet<QString> negatedLiterals;
    std::vector<Pattern> wildcards;

    std::vector<int> includes; // Include: indices of the parsed documents, in glob order
};

struct Document
{
    QString file;
    std::vector<Entry> entries;
};

struct Alias
{
    QString name;
    QString file;
    int line = 0;
};

// The values twbench reads, first one wins.
struct Values
{
    std::optional<QString> hostName;
    std::optional<QString> user;
    std::optional<int> port;
    std::optional<QString> identityFile;
    std::optional<QString> proxyJump;
    std::optional<QString> proxyCommand;
};

bool hasWildcard(QStringView pattern)
{
    return pattern.contains(u'*') || pattern.contains(u'?');
}

// Glob match with '*' and '?' only (as OpenSSH's match_pattern). Greedy with one backtrack
// point: linear in practice and never exponential, whatever the pattern.
bool wildcardMatch(QStringView text, QStringView pattern)
{
    qsizetype t = 0;
    qsizetype p = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

bool hostMatches(const Entry &entry, const QString &lowerAlias, bool literalHit)
{
    if (!entry.negatedLiterals.isEmpty() && entry.negatedLiterals.contains(lowerAlias))
        return false;
    bool positive = literalHit;
    for (const Pattern &pattern : entry.wildcards) {
        if (!wildcardMatch(lowerAlias, pattern.text))
            continue;
        if (pattern.negated)
            return false;
        positive = true;
    }
    return positive;
}

// The tokens twbench can expand in IdentityFile; HostName takes only %h and %%.
constexpr QStringView identityTokens = u"duhrnp%";
constexpr QStringView hostNameTokens = u"h%";

// The first unknown token's letter, or a null QChar when every '%' is followed by a known one.
std::optional<QChar> unknownToken(QStringView text, QStringView known)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'%')
            continue;
        if (i + 1 >= text.size())
            return QChar(u'%');
        if (!known.contains(text[i + 1]))
            return text[i + 1];
        ++i;
    }
    return std::nullopt;
}

class Parser
{
public:
    Parser(const SshConfigContext &context, const SshIncludeReader &reader)
        : m_context(context)
        , m_reader(reader)
    {}

    SshConfigResult run(const QByteArray &text, const QString &fileName);

private:
    int parseDocument(const QByteArray &text, const QString &fileName, int depth);
    void parseLine(QByteArrayView bytes, int lineNo, Document &doc, int depth);
    void parseHostLine(const QStringList &args, Entry &entry, const QString &file);
    void parseInclude(const QStringList &args, Entry &entry, const QString &file, int lineNo,
                      int depth);
    void evaluate(int docIndex, const QString &lowerAlias, const std::vector<int> &literalHits,
                  bool active, bool neverMatch, Values &values) const;
    HostSpec makeSpec(const Alias &alias, const Values &values) const;
    QString expand(const QString &text, const QString &alias, const QString &hostName,
                   const QString &remoteUser, int port) const;
    void warn(const QString &file, int line, const QString &message);

    const SshConfigContext &m_context;
    const SshIncludeReader &m_reader;
    std::vector<Document> m_documents; // [0] is the top file
    std::vector<Alias> m_aliases;
    QSet<QString> m_aliasSet; // lower case
    // Lower-case name -> the serials of the Host lines that name it literally, ascending.
    QHash<QString, std::vector<int>> m_literalHits;
    int m_hostSerials = 0;
    QList<SshConfigWarning> m_warnings;
    int m_droppedWarnings = 0;
    qsizetype m_totalBytes = 0;
    bool m_tooManyHosts = false;
};

void Parser::warn(const QString &file, int line, const QString &message)
{
    if (m_warnings.size() >= SshConfigLimits::maxWarnings) {
        ++m_droppedWarnings;
        return;
    }
    m_warnings.append({file, line, message});
}

// Splits the arguments as OpenSSH's argv_split() does: whitespace separates, double quotes
// group, an unquoted '#' at the start of a word starts a comment. nullopt: unbalanced quotes.
std::optional<QStringList> splitArguments(QStringView text)
{
    QStringList args;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == u' ' || text[i] == u'\t'))
            ++i;
        if (i >= text.size() || text[i] == u'#')
            break;
        QString word;
        bool quoted = false;
        while (i < text.size()) {
            const QChar c = text[i];
            if (c == u'"') {
                quoted = !quoted;
            } else if (!quoted && (c == u' ' || c == u'\t')) {
                break;
            } else if (c == u'\\' && i + 1 < text.size() &&
                       (text[i + 1] == u'"' || text[i + 1] == u'\\')) {
                word += text[++i];
            } else {
                word += c;
            }
            ++i;
        }
        if (quoted)
            return std::nullopt;
        args.append(word);
    }
    return args;
}

void Parser::parseLine(QByteArrayView bytes, int lineNo, Document &doc, int depth)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    if (bytes.size() > SshConfigLimits::maxLineBytes) {
        warn(doc.file, lineNo,
             SshConfigText::tr("The line is longer than %1 bytes; it was skipped.")
                 .arg(SshConfigLimits::maxLineBytes));
        return;
    }
    for (const char byte : bytes) {
        const auto c = static_cast<unsigned char>(byte);
        if (c == 0) {
            warn(doc.file, lineNo,
                 SshConfigText::tr("The line contains a NUL byte; it was skipped."));
            return;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            warn(doc.file, lineNo,
                 SshConfigText::tr("The line contains control characters; it was skipped."));
            return;
        }
    }
    const QString line = QString::fromUtf8(bytes).trimmed();
    if (line.isEmpty() || line.startsWith(u'#'))
        return;

    // keyword [=] arguments
    qsizetype k = 0;
    while (k < line.size() && line[k] != u' ' && line[k] != u'\t' && line[k] != u'=')
        ++k;
    const QString keyword = line.left(k).toLower();
    QStringView rest = QStringView(line).mid(k).trimmed();
    if (rest.startsWith(u'='))
        rest = rest.mid(1).trimmed();

    Entry entry;
    entry.line = lineNo;
    entry.keyword = keyword;

    if (keyword == u"proxycommand") {
        // OpenSSH hands the rest of the line to the shell as it is.
        if (rest.isEmpty()) {
            warn(doc.file, lineNo,
                 SshConfigText::tr("ProxyCommand has no value; the line was skipped."));
            return;
        }
        entry.value = rest.toString();
        doc.entries.push_back(std::move(entry));
        return;
    }

    const std::optional<QStringList> args = splitArguments(rest);
    if (!args) {
        warn(doc.file, lineNo, SshConfigText::tr("Unbalanced quotes; the line was skipped."));
        return;
    }
    if (args->isEmpty()) {
        warn(doc.file, lineNo,
             SshConfigText::tr("\"%1\" has no value; the line was skipped.").arg(keyword));
        return;
    }

    if (keyword == u"host") {
        entry.type = Entry::Type::Host;
        entry.hostSerial = m_hostSerials++;
        parseHostLine(*args, entry, doc.file);
    } else if (keyword == u"match") {
        entry.type = Entry::Type::Match;
        warn(doc.file, lineNo,
             SshConfigText::tr(
                 "Match blocks are not evaluated; the options under this one were skipped."));
    } else if (keyword == u"include") {
        entry.type = Entry::Type::Include;
        parseInclude(*args, entry, doc.file, lineNo, depth);
    } else if (keyword == u"port") {
        bool ok = false;
        const int port = args->first().toInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            warn(doc.file, lineNo,
                 SshConfigText::tr(
                     "Port must be a number between 1 and 65535; the line was skipped."));
            return;
        }
        entry.port = port;
    } else if (keyword == u"hostname" || keyword == u"identityfile") {
        const QStringView known = keyword == u"hostname" ? hostNameTokens : identityTokens;
        if (const std::optional<QChar> bad = unknownToken(args->first(), known)) {
            warn(doc.file, lineNo,
                 SshConfigText::tr("twbench cannot expand the token \"%%1\"; the line was skipped.")
                     .arg(*bad));
            return;
        }
        entry.value = args->first();
    } else if (keyword == u"user" || keyword == u"proxyjump") {
        entry.value = args->first();
    } else {
        return; // an option twbench does not use
    }
    doc.entries.push_back(std::move(entry));
}

void Parser::parseHostLine(const QStringList &args, Entry &entry, const QString &file)
{
    for (const QString &arg : args) {
        const bool negated = arg.startsWith(u'!');
        const QString pattern = (negated ? arg.mid(1) : arg).toLower();
        if (hasWildcard(pattern)) {
            entry.wildcards.push_back({pattern, negated});
            continue;
        }
        if (negated) {
            entry.negatedLiterals.insert(pattern);
            continue;
        }
        std::vector<int> &hits = m_literalHits[pattern];
        if (hits.empty() || hits.back() != entry.hostSerial)
            hits.push_back(entry.hostSerial);
        if (pattern.isEmpty() || m_aliasSet.contains(pattern))
            continue;
        if (int(m_aliases.size()) >= SshConfigLimits::maxHosts) {
            if (!m_tooManyHosts)
                warn(file, entry.line,
                     SshConfigText::tr("More than %1 host aliases; the rest were not imported.")
                         .arg(SshConfigLimits::maxHosts));
            m_tooManyHosts = true;
            continue;
        }
        m_aliasSet.insert(pattern);
        m_aliases.push_back({arg, file, entry.line});
    }
}

void Parser::parseInclude(const QStringList &args, Entry &entry, const QString &file, int lineNo,
                          int depth)
{
    if (depth + 1 > SshConfigLimits::maxIncludeDepth) {
        warn(file, lineNo,
             SshConfigText::tr(
                 "Includes nest deeper than %1 levels (a loop?); this one was skipped.")
                 .arg(SshConfigLimits::maxIncludeDepth));
        return;
    }
    if (!m_reader) {
        warn(file, lineNo,
             SshConfigText::tr("Include is not followed here; the line was skipped."));
        return;
    }
    for (const QString &arg : args) {
        // Relative to ~/.ssh, as for the user's own configuration file.
        QString pattern = arg;
        if (pattern == u"~" || pattern.startsWith(QStringLiteral("~/")))
            pattern = m_context.homeDir + pattern.mid(1);
        else if (!QDir::isAbsolutePath(pattern))
            pattern = m_context.homeDir + QStringLiteral("/.ssh/") + pattern;
        const QList<SshConfigFile> files = m_reader(pattern);
        for (const SshConfigFile &included : files) {
            if (m_totalBytes + included.text.size() > SshConfigLimits::maxTotalBytes) {
                warn(file, lineNo,
                     SshConfigText::tr(
                         "The included file %1 was skipped: the configuration is too large.")
                         .arg(included.path));
                continue;
            }
            entry.includes.push_back(parseDocument(included.text, included.path, depth + 1));
        }
    }
}

int Parser::parseDocument(const QByteArray &text, const QString &fileName, int depth)
{
    m_totalBytes += text.size();
    const int index = int(m_documents.size());
    m_documents.push_back({fileName, {}});
    Document doc;
    doc.file = fileName;
    int lineNo = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        ++lineNo;
        parseLine(QByteArrayView(text).sliced(start, end - start), lineNo, doc, depth);
        start = end + 1;
    }
    // Filled in by index: parsing an Include appended to m_documents meanwhile.
    m_documents[index] = std::move(doc);
    return index;
}

void Parser::evaluate(int docIndex, const QString &lowerAlias, const std::vector<int> &literalHits,
                      bool active, bool neverMatch, Values &values) const
{
    for (const Entry &entry : m_documents[docIndex].entries) {
        switch (entry.type) {
        case Entry::Type::Host:
            active =
                !neverMatch && hostMatches(entry, lowerAlias,
                                           std::binary_search(literalHits.begin(),
                                                              literalHits.end(), entry.hostSerial));
            break;
        case Entry::Type::Match:
            active = false;
            break;
        case Entry::Type::Include:
            // OpenSSH reads an Include under an inactive block with SSHCONF_NEVERMATCH, and a
            // Host line inside the included file does not change the including file's state.
            for (const int child : entry.includes)
                evaluate(child, lowerAlias, literalHits, active, neverMatch || !active, values);
            break;
        case Entry::Type::Option:
            if (!active)
                break;
            if (entry.keyword == u"hostname") {
                if (!values.hostName)
                    values.hostName = entry.value;
            } else if (entry.keyword == u"user") {
                if (!values.user)
                    values.user = entry.value;
            } else if (entry.keyword == u"port") {
                if (!values.port)
                    values.port = entry.port;
            } else if (entry.keyword == u"identityfile") {
                if (!values.identityFile)
                    values.identityFile = entry.value;
            } else if (entry.keyword == u"proxyjump") {
                // ProxyJump and ProxyCommand exclude each other: the first one seen wins.
                if (!values.proxyJump && !values.proxyCommand)
                    values.proxyJump = entry.value;
            } else if (entry.keyword == u"proxycommand") {
                if (!values.proxyJump && !values.proxyCommand)
                    values.proxyCommand = entry.value;
            }
            break;
        }
    }
}

QString Parser::expand(const QString &text, const QString &alias, const QString &hostName,
                       const QString &remoteUser, int port) const
{
    QString out;
    qsizetype i = 0;
    if (text == u"~" || text.startsWith(QStringLiteral("~/"))) {
        out = m_context.homeDir;
        i = 1;
    }
    for (; i < text.size(); ++i) {
        if (text[i] != u'%' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        switch (text[++i].unicode()) {
        case u'd':
            out += m_context.homeDir;
            break;
        case u'u':
            out += m_context.localUser;
            break;
        case u'h':
            out += hostName;
            break;
        case u'r':
            out += remoteUser;
            break;
        case u'n':
            out += alias;
            break;
        case u'p':
            out += QString::number(port);
            break;
        default: // '%%'; unknown tokens were refused when the line was read
            out += text[i];
            break;
        }
    }
    return out;
}

HostSpec Parser::makeSpec(const Alias &alias, const Values &values) const
{
    HostSpec spec;
    spec.kind = HostSpec::Kind::Ssh;
    spec.displayName = alias.name;
    spec.port = values.port.value_or(22);
    spec.user = values.user.value_or(QString());
    const QString remoteUser = spec.user.isEmpty() ? m_context.localUser : spec.user;
    spec.address = values.hostName
                       ? expand(*values.hostName, alias.name, alias.name, remoteUser, spec.port)
                       : alias.name;
    if (values.identityFile && values.identityFile->compare(u"none", Qt::CaseInsensitive) != 0) {
        spec.identityFile =
            expand(*values.identityFile, alias.name, spec.address, remoteUser, spec.port);
        spec.login = HostSpec::LoginMethod::IdentityFile;
    } else {
        spec.login = HostSpec::LoginMethod::Agent;
    }
    // "none" switches a proxy off, as in OpenSSH.
    if (values.proxyJump && values.proxyJump->compare(u"none", Qt::CaseInsensitive) != 0)
        spec.jumpHost = *values.proxyJump;
    if (values.proxyCommand && values.proxyCommand->compare(u"none", Qt::CaseInsensitive) != 0)
        spec.proxyCommand = *values.proxyCommand;
    return spec;
}

SshConfigResult Parser::run(const QByteArray &text, const QString &fileName)
{
    SshConfigResult result;
    if (text.size() > SshConfigLimits::maxTotalBytes) {
        warn(fileName, 0,
             SshConfigText::tr("The file is larger than %1 MiB; it was not read.")
                 .arg(SshConfigLimits::maxTotalBytes / (1024 * 1024)));
    } else {
        parseDocument(text, fileName, 0);
        for (const Alias &alias : m_aliases) {
            Values values;
            const QString lower = alias.name.toLower();
            static const std::vector<int> none;
            const auto hits = m_literalHits.constFind(lower);
            evaluate(0, lower, hits == m_literalHits.cend() ? none : *hits, true, false, values);
            HostSpec spec = makeSpec(alias, values);
            // Checked with a placeholder id: ids are the caller's business.
            spec.id = QStringLiteral("import");
            const QString problem = spec.validationError();
            spec.id.clear();
            if (!problem.isEmpty()) {
                warn(alias.file, alias.line,
                     SshConfigText::tr("Host %1 was not imported: %2").arg(alias.name, problem));
                continue;
            }
            result.hosts.append(spec);
        }
    }
    if (m_droppedWarnings > 0)
        m_warnings.append(
            {fileName, 0,
             SshConfigText::tr("%n more warning(s) not shown.", nullptr, m_droppedWarnings)});
    result.warnings = m_warnings;
    return result;
}

bool hasGlob(QStringView text)
{
    return text.contains(u'*') || text.contains(u'?') || text.contains(u'[');
}

void globInto(const QString &base, const QStringList &components, int index, QStringList &out)
{
    constexpr int maxFiles = 256;
    if (out.size() >= maxFiles)
        return;
    if (index == components.size()) {
        out.append(base);
        return;
    }
    const QString &component = components[index];
    const QString prefix = base.endsWith(u'/') ? base : base + u'/';
    if (!hasGlob(component)) {
        const QString next = prefix + component;
        if (index + 1 == components.size() || QFileInfo(next).isDir())
            globInto(next, components, index + 1, out);
        return;
    }
    const bool last = index + 1 == components.size();
    const QDir dir(base);
    const QStringList names = dir.entryList(
        {component}, (last ? QDir::Files : QDir::Dirs) | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names)
        globInto(prefix + name, components, index + 1, out);
}

} // namespace

SshConfigResult parseSshConfig(const QByteArray &text, const QString &fileName,
                               const SshConfigContext &context,
                               const SshIncludeReader &includeReader)
{
    Parser parser(context, includeReader);
    return parser.run(text, fileName);
}

SshConfigContext defaultSshConfigContext()
{
    SshConfigContext context;
    context.homeDir = QDir::homePath();
    context.localUser = qEnvironmentVariable("USER");
    if (context.localUser.isEmpty())
        context.localUser = qEnvironmentVariable("LOGNAME");
    return context;
}

QList<SshConfigFile> readSshIncludeFiles(const QString &pattern)
{
    QStringList paths;
    if (!QDir::isAbsolutePath(pattern))
        return {};
    globInto(QStringLiteral("/"), pattern.split(u'/', Qt::SkipEmptyParts), 0, paths);
    QList<SshConfigFile> files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isFile() || info.size() > SshConfigLimits::maxTotalBytes)
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        files.append({path, file.readAll()});
    }
    return files;
}

SshConfigResult importSshConfig(const QString &path, const SshConfigContext &context)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        SshConfigResult result;
        result.warnings.append(
            {path, 0, SshConfigText::tr("Cannot read the file: %1").arg(file.errorString())});
        return result;
    }
    // One byte more than the limit, so the parser sees the file is too large.
    const QByteArray text = file.read(SshConfigLimits::maxTotalBytes + 1);
    return parseSshConfig(text, path, context, readSshIncludeFiles);
}

} // namespace twbench
