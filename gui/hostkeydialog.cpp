#include "hostkeydialog.h"

#include "hostkeyquestionmodel.h"
#include "servertext.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace twbench {

namespace {

const QString geometryKey = QStringLiteral("hostKeyDialog/geometry");

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

HostKeyDialog::HostKeyDialog(QWidget *parent)
    : QDialog(parent)
    , m_model(new HostKeyQuestionModel(this))
{
    setObjectName(QStringLiteral("hostKeyDialog"));

    auto *intro = new QLabel(
        tr("twbench has not seen the keys of these hosts before. Compare each fingerprint with "
           "one you got another way (the server's console: ssh-keygen -lf "
           "/etc/ssh/ssh_host_ed25519_key.pub) before you trust it."),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("hostKeyTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HostKeyQuestionModel::FingerprintColumn,
                                                     QHeaderView::Stretch);
    m_view->setMinimumHeight(120);

    auto *details = new QGroupBox(tr("Selected host"), this);
    m_host = valueLabel(details);
    m_host->setObjectName(QStringLiteral("hostLabel"));
    m_keyType = valueLabel(details);
    m_fingerprint = valueLabel(details);
    m_fingerprint->setObjectName(QStringLiteral("fingerprintLabel"));
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_saveTo = valueLabel(details);
    m_saveTo->setWordWrap(true);
    m_expected = new QLineEdit(details);
    m_expected->setObjectName(QStringLiteral("expectedEdit"));
    m_expected->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_expected->setPlaceholderText(tr("paste the fingerprint you expect (SHA256:…)"));
    m_expected->setClearButtonEnabled(true);
    m_match = new QLabel(details);
    m_match->setObjectName(QStringLiteral("matchLabel"));
    m_match->setTextFormat(Qt::PlainText);
    auto *form = new QFormLayout(details);
    form->addRow(tr("Host:"), m_host);
    form->addRow(tr("Key:"), m_keyType);
    form->addRow(tr("Fingerprint:"), m_fingerprint);
    form->addRow(tr("&Expected:"), m_expected);
    form->addRow(QString(), m_match);
    form->addRow(tr("Saved to:"), m_saveTo);

    m_once = new QPushButton(tr("Connect &once"), this);
    m_once->setObjectName(QStringLiteral("connectOnceButton"));
    m_once->setToolTip(tr("Connect the selected hosts this time; ask again next time."));
    m_trust = new QPushButton(tr("&Trust and save"), this);
    m_trust->setObjectName(QStringLiteral("trustButton"));
    m_trust->setToolTip(tr("Add the selected hosts' keys to your known_hosts file, then connect."));
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Do not connect to the selected hosts."));
    auto *selectAll = new QPushButton(tr("Select &all"), this);
    // Trusting a key must be a deliberate click: no button reacts to Enter.
    for (QPushButton *button : {m_once, m_trust, m_cancel, selectAll}) {
        button->setAutoDefault(false);
        button->setDefault(false);
    }
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(selectAll);
    buttons->addStretch(1);
    buttons->addWidget(m_once);
    buttons->addWidget(m_trust);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(details);
    layout->addLayout(buttons);

    connect(m_once, &QPushButton::clicked, this,
            [this] { answerSelected(HostKeyDecision::ConnectOnce); });
    connect(m_trust, &QPushButton::clicked, this,
            [this] { answerSelected(HostKeyDecision::TrustAndSave); });
    connect(m_cancel, &QPushButton::clicked, this,
            [this] { answerSelected(HostKeyDecision::Cancel); });
    connect(selectAll, &QPushButton::clicked, m_view, &QAbstractItemView::selectAll);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HostKeyDialog::showCurrent);
    connect(m_expected, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setExpected(m_view->currentIndex().row(), text);
        updateMatch();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HostKeyDialog::updateTitle);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &HostKeyDialog::updateTitle);

    resize(760, 460);
    restoreGeometry(QSettings().value(geometryKey).toByteArray());
    updateTitle();
    showCurrent();
}

HostKeyDialog::~HostKeyDialog() = default;

