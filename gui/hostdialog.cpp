#include "hostdialog.h"

#include "remote/hoststore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace twbench {

namespace {

const QString geometryKey = QStringLiteral("hostDialog/geometry");

// A spin box value as typed, even when out of range: QSpinBox would clamp "0" or "65536" to a
// valid value, and then validationError() could not say what is wrong.
int typedValue(const QSpinBox *spin)
{
    if (spin->hasAcceptableInput())
        return spin->value();
    bool ok = false;
    const int value = spin->cleanText().trimmed().toInt(&ok);
    return ok ? value : 0;
}

} // namespace

HostDialog::HostDialog(Mode mode, const HostSpec &spec, QWidget *parent)
    : QDialog(parent)
    , m_base(spec)
{
    setObjectName(QStringLiteral("hostDialog"));
    switch (mode) {
    case Mode::Add:
        setWindowTitle(tr("Add host"));
        if (m_base.id.isEmpty())
            m_base.id = HostStore::newId();
        break;
    case Mode::Duplicate:
        setWindowTitle(tr("Duplicate host"));
        m_base.id = HostStore::newId();
        m_base.displayName = tr("%1 (copy)").arg(spec.displayName);
        m_nameEdited = true;
        break;
    case Mode::Edit:
        setWindowTitle(tr("Edit host"));
        m_nameEdited = true;
        break;
    }
    buildForm();
    load(m_base);
    validate();
    restoreGeometry(QSettings().value(geometryKey).toByteArray());
}

HostDialog::~HostDialog() = default;

