#pragma once

#include "remote/hostspec.h"
#include "remote/sshconfig.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;

namespace twbench {

class ImportHostModel;

// Lists the Host aliases of an ssh config file with check boxes (those already in the host
// list unchecked) and the reader's warnings, and hands back the chosen ones. The file is read
// with importSshConfig(): nothing of it is run.
class SshImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshImportDialog)

public:
    // `existing`: the host list now, to tell which aliases are already there.
    explicit SshImportDialog(const QList<HostSpec> &existing, QWidget *parent = nullptr);
    ~SshImportDialog() override;

    // Reads `path` and shows what it holds.
    void loadFile(const QString &path);
    // Shows `result` as if read from `path` (tests).
    void setResult(const QString &path, const SshConfigResult &result);

    // The checked hosts, each with a fresh id.
    QList<HostSpec> selectedHosts() const;
    ImportHostModel *model() const { return m_model; }
    QString warningsText() const;

    void done(int result) override;

private:
    void browse();
    void updateButtons();

    QList<HostSpec> m_existing;
    ImportHostModel *m_model = nullptr; // Owned (child).
    QLineEdit *m_path = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_warnings = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace twbench
