#include "connectionsview.h"

#include "workbench.h"

#include "model/connectionfilterproxy.h"
#include "model/connectiontablemodel.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace twbench {

namespace {

// The states an operator filters on, most asked first. "All" is the empty filter.
const QList<TcpState> filterableStates = {
    TcpState::TimeWait, TcpState::Established, TcpState::CloseWait, TcpState::SynRecv,
    TcpState::SynSent,  TcpState::FinWait1,    TcpState::FinWait2,  TcpState::LastAck,
    TcpState::Closing,  TcpState::Listen,
};

} // namespace

ConnectionsView::ConnectionsView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_model(new ConnectionTableModel(this))
    , m_proxy(new ConnectionFilterProxy(this))
{
    setObjectName(QStringLiteral("connectionsView"));
    m_proxy->setSourceModel(m_model);

    m_stateFilter = new QComboBox(this);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->addItem(tr("All states"), -1);
    for (TcpState state : filterableStates)
        m_stateFilter->addItem(tcpStateName(state), stateIndex(state));
    m_stateFilter->setToolTip(tr("Show only sockets in this TCP state"));

    m_containerFilter = new QComboBox(this);
    m_containerFilter->setObjectName(QStringLiteral("containerFilter"));
    m_containerFilter->setToolTip(tr("Show only the sockets of one container, or the host's own"));
    m_containerFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_textFilter = new QLineEdit(this);
    m_textFilter->setObjectName(QStringLiteral("textFilter"));
    m_textFilter->setPlaceholderText(tr("Filter by address or port (Ctrl+F)"));
    m_textFilter->setClearButtonEnabled(true);
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    focusFilter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(focusFilter, &QAction::triggered, m_textFilter,
            [this] { m_textFilter->setFocus(Qt::ShortcutFocusReason); });
    addAction(focusFilter);

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("connectionCount"));

    m_groupLabel = new QLabel(this);
    m_groupLabel->setObjectName(QStringLiteral("groupFilterLabel"));
    m_groupLabel->setTextFormat(Qt::PlainText); // it quotes remote names
    m_clearGroup = new QToolButton(this);
    m_clearGroup->setText(tr("Show all"));
    m_clearGroup->setToolTip(tr("Remove the group filter"));
    m_groupLabel->hide();
    m_clearGroup->hide();
    connect(m_clearGroup, &QToolButton::clicked, this, &ConnectionsView::clearGroup);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("connectionsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // arrival order until the operator sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // Every row the same height, never measured: the header then keeps 100k rows as one span
    // instead of asking each row's size when a table arrives.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int endpointWidth =
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("[2001:db8:ffff:ffff::1]:65535"));
    m_table->setColumnWidth(ConnectionTableModel::LocalColumn, endpointWidth);
    m_table->setColumnWidth(ConnectionTableModel::RemoteColumn, endpointWidth);
    m_table->setColumnWidth(
        ConnectionTableModel::ContainerColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("shop-inventory-1__")));
    m_table->setColumnWidth(
        ConnectionTableModel::StateColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("ESTABLISHED_")) + 16);

    auto *filterBar = new QHBoxLayout;
    filterBar->addWidget(m_stateFilter);
    filterBar->addWidget(m_containerFilter);
    filterBar->addWidget(m_textFilter, 1);
    filterBar->addWidget(m_groupLabel);
    filterBar->addWidget(m_clearGroup);
    filterBar->addWidget(m_countLabel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(filterBar);
    layout->addWidget(m_table, 1);

    QSettings settings;
    m_stateFilter->setCurrentIndex(
        qMax(0, m_stateFilter->findData(settings.value(QStringLiteral("connections/state"), -1))));
    applyStateFilter();

    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        applyStateFilter();
        QSettings().setValue(QStringLiteral("connections/state"), m_stateFilter->currentData());
    });
    updateContainerFilter(nullptr);
    connect(m_containerFilter, &QComboBox::currentIndexChanged, this,
            &ConnectionsView::applyContainerFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConnectionsView::emitSelection);
    connect(m_textFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setTextFilter(text);
        updateCount();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ConnectionsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ConnectionsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ConnectionsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ConnectionsView::updateCount);
    connect(m_workbench, &Workbench::currentHostChanged, this,
            &ConnectionsView::onCurrentHostChanged);
    connect(m_workbench, &Workbench::tableArrived, this, &ConnectionsView::onTable);
    onCurrentHostChanged(m_workbench->currentHost());
}

ConnectionsView::~ConnectionsView() = default;

void ConnectionsView::onCurrentHostChanged(const QString &hostId)
{
    clearGroup(); // a group of another host's table means nothing here
    m_model->clear();
    const PreparedTablePtr prepared = m_workbench->preparedTable(hostId);
    if (prepared && prepared->table == m_workbench->latestTable(hostId))
        applyPrepared(prepared);
    else if (const SnapshotPtr table = m_workbench->latestTable(hostId))
        applyTable(table, m_workbench->latestDocker(hostId), m_workbench->latestNamespaces(hostId));
    else
        updateContainerFilter(m_workbench->latestDocker(hostId).get());
    updateCount();
}