void HostDialog::buildForm()
{
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(tr("as the hosts list shows it"));

    m_connection = new QGroupBox(tr("Connection"), this);
    m_address = new QLineEdit(m_connection);
    m_address->setObjectName(QStringLiteral("addressEdit"));
    m_address->setPlaceholderText(tr("host name or IP address"));
    m_port = new QSpinBox(m_connection);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(22);
    // The port stays narrow beside the address; it is five digits at most.
    m_port->setMinimumWidth(m_port->fontMetrics().horizontalAdvance(QStringLiteral("655350")) + 40);
    m_user = new QLineEdit(m_connection);
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_user->setPlaceholderText(tr("the local user name"));
    m_login = new QComboBox(m_connection);
    m_login->setObjectName(QStringLiteral("loginCombo"));
    m_login->addItem(tr("SSH agent"), int(HostSpec::LoginMethod::Agent));
    m_login->addItem(tr("Identity file"), int(HostSpec::LoginMethod::IdentityFile));
    m_login->addItem(tr("Password or keyboard-interactive"), int(HostSpec::LoginMethod::Password));
    m_identityFile = new QLineEdit(m_connection);
    m_identityFile->setObjectName(QStringLiteral("identityFileEdit"));
    m_identityFile->setPlaceholderText(tr("~/.ssh/id_ed25519"));
    m_browse = new QPushButton(tr("&Browse…"), m_connection);
    // Enter in the form means OK, never "open a file chooser".
    m_browse->setAutoDefault(false);
    m_jumpHost = new QLineEdit(m_connection);
    m_jumpHost->setObjectName(QStringLiteral("jumpHostEdit"));
    m_jumpHost->setPlaceholderText(tr("[user@]host[:port], empty for a direct connection"));
    m_proxyCommand = new QLineEdit(m_connection);
    m_proxyCommand->setObjectName(QStringLiteral("proxyCommandEdit"));
    m_proxyCommand->setPlaceholderText(tr("none"));
    m_proxyCommand->setToolTip(tr("Run on this workstation to reach the host, as in "
                                  "~/.ssh/config; %h and %p stand for the host and port."));
    m_keychain = new QCheckBox(tr("Remember the password in the system &keychain"), m_connection);
    m_keychain->setObjectName(QStringLiteral("keychainCheck"));
    m_keychain->setToolTip(tr("The password is kept in the system keychain (Secret Service), "
                              "never in a file, and saved only after a successful login. "
                              "Turning this off deletes the stored password."));

    auto *addressRow = new QHBoxLayout;
    addressRow->addWidget(m_address, 1);
    auto *portLabel = new QLabel(tr("&Port:"), m_connection);
    portLabel->setBuddy(m_port);
    addressRow->addWidget(portLabel);
    addressRow->addWidget(m_port);
    auto *identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identityFile, 1);
    identityRow->addWidget(m_browse);

    // Labels made here, not by addRow(text, layout): a row that is a layout gets no buddy, and
    // its '&' would show instead of underlining.
    QList<QLabel *> labels;
    const auto label = [&labels](const QString &text, QWidget *buddy, QWidget *parent) {
        auto *l = new QLabel(text, parent);
        l->setBuddy(buddy);
        labels << l;
        return l;
    };

    auto *connectionForm = new QFormLayout(m_connection);
    connectionForm->addRow(label(tr("&Address:"), m_address, m_connection), addressRow);
    connectionForm->addRow(label(tr("&User:"), m_user, m_connection), m_user);
    connectionForm->addRow(label(tr("&Login:"), m_login, m_connection), m_login);
    connectionForm->addRow(label(tr("&Identity file:"), m_identityFile, m_connection), identityRow);
    connectionForm->addRow(label(tr("&Jump host:"), m_jumpHost, m_connection), m_jumpHost);
    connectionForm->addRow(label(tr("Pro&xy command:"), m_proxyCommand, m_connection),
                           m_proxyCommand);
    connectionForm->addRow(label(QString(), nullptr, m_connection), m_keychain);

    auto *collection = new QGroupBox(tr("Collection"), this);
    m_sudo =
        new QCheckBox(tr("Use \"&sudo -n\" for root-only data (container sockets)"), collection);
    m_sudo->setObjectName(QStringLiteral("sudoCheck"));
    m_docker = new QComboBox(collection);
    m_docker->setObjectName(QStringLiteral("dockerCombo"));
    m_docker->setEditable(true);
    m_docker->setInsertPolicy(QComboBox::NoInsert);
    m_docker->addItems({QStringLiteral("docker"), QStringLiteral("sudo -n docker"),
                        QStringLiteral("podman"), QStringLiteral("sudo -n podman")});
    m_counterInterval = new QSpinBox(collection);
    m_counterInterval->setObjectName(QStringLiteral("counterIntervalSpin"));
    m_tableInterval = new QSpinBox(collection);
    m_tableInterval->setObjectName(QStringLiteral("tableIntervalSpin"));
    for (QSpinBox *spin : {m_counterInterval, m_tableInterval}) {
        spin->setRange(1, 3600);
        spin->setSuffix(tr(" s"));
    }
    m_counterInterval->setToolTip(tr("TIME_WAIT, connection and CPU counters: cheap, read often."));
    m_tableInterval->setToolTip(tr("The whole socket table: costs kernel time on busy hosts; "
                                   "the probe stretches it when the table is large."));
    auto *collectionForm = new QFormLayout(collection);
    collectionForm->addRow(label(QString(), nullptr, collection), m_sudo);
    collectionForm->addRow(label(tr("&Docker command:"), m_docker, collection), m_docker);
    collectionForm->addRow(label(tr("&Counters every:"), m_counterInterval, collection),
                           m_counterInterval);
    collectionForm->addRow(label(tr("&Table every:"), m_tableInterval, collection),
                           m_tableInterval);

    auto *logs = new QGroupBox(tr("Access logs"), this);
    logs->setObjectName(QStringLiteral("accessLogsGroup"));
    m_logs = new QTableWidget(0, LogColumnCount, logs);
    m_logs->setObjectName(QStringLiteral("accessLogsTable"));
    m_logs->setHorizontalHeaderLabels({tr("Source"), tr("File path or container"), tr("Format")});
    m_logs->verticalHeader()->hide();
    m_logs->horizontalHeader()->setSectionResizeMode(LogTargetColumn, QHeaderView::Stretch);
    m_logs->horizontalHeader()->setSectionResizeMode(LogKindColumn, QHeaderView::ResizeToContents);
    m_logs->horizontalHeader()->setSectionResizeMode(LogFormatColumn,
                                                     QHeaderView::ResizeToContents);
    m_logs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_logs->setMinimumHeight(m_logs->fontMetrics().height() * 6);
    m_logs->setToolTip(tr("Followed with tail -F (survives log rotation) or docker logs -f, "
                          "beside the probe. Formats: combined and common (nginx, Apache), or "
                          "regex:PATTERN with named groups client, method, path or request, "
                          "status and time."));
    auto *addLog = new QPushButton(tr("Add &log file"), logs);
    addLog->setObjectName(QStringLiteral("addLogFile"));
    auto *addContainerLog = new QPushButton(tr("Add c&ontainer log"), logs);
    addContainerLog->setObjectName(QStringLiteral("addContainerLog"));
    auto *removeLog = new QPushButton(tr("&Remove"), logs);
    removeLog->setObjectName(QStringLiteral("removeLog"));
    auto *logButtons = new QHBoxLayout;
    logButtons->addWidget(addLog);
    logButtons->addWidget(addContainerLog);
    logButtons->addWidget(removeLog);
    logButtons->addStretch(1);
    auto *logsLayout = new QVBoxLayout(logs);
    logsLayout->addWidget(m_logs);
    logsLayout->addLayout(logButtons);
    connect(addLog, &QPushButton::clicked, this, [this] {
        addLogRow({LogSourceSpec::Kind::File, QStringLiteral("/var/log/nginx/access.log")});
    });
    connect(addContainerLog, &QPushButton::clicked, this, [this] {
        addLogRow({LogSourceSpec::Kind::Container, QString()});
    });
    connect(removeLog, &QPushButton::clicked, this, [this] {
        const int row = m_logs->currentRow();
        if (row >= 0)
            m_logs->removeRow(row);
        validate();
    });
    connect(m_logs, &QTableWidget::itemChanged, this, &HostDialog::validate);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("validationLabel"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    m_problem->setPalette(problemPalette);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *general = new QGroupBox(tr("Host"), this);
    auto *nameForm = new QFormLayout(general);
    nameForm->addRow(label(tr("&Name:"), m_name, general), m_name);
    // One label column width for the three groups, so their fields line up.
    int labelWidth = 0;
    for (QLabel *l : labels)
        labelWidth = qMax(labelWidth, l->sizeHint().width());
    for (QLabel *l : labels)
        l->setMinimumWidth(labelWidth);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(general);
    layout->addWidget(m_connection);
    layout->addWidget(collection);
    layout->addWidget(logs, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    // The reading order, whatever order the widgets were made in.
    QWidget::setTabOrder(m_name, m_address);
    QWidget::setTabOrder(m_address, m_port);
    QWidget::setTabOrder(m_port, m_user);
    QWidget::setTabOrder(m_user, m_login);
    QWidget::setTabOrder(m_login, m_identityFile);
    QWidget::setTabOrder(m_identityFile, m_browse);
    QWidget::setTabOrder(m_browse, m_jumpHost);
    QWidget::setTabOrder(m_jumpHost, m_proxyCommand);
    QWidget::setTabOrder(m_proxyCommand, m_sudo);
    QWidget::setTabOrder(m_sudo, m_docker);
    QWidget::setTabOrder(m_docker, m_counterInterval);
    QWidget::setTabOrder(m_counterInterval, m_tableInterval);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &HostDialog::chooseIdentityFile);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    connect(m_address, &QLineEdit::textChanged, this, [this](const QString &text) {
        // A new host is usually called what it is reached by, until the operator says otherwise.
        if (!m_nameEdited)
            m_name->setText(text.trimmed());
    });
    for (QLineEdit *edit : {m_name, m_address, m_user, m_identityFile, m_jumpHost, m_proxyCommand})
        connect(edit, &QLineEdit::textChanged, this, &HostDialog::validate);
    // The spin box's own textChanged stays silent while the text is out of range ("0",
    // "65536"): its line edit says every keystroke.
    for (QSpinBox *spin : {m_port, m_counterInterval, m_tableInterval})
        connect(spin->findChild<QLineEdit *>(), &QLineEdit::textChanged, this,
                &HostDialog::validate);
    connect(m_login, &QComboBox::currentIndexChanged, this, &HostDialog::updateLoginFields);
    connect(m_docker, &QComboBox::currentTextChanged, this, &HostDialog::validate);
    connect(m_sudo, &QCheckBox::toggled, this, &HostDialog::validate);
}

