#include "callersview.h"

#include "workbench.h"

#include "model/accesslog/accesslogstats.h"
#include "model/accesslog/topcallersmodel.h"
#include "model/docker/dockerinventory.h"
#include "model/variantsortproxy.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace twbench {

namespace {

struct SpanChoice
{
    const char *label;
    qint64 ms;
};

const SpanChoice spanChoices[] = {
    {QT_TRANSLATE_NOOP("twbench::CallersView", "Last minute"), 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::CallersView", "Last 5 minutes"), 5 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::CallersView", "Last 15 minutes"), 15 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::CallersView", "Last 30 minutes"), 30 * 60 * 1000},
};

constexpr int maxRows = 200;
constexpr int maxSteadyInBanner = 3;

} // namespace

CallersView::CallersView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_model(new TopCallersModel(this))
    , m_proxy(new VariantSortProxy(this))
{
    setObjectName(QStringLiteral("callersView"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TopCallersModel::SortRole);

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("callersSource"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_source->addItem(tr("All access logs"), QString());
    m_span = new QComboBox(this);
    m_span->setObjectName(QStringLiteral("callersSpan"));
    for (const SpanChoice &choice : spanChoices)
        m_span->addItem(tr(choice.label), choice.ms);
    m_span->setCurrentIndex(qBound(0, QSettings().value(QStringLiteral("callers/span"), 1).toInt(),
                                   int(std::size(spanChoices)) - 1));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("callersSummary"));

    m_steady = new QLabel(this);
    m_steady->setObjectName(QStringLiteral("steadyCallers"));
    m_steady->setWordWrap(true);
    m_steady->setTextFormat(Qt::RichText);
    m_steady->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border: 1px solid "
                                           "#e0b84a; padding: 4px; }"));
    m_steady->hide();

    m_empty = new QLabel(tr("This host follows no access log. Add one under Hosts → Edit host… "
                            "→ Access logs: an nginx or Apache log file, or a container's "
                            "output."),
                         this);
    m_empty->setObjectName(QStringLiteral("callersEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("callersTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::DescendingOrder); // the model's order: highest rate first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics metrics = m_table->fontMetrics();
    m_table->setColumnWidth(TopCallersModel::SourceColumn,
                            metrics.horizontalAdvance(QStringLiteral("/var/log/nginx/access.log")));
    m_table->setColumnWidth(TopCallersModel::ClientColumn,
                            metrics.horizontalAdvance(QStringLiteral("2001:db8:ffff::ffff:1")));
    m_table->setColumnWidth(TopCallersModel::MethodColumn,
                            metrics.horizontalAdvance(QStringLiteral("OPTIONS")) + 16);
    m_table->setColumnWidth(TopCallersModel::PathColumn, metrics.horizontalAdvance(QStringLiteral(
                                                             "/api/v1/users/{id}/orders/")));
    for (int column : {TopCallersModel::StatusColumn, TopCallersModel::RequestsColumn,
                       TopCallersModel::RateColumn}) {
        const QString header = m_model->headerData(column, Qt::Horizontal).toString();
        m_table->setColumnWidth(column, qMax(metrics.horizontalAdvance(header),
                                             metrics.horizontalAdvance(QStringLiteral("000,000"))) +
                                            24);
    }

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Log:"), this));
    bar->addWidget(m_source);
    bar->addWidget(new QLabel(tr("Over:"), this));
    bar->addWidget(m_span);
    bar->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_steady);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_table, 1);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(1000);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        if (m_dirty && isVisible())
            refresh();
    });
    m_refreshTimer->start();

    connect(m_workbench, &Workbench::sampleArrived, this, [this](const QString &hostId) {
        if (hostId == m_workbench->currentHost())
            m_dirty = true;
    });
    connect(m_workbench, &Workbench::currentHostChanged, this, [this] {
        m_model->clear();
        refresh();
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_span, &QComboBox::currentIndexChanged, this, [this](int index) {
        QSettings().setValue(QStringLiteral("callers/span"), index);
        refresh();
    });
    refresh();
}

CallersView::~CallersView() = default;