void ConnectionsView::onTable(const QString &hostId, const SnapshotPtr &table)
{
    if (hostId != m_workbench->currentHost())
        return;
    // Prepared on the thread pool: what is left here is in proportion to what changed.
    const PreparedTablePtr prepared = m_workbench->preparedTable(hostId);
    if (prepared && prepared->table == table)
        applyPrepared(prepared);
    else
        applyTable(table, m_workbench->latestDocker(hostId), m_workbench->latestNamespaces(hostId));
}

void ConnectionsView::applyPrepared(const PreparedTablePtr &prepared)
{
    updateContainerFilter(prepared->inventory.get());
    m_model->applyPrepared(prepared);
    updateCount();
}

void ConnectionsView::applyTable(const SnapshotPtr &table,
                                 std::shared_ptr<const DockerInventory> inventory,
                                 std::shared_ptr<const NamespaceMap> namespaces)
{
    updateContainerFilter(inventory.get());
    m_model->applySnapshot(table, std::move(inventory), std::move(namespaces));
    updateCount();
}

void ConnectionsView::updateContainerFilter(const DockerInventory *inventory)
{
    // Entries by owner id (ConnectionTableModel::OwnerIdRole); the choice survives a refill
    // while its container exists.
    QList<QPair<QString, QString>> entries; // display, owner id
    if (inventory) {
        for (const Container &container : inventory->containers)
            entries.append({safeDisplayText(container.name), container.id});
        std::sort(entries.begin(), entries.end());
    }
    QStringList ids;
    for (const auto &entry : std::as_const(entries))
        ids << entry.second;
    QStringList shownIds;
    for (int i = 2; i < m_containerFilter->count(); ++i)
        shownIds << m_containerFilter->itemData(i).toString();
    if (m_containerFilter->count() >= 2 && ids == shownIds)
        return;
    const QVariant current = m_containerFilter->currentData();
    const QSignalBlocker blocker(m_containerFilter);
    m_containerFilter->clear();
    // Null data: every socket; an empty string: the host's own (not in any container).
    m_containerFilter->addItem(tr("All containers and host"), QVariant());
    m_containerFilter->addItem(tr("Host only"), QString());
    for (const auto &entry : std::as_const(entries))
        m_containerFilter->addItem(entry.first, entry.second);
    const int index = current.isNull() ? 0 : m_containerFilter->findData(current);
    m_containerFilter->setCurrentIndex(qMax(0, index));
    applyContainerFilter();
}

void ConnectionsView::applyContainerFilter()
{
    const QVariant owner = m_containerFilter->currentData();
    m_proxy->setOwnerFilter(owner.isNull() ? std::nullopt
                                           : std::optional<QString>(owner.toString()));
    updateCount();
}

void ConnectionsView::emitSelection()
{
    QList<SocketKey> keys;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    keys.reserve(rows.size());
    for (const QModelIndex &row : rows)
        keys.append(row.data(ConnectionTableModel::SocketKeyRole).value<SocketKey>());
    emit selectedSocketsChanged(keys);
}

void ConnectionsView::showSockets(const QSet<SocketKey> &keys, const QString &display)
{
    m_proxy->clearGroupFilter();
    m_proxy->setSocketFilter(keys);
    m_groupLabel->setText(tr("Graph: %1").arg(display));
    m_groupLabel->show();
    m_clearGroup->show();
    updateCount();
}

void ConnectionsView::showGroup(Grouping grouping, const GroupKey &key, const QString &display)
{
    m_proxy->clearSocketFilter();
    m_proxy->setGroupFilter(grouping, key);
    m_groupLabel->setText(tr("Group: %1 (%2)").arg(display, groupingName(grouping)));
    m_groupLabel->show();
    m_clearGroup->show();
    updateCount();
}

void ConnectionsView::clearGroup()
{
    m_proxy->clearGroupFilter();
    m_proxy->clearSocketFilter();
    m_groupLabel->hide();
    m_clearGroup->hide();
    updateCount();
}

void ConnectionsView::applyStateFilter()
{
    const int code = m_stateFilter->currentData().toInt();
    QList<TcpState> states;
    if (code > 0)
        states.append(static_cast<TcpState>(code));
    m_proxy->setStateFilter(states);
    updateCount();
}

void ConnectionsView::updateCount()
{
    const QLocale locale;
    m_countLabel->setText(
        tr("%1 of %2 sockets")
            .arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount())));
}

void ConnectionsView::setTextFilter(const QString &text)
{
    clearGroup();
    m_textFilter->setText(text);
}

ExportSource ConnectionsView::exportSource() const
{
    ExportSource source = ExportSource::ofWidget(tr("Connections"), m_table);
    source.table = m_table->model(); // the filter proxy: rows as filtered and sorted
    return source;
}

} // namespace twbench