void HostDialog::load(const HostSpec &spec)
{
    m_name->setText(spec.displayName);
    m_address->setText(spec.address);
    m_port->setValue(spec.port);
    m_user->setText(spec.user);
    m_login->setCurrentIndex(m_login->findData(int(spec.login)));
    m_identityFile->setText(spec.identityFile);
    m_jumpHost->setText(spec.jumpHost);
    m_proxyCommand->setText(spec.proxyCommand);
    m_keychain->setChecked(spec.useKeychain);
    m_sudo->setChecked(spec.useSudo);
    m_docker->setCurrentText(spec.dockerCommand);
    m_counterInterval->setValue(spec.counterIntervalSec);
    m_tableInterval->setValue(spec.tableIntervalSec);
    m_logs->setRowCount(0);
    for (const LogSourceSpec &source : spec.logs)
        addLogRow(source);
    // The local workstation is reached without SSH: nothing to say about a connection.
    m_connection->setVisible(spec.kind == HostSpec::Kind::Ssh);
    updateLoginFields();
}

HostSpec HostDialog::spec() const
{
    HostSpec spec = m_base;
    spec.displayName = m_name->text().trimmed();
    if (spec.kind == HostSpec::Kind::Ssh) {
        spec.address = m_address->text().trimmed();
        spec.port = typedValue(m_port);
        spec.user = m_user->text().trimmed();
        spec.login = static_cast<HostSpec::LoginMethod>(m_login->currentData().toInt());
        spec.identityFile = m_identityFile->text().trimmed();
        spec.jumpHost = m_jumpHost->text().trimmed();
        spec.proxyCommand = m_proxyCommand->text().trimmed();
        spec.useKeychain = m_keychain->isChecked();
    }
    spec.useSudo = m_sudo->isChecked();
    spec.dockerCommand = m_docker->currentText().trimmed();
    spec.counterIntervalSec = typedValue(m_counterInterval);
    spec.tableIntervalSec = typedValue(m_tableInterval);
    spec.logs = logSources();
    return spec;
}

