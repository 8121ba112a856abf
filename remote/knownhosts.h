#pragma once

#include "sshtypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace twbench {

// A public key as the SSH wire format carries it, with what ssh-keygen -l shows of it.
struct PublicKey
{
    QString type;        // from inside the blob: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
    QByteArray blob;     // the wire encoding (what a known_hosts line holds in base64)
    int bits = 0;        // as `ssh-keygen -l` prints it: 256 for ed25519, the modulus for RSA
    QString fingerprint; // "SHA256:" + unpadded base64 of SHA-256(blob), as `ssh-keygen -lf`

    // nullopt when the blob is not a public key blob this code can read.
    static std::optional<PublicKey> fromBlob(const QByteArray &blob);
    static std::optional<PublicKey> fromBase64(QByteArrayView base64);
    QByteArray base64() const { return blob.toBase64(); }
    friend bool operator==(const PublicKey &a, const PublicKey &b) { return a.blob == b.blob; }
};

// The short, upper-case name OpenSSH gives a key type in its messages ("ED25519 key fingerprint
// is SHA256:…"): ED25519, ECDSA, RSA, DSA; an unknown type upper-cased, cut to printable text.
QString openSshKeyName(const QString &keyType);

// OpenSSH's known_hosts files, read and written by our own code so the policy is OpenSSH's and
// not libssh 0.10's (which skips @revoked lines and follows StrictHostKeyChecking from the
// user's ssh config). Understood: comma lists of patterns with '*', '?' and '!' negation
// (case-insensitive), "[host]:port" names for ports other than 22, hashed "|1|salt|hmac" names
// (HMAC-SHA1), the @revoked marker (honoured) and @cert-authority (not a host key: ignored, as
// OpenSSH does for a server without a certificate). Lines that do not parse are skipped.
//
// The files are read on each check (they are small, and the operator may edit them at any
// time); reentrant: one object per thread or a const one shared.
class KnownHosts final
{
public:
    struct Verdict
    {
        HostKeyVerdict verdict = HostKeyVerdict::Unknown;
        QString file;     // the file whose line decided; for Unknown, the user's file
        int line = 0;     // 1-based; 0 for Unknown
        QString lineText; // that line as written, for the operator
    };

    struct Removal
    {
        int removedNames = 0; // names taken out of a line (a line left empty is deleted)
        QList<int> leftLines; // lines that still match through a wildcard: not ours to edit
        QString error;        // translated; empty on success
    };

    // `userFile` is where new keys go; `globalFiles` are only read. Empty: the defaults.
    explicit KnownHosts(QString userFile = {}, QStringList globalFiles = {});

    static QString defaultUserFile();        // ~/.ssh/known_hosts
    static QStringList defaultGlobalFiles(); // /etc/ssh/ssh_known_hosts
    const QString &userFile() const { return m_userFile; }
    const QStringList &globalFiles() const { return m_globalFiles; }

    // "host" for port 22, else "[host]:port": the name OpenSSH looks up and writes.
    static QString hostName(const QString &host, int port);

    // What the files say about `key` shown by host:port. Revoked wins over everything, then a
    // matching line (Known), then a line of the same type with another key (Changed), then
    // lines of other types only (OtherType).
    Verdict check(const QString &host, int port, const PublicKey &key) const;
    // The key types the files hold for host:port (not revoked), so the key exchange can ask
    // for a type we can check rather than one we would call OtherType.
    QStringList knownKeyTypes(const QString &host, int port) const;

    // The line "trust and save" appends: "[host]:port ssh-ed25519 AAAA…".
    static QString entryLine(const QString &host, int port, const PublicKey &key);
    // Appends entryLine() to the user's file with one O_APPEND write, creating ~/.ssh (0700)
    // and the file (0600) when missing. Empty on success, else why not (translated).
    [[nodiscard]] QString append(const QString &host, int port, const PublicKey &key) const;
    // The deliberate "replace the key" step: takes host:port's own names (plain or hashed) out
    // of the user's file, deleting lines left with no name; @revoked and @cert-authority lines
    // stay, as with `ssh-keygen -R`. Rewritten atomically (a temporary file renamed over it).
    [[nodiscard]] Removal removeHost(const QString &host, int port) const;

    // Pattern matching as OpenSSH's match_hostname(): 1 when a positive pattern of the comma
    // list matches, -1 when a negated one does (which overrides), 0 otherwise. `name` lower case.
    static int matchHostList(const QString &name, const QString &patterns);
    static bool matchPattern(QStringView name, QStringView pattern);
    // "|1|salt|hmac" against `name`.
    static bool matchHashed(const QString &name, QStringView hashed);

private:
    QString m_userFile;
    QStringList m_globalFiles;
};

} // namespace twbench
