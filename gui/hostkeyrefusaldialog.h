#pragma once

#include "remote/sshtypes.h"

#include <QDialog>

class QDialogButtonBox;
class QPlainTextEdit;

namespace twbench {

// Says why twbench refused a host whose key contradicts known_hosts (Changed, OtherType,
// Revoked), in OpenSSH's words, with the file and line to look at. There is deliberately no
// button that connects anyway: the only way on is Hosts → Forget host key…, a separate step
// that removes the old lines.
class HostKeyRefusalDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostKeyRefusalDialog)

public:
    // From a question whose verdict is not Unknown.
    explicit HostKeyRefusalDialog(const HostKeyQuestion &question, QWidget *parent = nullptr);
    // From a failure status only (the SSH core said why, without the key's details).
    HostKeyRefusalDialog(const QString &hostName, const QString &reason, QWidget *parent = nullptr);
    ~HostKeyRefusalDialog() override;

    // The text as shown, for tests.
    QString text() const;
    QDialogButtonBox *buttons() const { return m_buttons; }

    // OpenSSH's warning for `question`, translated, server text escaped.
    static QString warningText(const HostKeyQuestion &question);

private:
    void build(const QString &warning);

    QPlainTextEdit *m_text = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace twbench
