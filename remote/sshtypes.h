#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace twbench {

// What the known_hosts files say about the key a server showed.
enum class HostKeyVerdict : std::uint8_t {
    Known,     // a matching line: go on without asking
    Unknown,   // no line for this host: ask the operator
    Changed,   // a line for this host with the same key type and another key: refuse
    OtherType, // lines for this host, only of other key types: refuse (as OpenSSH does)
    Revoked,   // the key is in a @revoked line: refuse
};

// Asked of the operator when a server's key is not in known_hosts (verdict Unknown), and shown
// (no choice but "close") when it is refused. All server-supplied text is plain text.
struct HostKeyQuestion
{
    std::uint64_t id = 0; // answers name it; unique per fleet
    QString hostId;
    QString host; // as connected to
    int port = 22;
    QString keyType;     // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
    int keyBits = 0;     // as ssh-keygen -l prints it (256 for ed25519)
    QString fingerprint; // "SHA256:…" exactly as `ssh-keygen -lf` prints it
    HostKeyVerdict verdict = HostKeyVerdict::Unknown;
    QString knownHostsFile;     // where "trust and save" writes; for Changed: where the old key is
    int knownHostsLine = 0;     // for Changed/OtherType/Revoked: the line that conflicts
    QString knownHostsLineText; // the full known_hosts line to append for "trust and save"
};

enum class HostKeyDecision : std::uint8_t {
    Cancel,       // do not connect (the host goes to Failed, no retries until asked)
    ConnectOnce,  // connect this time; ask again on the next connection
    TrustAndSave, // append the key to the user's known_hosts, then connect
};

// Asked when a login needs something typed: a key's passphrase, a password, or the prompts of
// keyboard-interactive authentication (one request per prompt).
struct CredentialRequest
{
    enum class Kind : std::uint8_t { Passphrase, Password, KeyboardInteractive };

    std::uint64_t id = 0;
    QString hostId;
    Kind kind = Kind::Password;
    QString user;
    QString host;
    QString identityFile; // Passphrase: which key
    QString name;         // KeyboardInteractive: the server's name and instruction text,
    QString instruction;  // shown as plain text, never as rich text
    QString prompt;       // the server's prompt ("Password: "); plain text
    bool echo = false;    // the server says the answer may be shown
    int attempt = 1;      // 1-based; the dialog says "try again" from 2 on
    // Set by the GUI side (Workbench), never by the SSH core: the host opted in to the system
    // keychain, so "remember" starts checked; and why a stored password was not used (it was
    // rejected, or the keychain failed), shown as plain text.
    bool useKeychain = false;
    QString keychainNote;
};

// The operator's answer. The secret is wiped (overwritten) by whoever consumes it.
struct CredentialReply
{
    std::uint64_t id = 0;
    bool cancelled = false;
    QByteArray secret;
    bool storeInKeychain = false; // opt-in, per host; never the plaintext fallback
};

} // namespace twbench

Q_DECLARE_METATYPE(twbench::HostKeyQuestion)
Q_DECLARE_METATYPE(twbench::HostKeyDecision)
Q_DECLARE_METATYPE(twbench::CredentialRequest)
Q_DECLARE_METATYPE(twbench::CredentialReply)
