#include "hostitemdelegate.h"

#include "model/hostlistmodel.h"
#include "model/hoststate.h"

#include "servertext.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace twbench {

namespace {

constexpr int margin = 6;
constexpr int dotSize = 8;

QColor stateColor(HostState state)
{
    switch (state) {
    case HostState::Streaming:
        return QColor(0x2c, 0xa0, 0x2c);
    case HostState::Connecting:
    case HostState::VerifyingHostKey:
    case HostState::Authenticating:
        return QColor(0x1f, 0x77, 0xb4);
    case HostState::Retrying:
        return QColor(0xff, 0x7f, 0x0e);
    case HostState::Failed:
        return QColor(0xd6, 0x27, 0x28);
    case HostState::Recorded:
        return QColor(0x94, 0x67, 0xbd);
    case HostState::Idle:
    case HostState::Stopped:
        break;
    }
    return QColor(0x99, 0x99, 0x99);
}

} // namespace

QString HostItemDelegate::detailText(const QModelIndex &index)
{
    const auto state = static_cast<HostState>(index.data(HostListModel::StateRole).toInt());
    QString text = index.data(HostListModel::StateTextRole).toString();
    if (state == HostState::Retrying) {
        const qint64 retryMs = index.data(HostListModel::RetryInMsRole).toLongLong();
        if (retryMs > 0)
            text = QCoreApplication::translate("HostItemDelegate", "retrying in %1 s")
                       .arg((retryMs + 999) / 1000);
    }
    const QString detail = index.data(HostListModel::StatusDetailRole).toString();
    if (!detail.isEmpty() && (state == HostState::Failed || state == HostState::Retrying))
        text += QStringLiteral(": ") + detail;
    const qint64 timeWait = index.data(HostListModel::TimeWaitRole).toLongLong();
    if (timeWait >= 0 && state == HostState::Streaming) {
        text +=
            QStringLiteral(" · ") + QCoreApplication::translate("HostItemDelegate", "TIME_WAIT %1")
                                        .arg(QLocale().toString(timeWait));
    }
    return text;
}

QString HostItemDelegate::toolTipText(const QModelIndex &index)
{
    const auto state = static_cast<HostState>(index.data(HostListModel::StateRole).toInt());
    QString stateText = index.data(HostListModel::StateTextRole).toString();
    if (state == HostState::Retrying) {
        const qint64 retryMs = index.data(HostListModel::RetryInMsRole).toLongLong();
        if (retryMs > 0)
            stateText = QCoreApplication::translate("HostItemDelegate", "retrying in %1 s")
                            .arg((retryMs + 999) / 1000);
    }
    // Rich text only for the layout (bold name, wrapping); every piece is escaped first, and
    // the detail may quote a server.
    QString html =
        QStringLiteral("<p><b>%1</b><br/>%2</p>")
            .arg(index.data(Qt::DisplayRole).toString().toHtmlEscaped(), stateText.toHtmlEscaped());
    const QString detail = index.data(HostListModel::StatusDetailRole).toString();
    if (!detail.isEmpty()) {
        html += QStringLiteral("<p style=\"white-space:pre-wrap\">%1</p>")
                    .arg(escapeServerText(detail, true).toHtmlEscaped());
    }
    return html;
}

bool HostItemDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                 const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QToolTip::showText(event->globalPos(), toolTipText(index), view->viewport(), option.rect);
    return true;
}

QSize HostItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics metrics(option.font);
    return {metrics.horizontalAdvance(QStringLiteral("xxxxxxxxxxxxxxxxxxxxxxxx")),
            2 * metrics.height() + 3 * margin / 2};
}

void HostItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    const QFontMetrics metrics(option.font);
    const QRect area = option.rect.adjusted(margin, margin / 2, -margin, -margin / 2);

    const auto state = static_cast<HostState>(index.data(HostListModel::StateRole).toInt());
    const QRect dot(area.left(), area.top() + (metrics.height() - dotSize) / 2, dotSize, dotSize);
    painter->setPen(Qt::NoPen);
    painter->setBrush(stateColor(state));
    painter->drawEllipse(dot);

    QFont nameFont = option.font;
    nameFont.setBold(true);
    painter->setFont(nameFont);
    painter->setPen(option.palette.color(textRole));
    const QRect nameRect(dot.right() + margin, area.top(), area.width() - dotSize - margin,
                         metrics.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(nameFont).elidedText(index.data(Qt::DisplayRole).toString(),
                                                        Qt::ElideRight, nameRect.width()));

    painter->setFont(option.font);
    QColor detailColor = option.palette.color(textRole);
    if (!selected)
        detailColor.setAlphaF(0.7f);
    painter->setPen(detailColor);
    const QRect detailRect(nameRect.left(), nameRect.bottom() + margin / 2, nameRect.width(),
                           metrics.height());
    painter->drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(detailText(index), Qt::ElideRight, detailRect.width()));
    painter->restore();
}

} // namespace twbench
