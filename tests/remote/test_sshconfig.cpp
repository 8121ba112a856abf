// ~/.ssh/config import: real-looking configurations, OpenSSH's "first value wins" across Host
// blocks and Includes, token expansion, and hostile text that must cost a warning, not a crash.

#include "remote/sshconfig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <map>

using namespace twbench;

namespace {

SshConfigContext context()
{
    return {QStringLiteral("/home/op"), QStringLiteral("op")};
}

SshConfigResult parse(const QByteArray &text, const SshIncludeReader &reader = {})
{
    return parseSshConfig(text, QStringLiteral("config"), context(), reader);
}

const HostSpec *find(const SshConfigResult &result, const QString &alias)
{
    for (const HostSpec &spec : result.hosts) {
        if (spec.displayName == alias)
            return &spec;
    }
    return nullptr;
}

QString warningsText(const SshConfigResult &result)
{
    QStringList lines;
    for (const SshConfigWarning &w : result.warnings)
        lines << w.file + u':' + QString::number(w.line) + u' ' + w.message;
    return lines.join(u'\n');
}

// A reader over an in-memory file tree; patterns match by exact path or a trailing '*'.
SshIncludeReader memoryReader(const std::map<QString, QByteArray> &files)
{
    return [files](const QString &pattern) {
        QList<SshConfigFile> out;
        for (const auto &[path, text] : files) {
            const bool glob = pattern.endsWith(u'*');
            if (path == pattern || (glob && path.startsWith(pattern.chopped(1))))
                out.append({path, text});
        }
        return out;
    };
}

} // namespace

TEST(SshConfig, RealLookingConfig)
{
    const QByteArray text = R"(# ~/.ssh/config of an operator
Host bastion
    HostName bastion.example.net
    User jump
    Port 2222

Host web1 web2
    HostName %h.prod.example.net
    User deploy
    IdentityFile ~/.ssh/id_ed25519_prod
    ProxyJump bastion

Host db-*
    User postgres

Host legacy
    HostName 10.0.0.7
    ProxyCommand ssh -W %h:%p bastion
    IdentityFile %d/.ssh/legacy_%r@%h

Host *
    User fallback
    IdentityFile ~/.ssh/id_rsa
    ServerAliveInterval 30
)";
    const SshConfigResult result = parse(text);
    EXPECT_TRUE(result.warnings.isEmpty()) << warningsText(result).toStdString();
    ASSERT_EQ(result.hosts.size(), 4); // db-* and * are patterns, not hosts

    const HostSpec *bastion = find(result, QStringLiteral("bastion"));
    ASSERT_NE(bastion, nullptr);
    EXPECT_EQ(bastion->kind, HostSpec::Kind::Ssh);
    EXPECT_EQ(bastion->address, u"bastion.example.net");
    EXPECT_EQ(bastion->user, u"jump");
    EXPECT_EQ(bastion->port, 2222);
    // The Host * IdentityFile fills a field no earlier block set.
    EXPECT_EQ(bastion->login, HostSpec::LoginMethod::IdentityFile);
    EXPECT_EQ(bastion->identityFile, u"/home/op/.ssh/id_rsa");
    EXPECT_TRUE(bastion->id.isEmpty());

    const HostSpec *web2 = find(result, QStringLiteral("web2"));
    ASSERT_NE(web2, nullptr);
    EXPECT_EQ(web2->address, u"web2.prod.example.net");
    EXPECT_EQ(web2->user, u"deploy"); // first value wins over Host *
    EXPECT_EQ(web2->port, 22);
    EXPECT_EQ(web2->identityFile, u"/home/op/.ssh/id_ed25519_prod");
    EXPECT_EQ(web2->jumpHost, u"bastion");
    EXPECT_TRUE(web2->proxyCommand.isEmpty());

    const HostSpec *legacy = find(result, QStringLiteral("legacy"));
    ASSERT_NE(legacy, nullptr);
    EXPECT_EQ(legacy->address, u"10.0.0.7");
    EXPECT_EQ(legacy->proxyCommand, u"ssh -W %h:%p bastion"); // ssh expands these, not us
    EXPECT_EQ(legacy->user, u"fallback");
    EXPECT_EQ(legacy->identityFile, u"/home/op/.ssh/legacy_fallback@10.0.0.7");
}

TEST(SshConfig, AgentWhenNoIdentityFileAndAliasAsAddress)
{
    const SshConfigResult result = parse("Host plain\n  User u\n");
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_EQ(result.hosts[0].address, u"plain");
    EXPECT_EQ(result.hosts[0].login, HostSpec::LoginMethod::Agent);
    EXPECT_TRUE(result.hosts[0].identityFile.isEmpty());
}

TEST(SshConfig, FirstValueWinsEvenFromGlobalLinesAndKeywordsAreCaseInsensitive)
{
    const QByteArray text = "port 2200\n"
                            "Host a\n"
                            "  PORT 9999\n"
                            "  hostname=first.example\n"
                            "  HostName second.example\n"
                            "Host a\n"
                            "  User=\"u1\"\n";
    const SshConfigResult result = parse(text);
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_EQ(result.hosts[0].port, 2200);
    EXPECT_EQ(result.hosts[0].address, u"first.example");
    EXPECT_EQ(result.hosts[0].user, u"u1");
}