void HostDialog::addLogRow(const LogSourceSpec &source)
{
    const int row = m_logs->rowCount();
    m_logs->insertRow(row);
    auto *kind = new QComboBox(m_logs);
    kind->addItem(tr("File"), int(LogSourceSpec::Kind::File));
    kind->addItem(tr("Container"), int(LogSourceSpec::Kind::Container));
    kind->setCurrentIndex(kind->findData(int(source.kind)));
    m_logs->setCellWidget(row, LogKindColumn, kind);
    auto *target = new QTableWidgetItem(source.path);
    target->setToolTip(source.kind == LogSourceSpec::Kind::File
                           ? tr("The log file's absolute path on the host")
                           : tr("The container's name or id, as docker ps shows it"));
    m_logs->setItem(row, LogTargetColumn, target);
    auto *format = new QComboBox(m_logs);
    format->setEditable(true);
    format->setInsertPolicy(QComboBox::NoInsert);
    format->addItems({QStringLiteral("auto"), QStringLiteral("combined"), QStringLiteral("common"),
                      QStringLiteral("regex:")});
    format->setCurrentText(source.format);
    m_logs->setCellWidget(row, LogFormatColumn, format);
    connect(kind, &QComboBox::currentIndexChanged, this, &HostDialog::validate);
    connect(format, &QComboBox::currentTextChanged, this, &HostDialog::validate);
    m_logs->setCurrentCell(row, LogTargetColumn);
    if (source.path.isEmpty())
        m_logs->editItem(target);
    validate();
}

QList<LogSourceSpec> HostDialog::logSources() const
{
    QList<LogSourceSpec> sources;
    for (int row = 0; row < m_logs->rowCount(); ++row) {
        LogSourceSpec source;
        if (const auto *kind = qobject_cast<QComboBox *>(m_logs->cellWidget(row, LogKindColumn)))
            source.kind = static_cast<LogSourceSpec::Kind>(kind->currentData().toInt());
        if (const QTableWidgetItem *target = m_logs->item(row, LogTargetColumn))
            source.path = target->text().trimmed();
        if (const auto *format =
                qobject_cast<QComboBox *>(m_logs->cellWidget(row, LogFormatColumn)))
            source.format = format->currentText().trimmed();
        sources.append(source);
    }
    return sources;
}

QString HostDialog::validationText() const
{
    return m_problem->text();
}

QPushButton *HostDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void HostDialog::validate()
{
    const HostSpec current = spec();
    QString problem = current.validationError();
    for (qsizetype i = 0; problem.isEmpty() && i < current.logs.size(); ++i) {
        const QString logProblem = current.logs[i].validationError();
        if (!logProblem.isEmpty())
            problem = tr("Access log %1: %2").arg(i + 1).arg(logProblem);
    }
    m_problem->setText(problem);
    okButton()->setEnabled(problem.isEmpty());
}

void HostDialog::updateLoginFields()
{
    // The key file is used by the agent method too when given, so it stays editable; it is only
    // required for the identity-file method.
    const bool identity =
        m_login->currentData().toInt() == int(HostSpec::LoginMethod::IdentityFile);
    m_identityFile->setPlaceholderText(identity ? tr("required: ~/.ssh/id_ed25519")
                                                : tr("optional"));
    validate();
}

void HostDialog::chooseIdentityFile()
{
    QString start = m_identityFile->text().trimmed();
    if (start.startsWith(u'~'))
        start = QDir::homePath() + start.mid(1);
    if (start.isEmpty())
        start = QDir::homePath() + QStringLiteral("/.ssh");
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Choose the private key"), start, QString(), nullptr,
                                     QFileDialog::DontResolveSymlinks);
    if (!file.isEmpty()) {
        m_identityFile->setText(QDir::toNativeSeparators(file));
        m_login->setCurrentIndex(m_login->findData(int(HostSpec::LoginMethod::IdentityFile)));
    }
}

void HostDialog::done(int result)
{
    // Enter reaches accept() even when OK is disabled (the default button is only a shortcut).
    if (result == QDialog::Accepted && !okButton()->isEnabled())
        return;
    QSettings().setValue(geometryKey, saveGeometry());
    QDialog::done(result);
}

} // namespace twbench
