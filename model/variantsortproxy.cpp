#include "variantsortproxy.h"

namespace twbench {

VariantSortProxy::VariantSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

VariantSortProxy::~VariantSortProxy() = default;

bool VariantSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return QVariant::compare(left.data(sortRole()), right.data(sortRole())) ==
           QPartialOrdering::Less;
}

} // namespace twbench