TEST(SshConfig, NegatedPatternsAndWildcards)
{
    const QByteArray text = "Host web? !web9\n"
                            "  User webuser\n"
                            "Host web1 web9 other\n"
                            "  HostName %h.lan\n"
                            "Host *\n"
                            "  User everyone\n";
    const SshConfigResult result = parse(text);
    ASSERT_EQ(result.hosts.size(), 3);
    EXPECT_EQ(find(result, QStringLiteral("web1"))->user, u"webuser");
    EXPECT_EQ(find(result, QStringLiteral("web9"))->user, u"everyone");
    EXPECT_EQ(find(result, QStringLiteral("other"))->address, u"other.lan");
}

TEST(SshConfig, ProxyJumpAndProxyCommandExcludeEachOther)
{
    const QByteArray text = "Host a\n  ProxyCommand nc %h %p\nHost b\n  ProxyJump none\n"
                            "Host *\n  ProxyJump gw\n";
    const SshConfigResult result = parse(text);
    EXPECT_EQ(find(result, QStringLiteral("a"))->proxyCommand, u"nc %h %p");
    EXPECT_TRUE(find(result, QStringLiteral("a"))->jumpHost.isEmpty());
    EXPECT_TRUE(find(result, QStringLiteral("b"))->jumpHost.isEmpty()); // "none" wins first
}

TEST(SshConfig, TokensInIdentityFile)
{
    const QByteArray text = "Host t\n  HostName real.host\n  User remote\n  Port 2022\n"
                            "  IdentityFile %d/k_%u_%r_%h_%n_%p_100%%\n";
    const SshConfigResult result = parse(text);
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_EQ(result.hosts[0].identityFile, u"/home/op/k_op_remote_real.host_t_2022_100%");
}

TEST(SshConfig, UnknownTokenIsAWarningAndTheLineIsSkipped)
{
    const SshConfigResult result =
        parse("Host t\n  IdentityFile ~/.ssh/%C\n  IdentityFile ~/.ssh/ok\n");
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_EQ(result.hosts[0].identityFile, u"/home/op/.ssh/ok");
    ASSERT_EQ(result.warnings.size(), 1);
    EXPECT_EQ(result.warnings[0].line, 2);
}

TEST(SshConfig, MatchBlocksAreSkippedWithANote)
{
    const QByteArray text = "Match host a exec \"true\"\n"
                            "  User frommatch\n"
                            "Host a\n"
                            "  HostName a.example\n";
    const SshConfigResult result = parse(text);
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_TRUE(result.hosts[0].user.isEmpty());
    ASSERT_EQ(result.warnings.size(), 1);
    EXPECT_EQ(result.warnings[0].line, 1);
    EXPECT_TRUE(result.warnings[0].message.contains(u"Match"));
}

TEST(SshConfig, BadPortIsAWarning)
{
    const SshConfigResult result = parse("Host a\n  Port 0\n  Port 65536\n  Port x\n  Port 23\n");
    ASSERT_EQ(result.hosts.size(), 1);
    EXPECT_EQ(result.hosts[0].port, 23);
    EXPECT_EQ(result.warnings.size(), 3);
}

TEST(SshConfig, IncludeRelativeToDotSshWithGlobAndInheritedState)
{
    const std::map<QString, QByteArray> files = {
        {QStringLiteral("/home/op/.ssh/config.d/10-work"),
         "Host work1\n  HostName w1.corp\n  User corp\n"},
        {QStringLiteral("/home/op/.ssh/config.d/20-home"), "Host nas\n  HostName 192.168.1.2\n"},
        {QStringLiteral("/etc/other"), "Host absolute\n"},
    };
    const QByteArray text = "Include config.d/*\n"
                            "Include /etc/other\n"
                            "Host *\n"
                            "  User defaultuser\n"
                            "  Port 2022\n";
    const SshConfigResult result = parse(text, memoryReader(files));
    EXPECT_TRUE(result.warnings.isEmpty()) << warningsText(result).toStdString();
    ASSERT_EQ(result.hosts.size(), 3);
    EXPECT_EQ(result.hosts[0].displayName, u"work1");
    EXPECT_EQ(result.hosts[0].user, u"corp");
    EXPECT_EQ(result.hosts[0].port, 2022);
    EXPECT_EQ(result.hosts[1].displayName, u"nas");
    EXPECT_EQ(result.hosts[1].user, u"defaultuser");
    EXPECT_EQ(result.hosts[2].displayName, u"absolute");
}

