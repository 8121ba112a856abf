#include "findingsview.h"

#include "findingsrunner.h"
#include "workbench.h"

#include "model/diagnosis/findingsmodel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace twbench {

namespace {

QColor severityColor(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Critical:
        return QColor(0xc6, 0x28, 0x28);
    case Finding::Severity::Warning:
        return QColor(0xe0, 0x8a, 0x00);
    case Finding::Severity::Info:
        break;
    }
    return QColor(0x1f, 0x77, 0xb4);
}

// The severity column with a coloured dot: the model is QtCore only, colours are the view's.
class SeverityDecorationProxy final : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DecorationRole || index.column() != FindingsModel::SeverityColumn)
            return QIdentityProxyModel::data(index, role);
        const auto *findings = static_cast<const FindingsModel *>(sourceModel());
        const QColor color = severityColor(findings->findingAt(mapToSource(index).row()).severity);
        QPixmap dot(12, 12);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(1, 1, 10, 10));
        return dot;
    }
};

} // namespace

FindingsView::FindingsView(Workbench *workbench, FindingsRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_runner(runner)
    , m_model(new FindingsModel(this))
{
    setObjectName(QStringLiteral("findingsView"));
    m_model->setHostLabeler([this](const QString &hostId) {
        const std::optional<HostSpec> spec = m_workbench->hostSpec(hostId);
        if (!spec)
            return hostId;
        if (spec->kind == HostSpec::Kind::Local && spec->displayName.isEmpty())
            return tr("This workstation");
        return spec->displayName;
    });

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("findingsSummary"));
    m_summary->setWordWrap(true);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("findingsTable"));
    auto *decorated = new SeverityDecorationProxy(this);
    decorated->setSourceModel(m_model);
    m_table->setModel(decorated);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(FindingsModel::SeverityColumn,
                            m_table->fontMetrics().horizontalAdvance(tr("Critical")) + 48);
    m_table->setColumnWidth(
        FindingsModel::HostColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("web-server-01")) + 16);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("findingDetails"));
    m_details->setOpenLinks(false);
    m_showConnections = new QPushButton(tr("Show the &connections"), this);
    m_showConnections->setObjectName(QStringLiteral("showFindingConnections"));
    m_showConnections->setToolTip(
        tr("Open the connection table filtered to this finding's sockets"));
    m_showConnections->setEnabled(false);

    auto *detailsPane = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_details, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_showConnections);
    detailsLayout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detailsPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_runner, &FindingsRunner::findingsChanged, this, &FindingsView::refresh);
    connect(m_workbench, &Workbench::hostsChanged, this, &FindingsView::refresh);
    m_table->installEventFilter(this);
    m_table->viewport()->installEventFilter(this);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FindingsView::onCurrentRowChanged);
    // A click on the finding the panel selected by itself is the operator's pick: no current
    // change announces it.
    connect(m_table, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        if (!m_evidencePending || index.row() != m_table->currentIndex().row())
            return;
        m_evidencePending = false;
        emit findingSelected(m_model->findingAt(index.row()));
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &top, const QModelIndex &bottom) {
                const int row = m_table->currentIndex().row();
                if (row >= top.row() && row <= bottom.row())
                    m_details->setHtml(
                        detailsHtml(m_model->findingAt(row))); // new numbers, same finding
            });
    connect(m_showConnections, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (!current.isValid())
            return;
        m_evidencePending = false;
        emit showConnectionsRequested(m_model->findingAt(current.row()));
    });
    refresh();
}

FindingsView::~FindingsView() = default;

QString FindingsView::tabTitle() const
{
    const int count = m_model->rowCount();
    return count == 0 ? tr("&Findings") : tr("&Findings (%1)").arg(QLocale().toString(count));
}

