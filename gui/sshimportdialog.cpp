#include "sshimportdialog.h"

#include <QLocale>

#include "importhostmodel.h"
#include "servertext.h"

#include "remote/hoststore.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace twbench {

namespace {

const QString geometryKey = QStringLiteral("importDialog/geometry");
const QString lastPathKey = QStringLiteral("importDialog/lastPath");

} // namespace

SshImportDialog::SshImportDialog(const QList<HostSpec> &existing, QWidget *parent)
    : QDialog(parent)
    , m_existing(existing)
    , m_model(new ImportHostModel(this))
{
    setObjectName(QStringLiteral("sshImportDialog"));
    setWindowTitle(tr("Import hosts from ssh config"));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("pathEdit"));
    auto *browseButton = new QPushButton(tr("&Browse…"), this);
    auto *reload = new QPushButton(tr("&Read"), this);
    for (QPushButton *button : {browseButton, reload})
        button->setAutoDefault(false);
    auto *pathRow = new QHBoxLayout;
    auto *pathLabel = new QLabel(tr("&File:"), this);
    pathLabel->setBuddy(m_path);
    pathRow->addWidget(pathLabel);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(reload);
    pathRow->addWidget(browseButton);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);

    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("importList"));
    m_list->setModel(m_model);
    m_list->setUniformItemSizes(true);

    auto *all = new QPushButton(tr("Check &all"), this);
    auto *none = new QPushButton(tr("Check &none"), this);
    for (QPushButton *button : {all, none})
        button->setAutoDefault(false);
    auto *checkRow = new QHBoxLayout;
    checkRow->addWidget(all);
    checkRow->addWidget(none);
    checkRow->addStretch(1);

    auto *warningsLabel = new QLabel(tr("&Warnings:"), this);
    m_warnings = new QPlainTextEdit(this);
    m_warnings->setObjectName(QStringLiteral("warningsText"));
    m_warnings->setReadOnly(true);
    m_warnings->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_warnings->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_warnings->setMaximumHeight(m_warnings->fontMetrics().lineSpacing() * 7);
    warningsLabel->setBuddy(m_warnings);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pathRow);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    layout->addLayout(checkRow);
    layout->addWidget(warningsLabel);
    layout->addWidget(m_warnings);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseButton, &QPushButton::clicked, this, &SshImportDialog::browse);
    connect(reload, &QPushButton::clicked, this, [this] { loadFile(m_path->text().trimmed()); });
    connect(m_path, &QLineEdit::returnPressed, this,
            [this] { loadFile(m_path->text().trimmed()); });
    connect(all, &QPushButton::clicked, this, [this] { m_model->setAllChecked(true); });
    connect(none, &QPushButton::clicked, this, [this] { m_model->setAllChecked(false); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SshImportDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SshImportDialog::updateButtons);

    resize(640, 480);
    const QSettings settings;
    restoreGeometry(settings.value(geometryKey).toByteArray());
    m_path->setText(
        settings.value(lastPathKey, QString(QDir::homePath() + QStringLiteral("/.ssh/config")))
            .toString());
    updateButtons();
}

SshImportDialog::~SshImportDialog() = default;

void SshImportDialog::loadFile(const QString &path)
{
    QString expanded = path;
    if (expanded == u"~" || expanded.startsWith(QStringLiteral("~/")))
        expanded = QDir::homePath() + expanded.mid(1);
    setResult(path, importSshConfig(expanded));
}

void SshImportDialog::setResult(const QString &path, const SshConfigResult &result)
{
    m_path->setText(path);
    m_model->setHosts(result.hosts, m_existing);
    QStringList lines;
    for (const SshConfigWarning &warning : result.warnings) {
        const QString where = warning.line > 0 ? QFileInfo(warning.file).fileName() + u':' +
                                                     QString::number(warning.line)
                                               : QFileInfo(warning.file).fileName();
        lines << where + QStringLiteral(": ") + escapeServerText(warning.message, false, 500);
    }
    m_warnings->setPlainText(lines.isEmpty() ? tr("None.") : lines.join(u'\n'));
    int present = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        present += m_model->index(row).data(ImportHostModel::AlreadyPresentRole).toBool() ? 1 : 0;
    // Whole sentences, not fragments joined here: a translation keeps its own punctuation.
    m_summary->setText(present > 0 ? tr("%n host(s) found, %1 already in the list (unchecked).",
                                        nullptr, m_model->rowCount())
                                         .arg(QLocale().toString(present))
                                   : tr("%n host(s) found.", nullptr, m_model->rowCount()));
}

QList<HostSpec> SshImportDialog::selectedHosts() const
{
    QList<HostSpec> hosts = m_model->checkedHosts();
    for (HostSpec &spec : hosts)
        spec.id = HostStore::newId();
    return hosts;
}

QString SshImportDialog::warningsText() const
{
    return m_warnings->toPlainText();
}

void SshImportDialog::browse()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose an ssh config file"), QFileInfo(m_path->text()).absolutePath(), QString(),
        nullptr, QFileDialog::DontResolveSymlinks);
    if (!file.isEmpty())
        loadFile(file);
}

void SshImportDialog::updateButtons()
{
    const int checked = m_model->checkedCount();
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(checked > 0);
    ok->setText(checked > 0 ? tr("&Import %n host(s)", nullptr, checked) : tr("&Import"));
}

void SshImportDialog::done(int result)
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    if (result == QDialog::Accepted)
        settings.setValue(lastPathKey, m_path->text().trimmed());
    QDialog::done(result);
}

} // namespace twbench
