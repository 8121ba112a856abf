#include "credentialdialog.h"

#include "servertext.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace twbench {

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setText(text);
    return label;
}

} // namespace

CredentialDialog::CredentialDialog(const CredentialRequest &request, QWidget *parent)
    : QDialog(parent)
    , m_request(request)
{
    setObjectName(QStringLiteral("credentialDialog"));
    const QString who = escapeServerText(
        request.user.isEmpty() ? request.host : request.user + u'@' + request.host, false, 200);

    QString title;
    QString intro;
    switch (request.kind) {
    case CredentialRequest::Kind::Passphrase:
        title = tr("Key passphrase");
        intro = tr("The key %1 is protected by a passphrase. It is needed to log in to %2.")
                    .arg(escapeServerText(request.identityFile, false, 500), who);
        break;
    case CredentialRequest::Kind::Password:
        title = tr("Password");
        intro = tr("Password for %1.").arg(who);
        break;
    case CredentialRequest::Kind::KeyboardInteractive:
        title = tr("Login question");
        intro = tr("%1 asks:").arg(who);
        break;
    }
    setWindowTitle(title);

    auto *layout = new QVBoxLayout(this);
    auto *introLabel = plainLabel(intro, this);
    introLabel->setObjectName(QStringLiteral("introLabel"));
    layout->addWidget(introLabel);
    if (request.kind == CredentialRequest::Kind::KeyboardInteractive) {
        if (!request.name.trimmed().isEmpty()) {
            auto *name = plainLabel(escapeServerText(request.name, false, 200), this);
            name->setObjectName(QStringLiteral("serverNameLabel"));
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
            layout->addWidget(name);
        }
        if (!request.instruction.trimmed().isEmpty()) {
            auto *instruction = plainLabel(escapeServerText(request.instruction, true), this);
            instruction->setObjectName(QStringLiteral("instructionLabel"));
            layout->addWidget(instruction);
        }
    }
    if (request.attempt >= 2) {
        auto *attempt = plainLabel(tr("That was not accepted. Attempt %1 of %2.")
                                       .arg(request.attempt)
                                       .arg(qMax(request.attempt, maxAttempts)),
                                   this);
        attempt->setObjectName(QStringLiteral("attemptLabel"));
        QPalette palette = attempt->palette();
        palette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
        attempt->setPalette(palette);
        layout->addWidget(attempt);
    }

    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setEchoMode(request.echo ? QLineEdit::Normal : QLineEdit::Password);
    // Nothing typed here may land in a clipboard or a drag by accident.
    m_secret->setContextMenuPolicy(Qt::NoContextMenu);
    m_secret->setDragEnabled(false);
    QString prompt = escapeServerText(request.prompt.trimmed(), false, 200);
    if (prompt.isEmpty())
        prompt = request.kind == CredentialRequest::Kind::Passphrase ? tr("Passphrase:")
                                                                     : tr("Password:");
    auto *form = new QFormLayout;
    auto *promptLabel = plainLabel(prompt, this);
    promptLabel->setObjectName(QStringLiteral("promptLabel"));
    promptLabel->setWordWrap(false);
    promptLabel->setBuddy(m_secret);
    form->addRow(promptLabel, m_secret);
    layout->addLayout(form);

    // What the Workbench answers from the keychain is what may be stored there: a password,
    // never a key passphrase or an answer the server lets us show.
    const bool storable =
        request.kind == CredentialRequest::Kind::Password ||
        (request.kind == CredentialRequest::Kind::KeyboardInteractive && !request.echo);
    if (storable) {
        if (!request.keychainNote.isEmpty()) {
            auto *note = plainLabel(escapeServerText(request.keychainNote, false, 500), this);
            note->setObjectName(QStringLiteral("keychainNoteLabel"));
            layout->addWidget(note);
        }
        m_keychain = new QCheckBox(tr("&Remember in the system keychain"), this);
        m_keychain->setObjectName(QStringLiteral("keychainCheck"));
        m_keychain->setChecked(request.useKeychain);
        m_keychain->setToolTip(tr("Saved only after the login succeeded, and only in the "
                                  "system keychain, never in a file."));
        layout->addWidget(m_keychain);
    }

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setMinimumWidth(420);
    m_secret->setFocus();
}

CredentialDialog::~CredentialDialog()
{
    // Closed without an answer (the window destroyed under it): still wipe what was typed.
    m_secret->clear();
}

void CredentialDialog::done(int result)
{
    if (!m_replied) {
        m_replied = true;
        CredentialReply reply;
        reply.id = m_request.id;
        reply.cancelled = result != QDialog::Accepted;
        if (!reply.cancelled) {
            reply.secret = m_secret->text().toUtf8();
            reply.storeInKeychain = m_keychain && m_keychain->isChecked();
        }
        // Wiped before anything else runs. clear() keeps an undo step; setText() drops the
        // line edit's history, so the secret cannot come back with Ctrl+Z either.
        m_secret->clear();
        m_secret->setText(QString());
        emit replied(reply);
        // Our copy: overwrite it (detaches if the receiver kept one; it wipes its own).
        reply.secret.fill('\0');
    }
    QDialog::done(result);
}

} // namespace twbench
