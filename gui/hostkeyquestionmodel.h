#pragma once

#include "remote/sshtypes.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace twbench {

// The unknown host keys waiting for the operator, one row each, with the fingerprint the
// operator expects (pasted) beside the one the server showed. All text is escaped server text.
class HostKeyQuestionModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostKeyQuestionModel)

public:
    enum Column : int { HostColumn, KeyTypeColumn, FingerprintColumn, MatchColumn, ColumnCount };
    enum Role : int {
        QuestionIdRole = Qt::UserRole + 1, // qulonglong: HostKeyQuestion::id
        ExpectedRole,                      // QString: the fingerprint pasted for this row
        MatchRole,                         // int: Match
    };
    enum class Match : int { NotGiven, Matches, Differs };

    explicit HostKeyQuestionModel(QObject *parent = nullptr);
    ~HostKeyQuestionModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // False when a question with this id is already listed.
    bool addQuestion(const HostKeyQuestion &question);
    bool removeQuestion(std::uint64_t id);
    void setExpected(int row, const QString &expected);

    const HostKeyQuestion &question(int row) const { return m_rows[std::size_t(row)].question; }
    int rowOf(std::uint64_t id) const;

    // Compares a pasted fingerprint with the shown one. Accepts what `ssh-keygen -lf` prints
    // (bits, fingerprint, comment, type), or the fingerprint alone with or without "SHA256:";
    // base64 padding does not matter, case does.
    static Match compare(const QString &shown, const QString &expected);

private:
    struct Row
    {
        HostKeyQuestion question;
        QString expected;
    };
    std::vector<Row> m_rows;
};

} // namespace twbench
