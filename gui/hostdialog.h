#pragma once

#include "remote/hostspec.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace twbench {

// Adds, edits or duplicates one host. Every change is checked at once with
// HostSpec::validationError(); the first problem shows under the form and OK stays disabled
// until there is none. The dialog never sees a secret: a password is asked for when a
// connection needs it (CredentialDialog), not here; the keychain check box only opts the host
// in or out (out deletes the stored password, see Workbench::updateHost).
class HostDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostDialog)

public:
    enum class Mode { Add, Edit, Duplicate };

    // Add: `spec` gives the defaults (a fresh id is made when it has none). Duplicate: a copy
    // of `spec` with a fresh id and " (copy)" after the name. Edit: `spec` as it is; the local
    // workstation shows only what applies to it (name, sudo, docker, intervals).
    HostDialog(Mode mode, const HostSpec &spec, QWidget *parent = nullptr);
    ~HostDialog() override;

    // What the form says now, valid or not.
    HostSpec spec() const;
    // The problem shown under the form; empty when the spec is valid.
    QString validationText() const;
    QPushButton *okButton() const;

    void done(int result) override;

private:
    enum LogColumn : int { LogKindColumn, LogTargetColumn, LogFormatColumn, LogColumnCount };

    void addLogRow(const LogSourceSpec &source);
    QList<LogSourceSpec> logSources() const;
    void buildForm();
    void load(const HostSpec &spec);
    void validate();
    void chooseIdentityFile();
    void updateLoginFields();

    HostSpec m_base; // what the form does not show (id, kind) comes from here
    bool m_nameEdited = false;

    QLineEdit *m_name = nullptr;
    QGroupBox *m_connection = nullptr;
    QLineEdit *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_login = nullptr;
    QLineEdit *m_identityFile = nullptr;
    QPushButton *m_browse = nullptr;
    QLineEdit *m_jumpHost = nullptr;
    QLineEdit *m_proxyCommand = nullptr;
    QCheckBox *m_keychain = nullptr;
    QCheckBox *m_sudo = nullptr;
    QComboBox *m_docker = nullptr;
    QSpinBox *m_counterInterval = nullptr;
    QSpinBox *m_tableInterval = nullptr;
    QTableWidget *m_logs = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace twbench