void FindingsView::refresh()
{
    m_model->setFindings(m_runner->findings());
    int critical = 0;
    int warning = 0;
    int info = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        switch (m_model->findingAt(row).severity) {
        case Finding::Severity::Critical:
            ++critical;
            break;
        case Finding::Severity::Warning:
            ++warning;
            break;
        case Finding::Severity::Info:
            ++info;
            break;
        }
    }
    if (m_model->rowCount() == 0) {
        m_summary->setText(tr("No findings: nothing the rules look for (a service that closes "
                              "its own connections, a proxy without upstream keep-alive, a "
                              "polling loop, CLOSE_WAIT piling up, port or TIME_WAIT limits "
                              "near) shows on the watched hosts right now. The rules run again "
                              "with every socket table."));
        m_details->clear();
        m_showConnections->setEnabled(false);
    } else {
        const QLocale locale;
        m_summary->setText(
            tr("Critical: %1 · Warning: %2 · Info: %3. Select a finding to see "
               "its evidence here, in the graph and on the charts.")
                .arg(locale.toString(critical), locale.toString(warning), locale.toString(info)));
        if (!m_table->currentIndex().isValid())
            m_table->selectRow(0);
    }
    emit tabTitleChanged(tabTitle());
}

void FindingsView::onCurrentRowChanged()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_details->clear();
        m_showConnections->setEnabled(false);
        m_currentKey.clear();
        return;
    }
    const Finding &finding = m_model->findingAt(current.row());
    m_details->setHtml(detailsHtml(finding));
    m_showConnections->setEnabled(!finding.tableFilter.isEmpty());
    // The same finding on another row (one above it came or went) is no new pick.
    const QString key = m_model->index(current.row(), 0).data(FindingsModel::KeyRole).toString();
    if (std::exchange(m_currentKey, key) == key)
        return;
    m_evidencePending = !m_operatorInput;
    if (m_operatorInput)
        emit findingSelected(finding);
}

bool FindingsView::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
    case QEvent::KeyPress:
        // The table handles the event right after this filter, the current row changing
        // inside; the flag is down again once the event loop turns.
        if (!m_operatorInput) {
            m_operatorInput = true;
            QTimer::singleShot(0, this, [this] { m_operatorInput = false; });
        }
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

QString FindingsView::detailsHtml(const Finding &finding)
{
    QString html =
        QStringLiteral("<h3 style='color:%1'>%2</h3>")
            .arg(severityColor(finding.severity).name(),
                 QString(severityName(finding.severity) + QStringLiteral(" · ") + finding.title)
                     .toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(finding.explanation.toHtmlEscaped());
    if (!finding.evidence.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p><table cellspacing='0' cellpadding='3'>")
                    .arg(tr("Evidence").toHtmlEscaped());
        for (const Finding::Evidence &evidence : finding.evidence)
            html += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>")
                        .arg(evidence.label.toHtmlEscaped(), evidence.value.toHtmlEscaped());
        html += QStringLiteral("</table>");
    }
    if (!finding.remedies.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p><ol>").arg(tr("What to do").toHtmlEscaped());
        for (const QString &remedy : finding.remedies) {
            // A remedy's first line is prose; lines after it are a snippet to paste.
            const qsizetype newline = remedy.indexOf(u'\n');
            if (newline < 0) {
                html += QStringLiteral("<li>%1</li>").arg(remedy.toHtmlEscaped());
            } else {
                html += QStringLiteral("<li>%1<pre>%2</pre></li>")
                            .arg(remedy.left(newline).toHtmlEscaped(),
                                 remedy.mid(newline + 1).toHtmlEscaped());
            }
        }
        html += QStringLiteral("</ol>");
    }
    html += QStringLiteral("<p style='color:#777'>%1</p>")
                .arg(tr("Rule: %1").arg(finding.id).toHtmlEscaped());
    return html;
}

ExportSource FindingsView::exportSource()
{
    ExportSource source = ExportSource::ofWidget(tr("Findings"), this);
    source.table = m_table->model(); // the list as shown, most severe first
    return source;
}

} // namespace twbench