void HostKeyDialog::addQuestion(const HostKeyQuestion &question)
{
    if (question.verdict != HostKeyVerdict::Unknown || !m_model->addQuestion(question))
        return;
    if (!m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_model->index(0, 0));
}

void HostKeyDialog::removeQuestion(std::uint64_t questionId)
{
    m_model->removeQuestion(questionId);
    if (m_model->rowCount() == 0) {
        if (!m_closing)
            accept();
        return;
    }
    if (!m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_model->index(0, 0));
    showCurrent();
}

int HostKeyDialog::questionCount() const
{
    return m_model->rowCount();
}

void HostKeyDialog::answerSelected(HostKeyDecision decision)
{
    std::set<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.insert(index.row());
    if (rows.empty()) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows.insert(row);
    }
    // Ids first: answering may remove rows (the owner calls removeQuestion) as we go.
    std::vector<std::uint64_t> ids;
    for (const int row : rows)
        ids.push_back(m_model->question(row).id);
    for (const std::uint64_t id : ids)
        emit answered(id, decision);
}

void HostKeyDialog::showCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    const bool valid = current.isValid();
    for (QWidget *widget : {static_cast<QWidget *>(m_expected), static_cast<QWidget *>(m_once),
                            static_cast<QWidget *>(m_trust), static_cast<QWidget *>(m_cancel)})
        widget->setEnabled(valid);
    if (!valid) {
        for (QLabel *label : {m_host, m_keyType, m_fingerprint, m_saveTo})
            label->clear();
        m_expected->clear();
        updateMatch();
        return;
    }
    const HostKeyQuestion &q = m_model->question(current.row());
    m_host->setText(tr("%1, port %2").arg(escapeServerText(q.host, false, 256)).arg(q.port));
    m_keyType->setText(
        q.keyBits > 0 ? tr("%1, %2 bits").arg(escapeServerText(q.keyType, false, 64)).arg(q.keyBits)
                      : escapeServerText(q.keyType, false, 64));
    // Exactly as given: the operator compares it character by character.
    m_fingerprint->setText(escapeServerText(q.fingerprint, false, 256));
    m_saveTo->setText(q.knownHostsFile.isEmpty() ? tr("your known_hosts file")
                                                 : escapeServerText(q.knownHostsFile));
    const QSignalBlocker blocker(m_expected);
    m_expected->setText(current.data(HostKeyQuestionModel::ExpectedRole).toString());
    updateMatch();
}

void HostKeyDialog::updateMatch()
{
    const QModelIndex current = m_view->currentIndex();
    const auto match = current.isValid()
                           ? static_cast<HostKeyQuestionModel::Match>(
                                 current.data(HostKeyQuestionModel::MatchRole).toInt())
                           : HostKeyQuestionModel::Match::NotGiven;
    QPalette palette = m_match->palette();
    switch (match) {
    case HostKeyQuestionModel::Match::NotGiven:
        m_match->setText(tr("Paste a fingerprint to compare it with the one shown."));
        palette.setColor(QPalette::WindowText, this->palette().color(QPalette::PlaceholderText));
        break;
    case HostKeyQuestionModel::Match::Matches:
        m_match->setText(tr("✓ Match: the fingerprints are the same."));
        palette.setColor(QPalette::WindowText, QColor(0x1a, 0x7f, 0x1a));
        break;
    case HostKeyQuestionModel::Match::Differs:
        m_match->setText(tr("✗ No match: this is not the key you expect. Do not trust it."));
        palette.setColor(QPalette::WindowText, QColor(0xc0, 0x20, 0x20));
        break;
    }
    m_match->setPalette(palette);
}

void HostKeyDialog::updateTitle()
{
    setWindowTitle(tr("Unknown host keys (%n)", nullptr, m_model->rowCount()));
}

void HostKeyDialog::done(int result)
{
    if (m_closing)
        return;
    m_closing = true;
    // Rows still open when the window closes are cancelled (see the class comment).
    std::vector<std::uint64_t> ids;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids.push_back(m_model->question(row).id);
    for (const std::uint64_t id : ids)
        emit answered(id, HostKeyDecision::Cancel);
    QSettings().setValue(geometryKey, saveGeometry());
    QDialog::done(result);
}

} // namespace twbench
