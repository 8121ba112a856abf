#include "passwordvault.h"

#include "remote/sshsession.h"

#include <QTimer>

#include <qt6keychain/keychain.h>

namespace twbench {

namespace {

const QString serviceName = QStringLiteral("twbench");

// Third-party error text (libsecret, D-Bus) is kept short: it ends up in a dialog label.
QString shortened(const QString &text)
{
    const QString simplified = text.simplified();
    return simplified.size() > 300 ? simplified.left(300) + u'…' : simplified;
}

QKeychain::Job *prepared(QKeychain::Job *job, const QString &key)
{
    // Explicit, though false is the default: a keychain that cannot be reached must never turn
    // into a password in a QSettings file.
    job->setInsecureFallback(false);
    // The job deletes itself once finished. It is never deleted by us: libsecret's callbacks
    // hold a raw pointer to it, so deleting it while a call is in flight would be a
    // use-after-free. A job we stop waiting for is only disconnected.
    job->setAutoDelete(true);
    job->setKey(key);
    return job;
}

} // namespace

QString PasswordVault::keyFor(const HostSpec &spec)
{
    return spec.user + u'@' + spec.address + u':' + QString::number(spec.port);
}

KeychainVault::KeychainVault(QObject *parent)
    : PasswordVault(parent)
{}

KeychainVault::~KeychainVault()
{
    // Jobs still running outlive us (see prepared()); they must not call back into a dead
    // vault, and what they were given to write is wiped.
    for (auto &[serial, pending] : m_pending) {
        QObject::disconnect(pending.job, nullptr, this, nullptr);
        wipeSecret(pending.secret);
    }
}

void KeychainVault::read(const QString &key, QObject *context, Callback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName);
    start(Op::Read, prepared(job, key), context, std::move(callback));
}

void KeychainVault::write(const QString &key, const QByteArray &secret, QObject *context,
                          Callback callback)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName);
    // A copy of our own, so the caller may wipe its buffer at once; binary data is stored
    // base64-encoded, so any byte sequence round-trips.
    QByteArray copy(secret.constData(), secret.size());
    job->setBinaryData(copy);
    start(Op::Write, prepared(job, key), context, std::move(callback), std::move(copy));
}

void KeychainVault::remove(const QString &key, QObject *context, Callback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName);
    start(Op::Remove, prepared(job, key), context, std::move(callback));
}

void KeychainVault::start(Op op, QObject *job, QObject *context, Callback callback,
                          QByteArray secret)
{
    const std::uint64_t serial = m_nextSerial++;
    Pending pending;
    pending.op = op;
    pending.job = job;
    pending.context = context;
    pending.callback = std::move(callback);
    pending.secret = std::move(secret);
    pending.timer = new QTimer(this);
    pending.timer->setSingleShot(true);
    connect(pending.timer, &QTimer::timeout, this, [this, serial] { timeOut(serial); });
    auto *keychainJob = static_cast<QKeychain::Job *>(job);
    connect(keychainJob, &QKeychain::Job::finished, this, [this, serial] { finish(serial); });
    pending.timer->start(m_timeoutMs);
    m_pending.emplace(serial, std::move(pending));
    // QtKeychain starts jobs from the event loop, so even an immediate failure (no D-Bus at
    // all) reaches finish() after this call returned: callbacks never run re-entrantly.
    keychainJob->start();
}

void KeychainVault::finish(std::uint64_t serial)
{
    const auto it = m_pending.find(serial);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    delete pending.timer;
    const auto *job = static_cast<QKeychain::Job *>(pending.job);

    Result result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = Status::Ok;
        if (pending.op == Op::Read) {
            // Shares the job's buffer: wiping `result.secret` after the callback overwrites
            // the job's copy as well.
            result.secret = static_cast<const QKeychain::ReadPasswordJob *>(job)->binaryData();
            // An empty entry is what a write abandoned after its timeout may leave behind.
            if (result.secret.isEmpty())
                result.status = Status::NotFound;
        }
        break;
    case QKeychain::EntryNotFound:
        // Removing what is not there is done, not a failure.
        result.status = pending.op == Op::Remove ? Status::Ok : Status::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.error = tr("No system keychain is available (no Secret Service is running).");
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.error = tr("The system keychain is locked or refused access.");
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.error =
            tr("The system keychain could not be used: %1").arg(shortened(job->errorString()));
        break;
    }
    complete(pending, result);
}

void KeychainVault::timeOut(std::uint64_t serial)
{
    const auto it = m_pending.find(serial);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    pending.timer->deleteLater(); // we are inside its timeout signal
    // Abandoned, not deleted (see prepared()): it deletes itself if it ever finishes.
    QObject::disconnect(pending.job, nullptr, this, nullptr);
    Result result;
    result.error = tr("The system keychain did not answer within %n second(s).", nullptr,
                      (m_timeoutMs + 999) / 1000);
    complete(pending, result);
}

void KeychainVault::complete(Pending &pending, Result &result)
{
    wipeSecret(pending.secret);
    if (pending.context && pending.callback)
        pending.callback(result);
    wipeSecret(result.secret);
}

} // namespace twbench