void CallersView::showEvent(QShowEvent *event)
{
    // Samples that came while hidden only marked the view: bring it up to date before it is
    // seen, not at the next tick (which would first show "follows no access log").
    if (m_dirty)
        refresh();
    QWidget::showEvent(event);
}

qint64 CallersView::spanMs() const
{
    return m_span->currentData().toLongLong();
}

void CallersView::updateSources()
{
    const AccessLogStats *stats = m_workbench->accessLogs(m_workbench->currentHost());
    const QStringList sources = stats ? stats->sourceIds() : QStringList();
    QStringList shown;
    for (int i = 1; i < m_source->count(); ++i)
        shown.append(m_source->itemData(i).toString());
    if (shown == sources)
        return;
    const QString selected = m_source->currentData().toString();
    const QSignalBlocker blocker(m_source);
    while (m_source->count() > 1)
        m_source->removeItem(1);
    for (const QString &source : sources)
        m_source->addItem(safeDisplayTextKeepingEnd(source, 60), source);
    m_source->setCurrentIndex(qMax(0, m_source->findData(selected)));
}

void CallersView::refresh()
{
    m_dirty = false;
    updateSources();
    const AccessLogStats *stats = m_workbench->accessLogs(m_workbench->currentHost());
    const bool anyLog = stats && !stats->sourceIds().isEmpty();
    m_empty->setVisible(!anyLog);
    m_table->setVisible(anyLog);
    if (!anyLog) {
        m_model->clear();
        m_summary->clear();
        m_steady->hide();
        return;
    }

    const QString source = m_source->currentData().toString();
    m_model->setRows(stats->topCallers(source, spanMs(), maxRows));

    const QLocale locale;
    QStringList problems;
    const QStringList sources = stats->sourceIds();
    for (const QString &id : sources) {
        const AccessLogStats::SourceSummary summary = stats->summary(id);
        if (!summary.error.isEmpty())
            problems.append(tr("%1: %2").arg(safeDisplayTextKeepingEnd(id, 60), summary.error));
        else if (summary.rejected > 0)
            problems.append(tr("%1: %2 of %3 lines did not match the format and were skipped")
                                .arg(safeDisplayTextKeepingEnd(id, 60),
                                     locale.toString(summary.rejected),
                                     locale.toString(summary.rejected + summary.requests)));
    }
    QString summaryText =
        tr("%1 requests/s in total")
            .arg(TopCallersModel::rateText(stats->requestsPerSecond(source, spanMs())));
    if (!problems.isEmpty())
        summaryText += QStringLiteral(" · ") + problems.join(QStringLiteral(" · "));
    m_summary->setText(summaryText);

    QList<AccessLogStats::SteadyCaller> steady = stats->steadyCallers();
    if (!source.isEmpty())
        steady.removeIf(
            [&](const AccessLogStats::SteadyCaller &caller) { return caller.sourceId != source; });
    if (steady.isEmpty()) {
        m_steady->hide();
        return;
    }
    QStringList lines;
    for (qsizetype i = 0; i < steady.size() && i < maxSteadyInBanner; ++i) {
        const AccessLogStats::SteadyCaller &caller = steady[i];
        lines.append(tr("<b>%1</b> calls <b>%2 %3</b> at a steady %4/s (±%5 %) for %6 min")
                         .arg(caller.client.toHtmlEscaped(), caller.method.toHtmlEscaped(),
                              caller.path.toHtmlEscaped(),
                              TopCallersModel::rateText(caller.meanRequestsPerSec),
                              locale.toString(caller.variation * 100, 'f', 0),
                              locale.toString(double(caller.durationMs) / 60000.0, 'f', 1)));
    }
    if (steady.size() > maxSteadyInBanner)
        lines.append(
            tr("and %n more steady caller(s)", nullptr, int(steady.size() - maxSteadyInBanner)));
    m_steady->setText(tr("Requests at a near-constant rate for minutes look like a program "
                         "calling in a loop, not people:") +
                      QStringLiteral("<br>") + lines.join(QStringLiteral("<br>")));
    m_steady->show();
}

ExportSource CallersView::exportSource() const
{
    ExportSource source = ExportSource::ofWidget(tr("Callers"), m_table);
    source.table = m_table->model(); // the sort proxy: rows as sorted
    return source;
}

} // namespace twbench
