#include "hostkeyquestionmodel.h"

#include "servertext.h"

#include <QColor>
#include <QFontDatabase>

namespace twbench {

HostKeyQuestionModel::HostKeyQuestionModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

HostKeyQuestionModel::~HostKeyQuestionModel() = default;

int HostKeyQuestionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostKeyQuestionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HostKeyQuestionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const HostKeyQuestion &q = row.question;
    const Match match = compare(q.fingerprint, row.expected);
    switch (role) {
    case QuestionIdRole:
        return qulonglong(q.id);
    case ExpectedRole:
        return row.expected;
    case MatchRole:
        return int(match);
    case Qt::DisplayRole:
        switch (index.column()) {
        case HostColumn:
            return q.port == 22
                       ? escapeServerText(q.host, false, 256)
                       : tr("%1 port %2").arg(escapeServerText(q.host, false, 256)).arg(q.port);
        case KeyTypeColumn:
            return q.keyBits > 0 ? tr("%1 (%2 bits)")
                                       .arg(escapeServerText(q.keyType, false, 64))
                                       .arg(q.keyBits)
                                 : escapeServerText(q.keyType, false, 64);
        case FingerprintColumn:
            return escapeServerText(q.fingerprint, false, 256);
        case MatchColumn:
            switch (match) {
            case Match::NotGiven:
                return tr("not compared");
            case Match::Matches:
                return tr("✓ matches");
            case Match::Differs:
                return tr("✗ does not match");
            }
            break;
        default:
            break;
        }
        break;
    case Qt::FontRole:
        if (index.column() == FingerprintColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    case Qt::ForegroundRole:
        if (index.column() == MatchColumn && match == Match::Matches)
            return QColor(0x1a, 0x7f, 0x1a);
        if (index.column() == MatchColumn && match == Match::Differs)
            return QColor(0xc0, 0x20, 0x20);
        break;
    case Qt::ToolTipRole:
        if (index.column() == HostColumn)
            return escapeServerText(q.hostId, false, 256);
        break;
    default:
        break;
    }
    return {};
}

QVariant HostKeyQuestionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn:
        return tr("Host");
    case KeyTypeColumn:
        return tr("Key type");
    case FingerprintColumn:
        return tr("Fingerprint");
    case MatchColumn:
        return tr("Expected");
    default:
        return {};
    }
}

bool HostKeyQuestionModel::addQuestion(const HostKeyQuestion &question)
{
    if (rowOf(question.id) >= 0)
        return false;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_rows.push_back({question, {}});
    endInsertRows();
    return true;
}

bool HostKeyQuestionModel::removeQuestion(std::uint64_t id)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    return true;
}

void HostKeyQuestionModel::setExpected(int row, const QString &expected)
{
    if (row < 0 || row >= rowCount() || m_rows[std::size_t(row)].expected == expected)
        return;
    m_rows[std::size_t(row)].expected = expected;
    emit dataChanged(index(row, MatchColumn), index(row, MatchColumn),
                     {Qt::DisplayRole, Qt::ForegroundRole, ExpectedRole, MatchRole});
}

int HostKeyQuestionModel::rowOf(std::uint64_t id) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].question.id == id)
            return int(i);
    }
    return -1;
}

HostKeyQuestionModel::Match HostKeyQuestionModel::compare(const QString &shown,
                                                          const QString &expected)
{
    const QString pasted = expected.trimmed();
    if (pasted.isEmpty())
        return Match::NotGiven;
    const auto normalize = [](QString text) {
        // The word that carries the fingerprint, from a whole ssh-keygen line if need be.
        const QStringList words = text.split(QChar(u' '), Qt::SkipEmptyParts);
        for (const QString &word : words) {
            if (word.startsWith(QStringLiteral("SHA256:"), Qt::CaseInsensitive)) {
                text = word;
                break;
            }
        }
        text = text.trimmed();
        if (text.startsWith(QStringLiteral("SHA256:"), Qt::CaseInsensitive))
            text = text.mid(7);
        while (text.endsWith(u'='))
            text.chop(1);
        return text;
    };
    const QString a = normalize(shown);
    const QString b = normalize(pasted);
    return !b.isEmpty() && a == b ? Match::Matches : Match::Differs;
}

} // namespace twbench
