#include "endpointsview.h"

#include "poolrelease.h"
#include "workbench.h"

#include "model/attribution.h"
#include "model/docker/dockerinventory.h"
#include "model/endpointgroupmodel.h"
#include "model/variantsortproxy.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace twbench {

EndpointsView::EndpointsView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_model(new EndpointGroupModel(this))
    , m_proxy(new VariantSortProxy(this))
{
    setObjectName(QStringLiteral("endpointsView"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(EndpointGroupModel::SortRole);

    m_groupBy = new QComboBox(this);
    m_groupBy->setObjectName(QStringLiteral("groupBy"));
    for (int i = 0; i < GroupingCount; ++i)
        m_groupBy->addItem(groupingName(static_cast<Grouping>(i)), i);
    m_groupBy->setToolTip(tr("Group the sockets by this key, like netstat | awk | sort | uniq -c"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("groupSummary"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("endpointsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::DescendingOrder); // the model's order: largest total first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // Every row the same height, never measured (grouped by remote endpoint: 100k rows).
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(
        EndpointGroupModel::KeyColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("[2001:db8:ffff:ffff::1]:65535")));
    // Each count column as wide as its header (or a six-digit count), no wider: all ten columns
    // fit a 1280-pixel window without a horizontal scroll bar.
    const QFontMetrics metrics = m_table->horizontalHeader()->fontMetrics();
    for (int column = EndpointGroupModel::RoleColumn; column < EndpointGroupModel::ColumnCount;
         ++column) {
        const QString header = m_model->headerData(column, Qt::Horizontal).toString();
        m_table->setColumnWidth(column, qMax(metrics.horizontalAdvance(header),
                                             metrics.horizontalAdvance(QStringLiteral("000,000"))) +
                                            24);
    }
    m_table->setToolTip(tr("Double-click a group to see its sockets"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Group by:"), this));
    bar->addWidget(m_groupBy);
    bar->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    m_groupBy->setCurrentIndex(qBound(
        0, QSettings().value(QStringLiteral("endpoints/groupBy"), 0).toInt(), GroupingCount - 1));

    connect(m_groupBy, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("endpoints/groupBy"), m_groupBy->currentIndex());
        m_pending = m_shown ? m_shown : m_pending;
        startGrouping();
    });
    connect(&m_watcher, &QFutureWatcher<QList<SocketGroup>>::finished, this,
            &EndpointsView::onGroupingFinished);
    connect(m_table, &QAbstractItemView::activated, this, &EndpointsView::activateRow);
    connect(m_workbench, &Workbench::currentHostChanged, this,
            &EndpointsView::onCurrentHostChanged);
    connect(m_workbench, &Workbench::tableArrived, this, &EndpointsView::onTable);
    onCurrentHostChanged(m_workbench->currentHost());
}

EndpointsView::~EndpointsView()
{
    // The grouping holds its own reference to the snapshot; only the watcher refers to us.
    m_watcher.waitForFinished();
}

Grouping EndpointsView::currentGrouping() const
{
    return static_cast<Grouping>(m_groupBy->currentData().toInt());
}

void EndpointsView::onCurrentHostChanged(const QString &hostId)
{
    m_model->clear();
    m_shown.reset();
    m_pending = m_workbench->latestTable(hostId);
    m_summary->setText(m_pending ? QString() : tr("Waiting for the first socket table…"));
    startGrouping();
}

void EndpointsView::onTable(const QString &hostId, const SnapshotPtr &table)
{
    if (hostId != m_workbench->currentHost())
        return;
    m_pending = table;
    startGrouping();
}

// Container names by network namespace, so a container's endpoints read as its own (a display
// label only: the grouping itself keys on the namespace).
QHash<std::uint64_t, QString> EndpointsView::namespaceLabels() const
{
    QHash<std::uint64_t, QString> labels;
    const QString hostId = m_workbench->currentHost();
    const std::shared_ptr<const NamespaceMap> namespaces = m_workbench->latestNamespaces(hostId);
    const std::shared_ptr<const DockerInventory> docker = m_workbench->latestDocker(hostId);
    if (!namespaces || !docker)
        return labels;
    for (const Container &container : docker->containers) {
        const auto netns = namespaces->containerNetns.constFind(container.id);
        if (netns == namespaces->containerNetns.constEnd() || *netns == namespaces->hostNetns)
            continue;
        QString &label = labels[*netns];
        // Containers sharing a namespace (pods, --network container:) are listed together.
        label = label.isEmpty()
                    ? safeDisplayText(container.name, 40)
                    : label + QStringLiteral(", ") + safeDisplayText(container.name, 40);
    }
    return labels;
}

void EndpointsView::startGrouping()
{
    if (!m_pending || m_watcher.isRunning())
        return; // a running grouping picks up m_pending when it finishes
    const SnapshotPtr table = std::exchange(m_pending, nullptr);
    m_runningGrouping = currentGrouping();
    m_shown = table;
    const Grouping grouping = m_runningGrouping;
    // setFuture() drops the last grouping (a group per socket, grouped by remote endpoint):
    // taken out first, it is freed on the pool.
    std::shared_ptr<QList<SocketGroup>> last;
    if (m_watcher.future().resultCount() > 0)
        last = std::make_shared<QList<SocketGroup>>(m_watcher.result());
    m_watcher.setFuture(
        QtConcurrent::run([table, grouping] { return groupSockets(*table, grouping); }));
    releaseOnPool(std::move(last));
}

void EndpointsView::onGroupingFinished()
{
    const QList<SocketGroup> groups = m_watcher.result();
    // A host switch while grouping: m_shown was reset, the result belongs to the old host.
    if (m_shown && m_shown->hostId == m_workbench->currentHost()) {
        m_model->applyGroups(m_runningGrouping, groups);
        std::uint64_t connections = 0;
        std::uint64_t timeWait = 0;
        for (const SocketGroup &group : groups) {
            connections += group.total;
            timeWait += group.count(TcpState::TimeWait);
        }
        const QLocale locale;
        m_summary->setText(
            tr("%n group(s), %1 connections, %2 in TIME_WAIT", nullptr, int(groups.size()))
                .arg(locale.toString(qulonglong(connections)),
                     locale.toString(qulonglong(timeWait))));
        emit groupsApplied();
    }
    if (m_pending || currentGrouping() != m_runningGrouping) {
        if (!m_pending)
            m_pending = m_shown;
        startGrouping();
    }
}

void EndpointsView::activateRow(const QModelIndex &proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    if (!source.isValid())
        return;
    const SocketGroup &group = m_model->groupAt(source.row());
    emit drillDown(m_model->grouping(), group.key, group.display);
}

ExportSource EndpointsView::exportSource() const
{
    ExportSource source = ExportSource::ofWidget(tr("Endpoints"), m_table);
    source.table = m_table->model(); // the sort proxy: rows as sorted
    return source;
}

} // namespace twbench
