#pragma once

#include "remote/hostspec.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>

class QTimer;

namespace twbench {

// Where a host's password may be kept when the operator opted in (HostSpec::useKeychain).
// Asynchronous: every call answers exactly once, later, through its callback (never from
// inside the call), unless `context` is gone by then. Abstract so the workbench can be tested
// with an in-memory vault; the real one is KeychainVault.
class PasswordVault : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordVault)

public:
    enum class Status : std::uint8_t {
        Ok,       // read: `secret` holds the password; write / remove: done
        NotFound, // read: nothing stored under the key (remove: reported as Ok)
        Failed,   // `error` says why, translated, ready for the operator
    };
    struct Result
    {
        Status status = Status::Failed;
        QByteArray secret; // read only; wiped (wipeSecret) after the callback returns
        QString error;
    };
    using Callback = std::function<void(Result &result)>;

    explicit PasswordVault(QObject *parent = nullptr)
        : QObject(parent)
    {}

    // "user@address:port": one entry per account on a server, whatever the host is called.
    static QString keyFor(const HostSpec &spec);

    virtual void read(const QString &key, QObject *context, Callback callback) = 0;
    // The vault wipes its copy of `secret` once it was handed over; the caller wipes its own.
    virtual void write(const QString &key, const QByteArray &secret, QObject *context,
                       Callback callback) = 0;
    virtual void remove(const QString &key, QObject *context, Callback callback) = 0;
};

// The system keychain through QtKeychain (on Linux the freedesktop Secret Service, e.g.
// gnome-keyring or KWallet), service "twbench". Its plaintext fallback (a QSettings file) is
// switched off on every job: without a keychain nothing is stored and the call fails with a
// message. Every job is bounded by a timeout, so a dead D-Bus or a keychain prompt nobody
// answers fails the call instead of leaving a login waiting forever.
class KeychainVault final : public PasswordVault
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainVault)

public:
    static constexpr int defaultTimeoutMs = 20'000; // leaves time to type an unlock password

    explicit KeychainVault(QObject *parent = nullptr);
    ~KeychainVault() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    void read(const QString &key, QObject *context, Callback callback) override;
    void write(const QString &key, const QByteArray &secret, QObject *context,
               Callback callback) override;
    void remove(const QString &key, QObject *context, Callback callback) override;

private:
    enum class Op : std::uint8_t { Read, Write, Remove };
    struct Pending
    {
        Op op = Op::Read;
        QObject *job = nullptr; // a QKeychain::Job; deletes itself when it finishes
        QTimer *timer = nullptr;
        QPointer<QObject> context;
        Callback callback;
        QByteArray secret; // write: what the job stores, wiped when it is done
    };

    void start(Op op, QObject *job, QObject *context, Callback callback, QByteArray secret = {});
    void finish(std::uint64_t serial);
    void timeOut(std::uint64_t serial);
    void complete(Pending &pending, Result &result);

    int m_timeoutMs = defaultTimeoutMs;
    std::uint64_t m_nextSerial = 1;
    std::map<std::uint64_t, Pending> m_pending;
};

} // namespace twbench
