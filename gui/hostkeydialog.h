#pragma once

#include "remote/sshtypes.h"

#include <QDialog>

#include <cstdint>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace twbench {

class HostKeyQuestionModel;

// One dialog for every host whose key is not in known_hosts yet (verdict Unknown): a list of
// the pending questions, the selected one in full (host, port, key type and bits, the SHA256
// fingerprint exactly as given, selectable), a field to paste the expected fingerprint with a
// live match indicator, and "Connect once" / "Trust and save" / "Cancel" for the selected
// rows. Questions that arrive while it is open become new rows, never new dialogs.
//
// Answers go out through `answered`; the owner removes a row (removeQuestion) once the answer
// is handed on, and the dialog closes itself when no row is left. Closing it with rows left
// cancels them: a host must not wait for an answer nobody can give.
class HostKeyDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostKeyDialog)

public:
    explicit HostKeyDialog(QWidget *parent = nullptr);
    ~HostKeyDialog() override;

    void addQuestion(const HostKeyQuestion &question);
    void removeQuestion(std::uint64_t questionId);
    int questionCount() const;

    HostKeyQuestionModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *expectedEdit() const { return m_expected; }
    QLabel *matchLabel() const { return m_match; }
    QLabel *fingerprintLabel() const { return m_fingerprint; }

    // Applies `decision` to the selected rows (all rows when none is selected).
    void answerSelected(twbench::HostKeyDecision decision);

    void done(int result) override;

signals:
    void answered(std::uint64_t questionId, twbench::HostKeyDecision decision);

private:
    void showCurrent();
    void updateMatch();
    void updateTitle();

    HostKeyQuestionModel *m_model = nullptr; // Owned (child).
    QTableView *m_view = nullptr;
    QLabel *m_host = nullptr;
    QLabel *m_keyType = nullptr;
    QLabel *m_fingerprint = nullptr;
    QLabel *m_saveTo = nullptr;
    QLineEdit *m_expected = nullptr;
    QLabel *m_match = nullptr;
    QPushButton *m_once = nullptr;
    QPushButton *m_trust = nullptr;
    QPushButton *m_cancel = nullptr;
    bool m_closing = false;
};

} // namespace twbench
