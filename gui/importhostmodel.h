#pragma once

#include "remote/hostspec.h"

#include <QAbstractListModel>
#include <QList>

#include <vector>

namespace twbench {

// The aliases an ~/.ssh/config import found, each with a check box. Hosts already in the
// host list (same alias, or same user, address and port) start unchecked and say so.
class ImportHostModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportHostModel)

public:
    enum Role : int {
        AlreadyPresentRole = Qt::UserRole + 1, // bool
        SummaryRole,                           // QString: user@address:port, via …
    };

    explicit ImportHostModel(QObject *parent = nullptr);
    ~ImportHostModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    void setHosts(const QList<HostSpec> &found, const QList<HostSpec> &existing);
    void setAllChecked(bool checked);
    // The checked hosts, without ids.
    QList<HostSpec> checkedHosts() const;
    int checkedCount() const;

    static QString summary(const HostSpec &spec);

private:
    struct Row
    {
        HostSpec spec;
        bool present = false;
        bool checked = false;
    };
    std::vector<Row> m_rows;
};

} // namespace twbench