TEST(SshConfig, HostLineInsideIncludeDoesNotLeakIntoTheIncludingFile)
{
    // After the Include returns, "Host a" is still the active block of the top file.
    const std::map<QString, QByteArray> files = {
        {QStringLiteral("/home/op/.ssh/inc"), "Host other\n  User otheruser\n"},
    };
    const QByteArray text = "Host a\n  Include inc\n  User auser\n";
    const SshConfigResult result = parse(text, memoryReader(files));
    EXPECT_EQ(find(result, QStringLiteral("a"))->user, u"auser");
    // "other" lives in an Include under a block that does not match it: never active.
    EXPECT_TRUE(find(result, QStringLiteral("other"))->user.isEmpty());
}

TEST(SshConfig, IncludeLoopIsBounded)
{
    const std::map<QString, QByteArray> files = {
        {QStringLiteral("/home/op/.ssh/loop"), "Include loop\nHost l\n"},
    };
    const SshConfigResult result = parse("Include loop\n", memoryReader(files));
    ASSERT_EQ(result.hosts.size(), 1);
    ASSERT_FALSE(result.warnings.isEmpty());
    EXPECT_TRUE(result.warnings.last().message.contains(u"deeper"));
}

TEST(SshConfig, HostileLinesAreSkippedWithWarnings)
{
    QByteArray text = "Host ok\n  User good\n";
    text += "Host " + QByteArray(100000, 'x') + "\n";      // very long line
    text += QByteArray("Host nul\0bad\n", 13);             // NUL byte
    text += "Host ctl\x1b[31mred\n";                       // an escape sequence
    text += "Host quote\n  User \"unbalanced\n";           // unbalanced quotes
    text += "Host dash\n  HostName -oProxyCommand=evil\n"; // option injection
    text += "Host sp\x7f\n";                               // DEL
    const SshConfigResult result = parse(text);
    QStringList aliases;
    for (const HostSpec &spec : result.hosts)
        aliases << spec.displayName;
    EXPECT_EQ(aliases, (QStringList{QStringLiteral("ok"), QStringLiteral("quote")}))
        << aliases.join(u',').toStdString();
    EXPECT_EQ(find(result, QStringLiteral("ok"))->user, u"good");
    EXPECT_EQ(result.warnings.size(), 6) << warningsText(result).toStdString();
    for (const SshConfigWarning &w : result.warnings)
        EXPECT_GT(w.line, 0);
}

TEST(SshConfig, ThousandAliasesOnOneHostLine)
{
    QByteArray text = "Host";
    for (int i = 0; i < 1000; ++i)
        text += " h" + QByteArray::number(i);
    text += "\n  User many\nHost *\n  Port 2200\n";
    QElapsedTimer timer;
    timer.start();
    const SshConfigResult result = parse(text);
    EXPECT_LT(timer.elapsed(), 2000);
    ASSERT_EQ(result.hosts.size(), 1000);
    EXPECT_EQ(result.hosts[999].displayName, u"h999");
    EXPECT_EQ(result.hosts[999].user, u"many");
    EXPECT_EQ(result.hosts[999].port, 2200);
}

TEST(SshConfig, TooManyAliasesAndWarningsAreCapped)
{
    QByteArray text;
    for (int i = 0; i < SshConfigLimits::maxHosts + 10; ++i)
        text += "Host a" + QByteArray::number(i) + "\n  Port 0\n";
    const SshConfigResult result = parse(text);
    EXPECT_EQ(result.hosts.size(), SshConfigLimits::maxHosts);
    EXPECT_EQ(result.warnings.size(), SshConfigLimits::maxWarnings + 1);
}

TEST(SshConfig, ImportFromRealFilesFollowsGlobIncludes)
{
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    const QDir dir(home.path());
    ASSERT_TRUE(dir.mkpath(QStringLiteral(".ssh/conf.d")));
    const auto write = [&](const QString &rel, const QByteArray &text) {
        QFile file(dir.filePath(rel));
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write(QStringLiteral(".ssh/config"), "Include conf.d/*.conf\nHost top\n");
    write(QStringLiteral(".ssh/conf.d/b.conf"), "Host b\n");
    write(QStringLiteral(".ssh/conf.d/a.conf"), "Host a\n  IdentityFile ~/.ssh/a_key\n");
    write(QStringLiteral(".ssh/conf.d/ignored.txt"), "Host ignored\n");
    const SshConfigResult result = importSshConfig(dir.filePath(QStringLiteral(".ssh/config")),
                                                   {home.path(), QStringLiteral("op")});
    EXPECT_TRUE(result.warnings.isEmpty()) << warningsText(result).toStdString();
    QStringList aliases;
    for (const HostSpec &spec : result.hosts)
        aliases << spec.displayName;
    EXPECT_EQ(aliases,
              (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("top")}));
    EXPECT_EQ(result.hosts[0].identityFile, home.path() + QStringLiteral("/.ssh/a_key"));
}

TEST(SshConfig, MissingFileIsOneWarning)
{
    const SshConfigResult result = importSshConfig(QStringLiteral("/nonexistent/ssh/config"));
    EXPECT_TRUE(result.hosts.isEmpty());
    ASSERT_EQ(result.warnings.size(), 1);
    EXPECT_EQ(result.warnings[0].line, 0);
}
