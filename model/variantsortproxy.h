#pragma once

#include <QSortFilterProxyModel>

namespace twbench {

// A QSortFilterProxyModel that compares sortRole() values with QVariant::compare, so the custom
// value types our models give as SortRole (Endpoint, IpAddress: ordered numerically by their
// operator<) sort as themselves. Qt 6.4's own lessThan compares any type it does not know by
// toString(), which for those is empty: the order would not change at all.
// Put it over EndpointGroupModel with setSortRole(EndpointGroupModel::SortRole).
class VariantSortProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VariantSortProxy)

public:
    explicit VariantSortProxy(QObject *parent = nullptr);
    ~VariantSortProxy() override;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace twbench
