#pragma once

#include <QStyledItemDelegate>

namespace twbench {

// Draws a host of HostListModel as two lines: its name with a state dot, and below it what an
// operator scans the list for — the state (or why it failed) and TIME_WAIT now.
class HostItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostItemDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // The whole reason of a failed or retrying host, which the second line elides.
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The tooltip as shown: name, state and the full detail, as escaped rich text.
    static QString toolTipText(const QModelIndex &index);

    // The second line as shown, for tests and tooltips.
    static QString detailText(const QModelIndex &index);
};

} // namespace twbench
