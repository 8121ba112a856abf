#include "importhostmodel.h"

namespace twbench {

ImportHostModel::ImportHostModel(QObject *parent)
    : QAbstractListModel(parent)
{}

ImportHostModel::~ImportHostModel() = default;

int ImportHostModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString ImportHostModel::summary(const HostSpec &spec)
{
    QString text = spec.user.isEmpty() ? spec.address : spec.user + u'@' + spec.address;
    if (spec.port != 22)
        text += u':' + QString::number(spec.port);
    if (!spec.jumpHost.isEmpty())
        text = tr("%1 via %2").arg(text, spec.jumpHost);
    else if (!spec.proxyCommand.isEmpty())
        text = tr("%1 via a proxy command").arg(text);
    if (spec.login == HostSpec::LoginMethod::IdentityFile)
        text = tr("%1, key %2").arg(text, spec.identityFile);
    return text;
}

QVariant ImportHostModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return row.present ? tr("%1 — %2 (already in the list)")
                                 .arg(row.spec.displayName, summary(row.spec))
                           : tr("%1 — %2").arg(row.spec.displayName, summary(row.spec));
    case Qt::CheckStateRole:
        return row.checked ? Qt::Checked : Qt::Unchecked;
    case Qt::ToolTipRole:
        return summary(row.spec);
    case AlreadyPresentRole:
        return row.present;
    case SummaryRole:
        return summary(row.spec);
    default:
        return {};
    }
}

bool ImportHostModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole)
        return false;
    m_rows[std::size_t(index.row())].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags ImportHostModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
           Qt::ItemNeverHasChildren;
}

void ImportHostModel::setHosts(const QList<HostSpec> &found, const QList<HostSpec> &existing)
{
    beginResetModel();
    m_rows.clear();
    for (const HostSpec &spec : found) {
        bool present = false;
        for (const HostSpec &other : existing) {
            if (other.kind != HostSpec::Kind::Ssh)
                continue;
            if (other.displayName.compare(spec.displayName, Qt::CaseInsensitive) == 0 ||
                (other.address.compare(spec.address, Qt::CaseInsensitive) == 0 &&
                 other.port == spec.port && other.user == spec.user)) {
                present = true;
                break;
            }
        }
        m_rows.push_back({spec, present, !present});
    }
    endResetModel();
}

void ImportHostModel::setAllChecked(bool checked)
{
    if (m_rows.empty())
        return;
    for (Row &row : m_rows)
        row.checked = checked;
    emit dataChanged(index(0), index(rowCount() - 1), {Qt::CheckStateRole});
}

QList<HostSpec> ImportHostModel::checkedHosts() const
{
    QList<HostSpec> hosts;
    for (const Row &row : m_rows) {
        if (row.checked)
            hosts.append(row.spec);
    }
    return hosts;
}

int ImportHostModel::checkedCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.checked; }));
}

} // namespace twbench
