#pragma once

#include "remote/sshtypes.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace twbench {

// Asks for one passphrase, password or keyboard-interactive answer. Server-supplied text
// (name, instruction, prompt) is shown as plain text with control characters escaped. On OK
// the typed text goes into CredentialReply::secret, the line edit is wiped at once, and
// `replied` carries the reply; the dialog keeps no copy. Cancel replies with `cancelled`.
// For a password (not a key passphrase) it offers "remember in the system keychain", checked
// when the host opted in, and says why a stored password was not used (request.keychainNote).
// Open it with open(), never exec(): the rest of the GUI keeps running meanwhile.
class CredentialDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialDialog)

public:
    // The most attempts the dialog counts with. CredentialRequest carries no maximum; this is
    // what the SSH core allows for a typed secret.
    static constexpr int maxAttempts = 3;

    explicit CredentialDialog(const CredentialRequest &request, QWidget *parent = nullptr);
    ~CredentialDialog() override;

    const CredentialRequest &request() const { return m_request; }
    QLineEdit *secretEdit() const { return m_secret; }
    // nullptr for a passphrase or a visible answer: those are never stored.
    QCheckBox *keychainCheck() const { return m_keychain; }

    void done(int result) override;

signals:
    // Exactly once per dialog. The receiver owns the secret and wipes it after use.
    void replied(const twbench::CredentialReply &reply);

private:
    CredentialRequest m_request;
    QLineEdit *m_secret = nullptr;
    QCheckBox *m_keychain = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_replied = false;
};

} // namespace twbench
