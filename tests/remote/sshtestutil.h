#pragma once

// Helpers of the SSH suites: a spec for the fixture's sshd, and a harness that drives one
// SshTransport on the test's thread and records what it says.
#include "lab/sshdfixture.h"
#include "remote/framereader.h"
#include "remote/sshtransport.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace twbench::test {

inline HostSpec sshSpec(const SshdFixture &sshd, const QString &id = QStringLiteral("ssh"))
{
    HostSpec spec;
    spec.id = id;
    spec.displayName = id;
    spec.kind = HostSpec::Kind::Ssh;
    spec.address = QStringLiteral("127.0.0.1");
    spec.port = sshd.port();
    spec.user = QStringLiteral("root");
    spec.login = HostSpec::LoginMethod::IdentityFile;
    spec.identityFile = sshd.userKeyPath();
    spec.counterIntervalSec = 1;
    spec.tableIntervalSec = 2;
    return spec;
}

inline SshOptions sshOptions(const SshdFixture &sshd, const QString &knownHosts = {})
{
    SshOptions options;
    options.knownHostsFile = knownHosts.isEmpty() ? sshd.knownHostsPath() : knownHosts;
    // A file that does not exist: the machine's own /etc/ssh/ssh_known_hosts stays out.
    options.globalKnownHostsFiles = {sshd.dir() + QStringLiteral("/no_global_known_hosts")};
    options.timeoutSec = 5;
    return options;
}

struct TransportRun
{
    explicit TransportRun(const HostSpec &spec, const SshOptions &options)
        : transport(spec, ProbeParameters::fromSpec(spec), options)
    {
        QObject::connect(&transport, &Transport::bytesReceived, &transport,
                         [this](const QByteArray &data) {
                             reader.feed(data);
                             if (auto h = reader.takeHello())
                                 hello = std::move(h);
                             for (ProbeFrame &frame : reader.takeFrames())
                                 frames.push_back(std::move(frame));
                         });
        QObject::connect(&transport, &Transport::failed, &transport,
                         [this](const QString &reason) { failure = reason; });
        QObject::connect(&transport, &Transport::refused, &transport,
                         [this](const QString &reason) { refusal = reason; });
        QObject::connect(&transport, &Transport::finished, &transport,
                         [this](int, const QString &detail) { finished = detail; });
        QObject::connect(&transport, &Transport::phaseChanged, &transport,
                         [this](HostState phase) { phases.append(phase); });
        QObject::connect(&transport, &Transport::hostKeyQuestion, &transport,
                         [this](const HostKeyQuestion &question) {
                             questions.append(question);
                             if (onQuestion)
                                 onQuestion(question);
                         });
        QObject::connect(&transport, &Transport::credentialsNeeded, &transport,
                         [this](const CredentialRequest &request) {
                             requests.append(request);
                             if (onRequest)
                                 onRequest(request);
                         });
    }

    bool ended() const { return failure || refusal || finished; }

    SshTransport transport;
    FrameReader reader;
    std::optional<ProbeHello> hello;
    std::vector<ProbeFrame> frames;
    std::optional<QString> failure;
    std::optional<QString> refusal;
    std::optional<QString> finished;
    QList<HostState> phases;
    QList<HostKeyQuestion> questions;
    QList<CredentialRequest> requests;
    std::function<void(const HostKeyQuestion &)> onQuestion;
    std::function<void(const CredentialRequest &)> onRequest;
};

} // namespace twbench::test
