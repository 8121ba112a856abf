#include "hostkeyrefusaldialog.h"

#include "servertext.h"

#include "remote/knownhosts.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QVBoxLayout>

namespace twbench {

namespace {

QString banner(const QString &title)
{
    const QString rule(59, u'@');
    const int inner = 57;
    const int pad = qMax(0, inner - int(title.size()));
    const QString line =
        u'@' + QString(pad / 2, u' ') + title + QString(pad - pad / 2, u' ') + u'@';
    return rule + u'\n' + line + u'\n' + rule + u'\n';
}

} // namespace

QString HostKeyRefusalDialog::warningText(const HostKeyQuestion &q)
{
    const QString host = escapeServerText(q.host, false, 256);
    const QString name = q.port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(q.port);
    const QString key = openSshKeyName(q.keyType);
    const QString fingerprint = escapeServerText(q.fingerprint, false, 256);
    const QString where =
        escapeServerText(q.knownHostsFile, false, 1000) + u':' + QString::number(q.knownHostsLine);
    QString text;
    switch (q.verdict) {
    case HostKeyVerdict::Revoked:
        text = banner(tr("WARNING: REVOKED HOST KEY DETECTED!"));
        text += tr("The %1 host key for %2 is marked as revoked.\n"
                   "This could mean that a stolen key is being used to impersonate this host.\n")
                    .arg(key, name);
        text += tr("The fingerprint for the %1 key sent by the remote host is\n%2.\n")
                    .arg(key, fingerprint);
        text += tr("Revoked in %1\n").arg(where);
        break;
    case HostKeyVerdict::OtherType:
        text = banner(tr("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"));
        text += tr("The host %1 sent an %2 key, but known_hosts holds only keys of other types "
                   "for it.\nSomeone could be eavesdropping on you right now "
                   "(man-in-the-middle attack)!\n")
                    .arg(name, key);
        text += tr("The fingerprint for the %1 key sent by the remote host is\n%2.\n")
                    .arg(key, fingerprint);
        text += tr("Known key in %1\n").arg(where);
        break;
    case HostKeyVerdict::Changed:
    case HostKeyVerdict::Known:
    case HostKeyVerdict::Unknown:
        text = banner(tr("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"));
        text += tr("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
                   "Someone could be eavesdropping on you right now (man-in-the-middle "
                   "attack)!\nIt is also possible that a host key has just been changed.\n");
        text += tr("The fingerprint for the %1 key sent by the remote host is\n%2.\n")
                    .arg(key, fingerprint);
        text += tr("Offending %1 key in %2\n").arg(key, where);
        break;
    }
    text += tr("Host key verification failed.");
    return text;
}

HostKeyRefusalDialog::HostKeyRefusalDialog(const HostKeyQuestion &question, QWidget *parent)
    : QDialog(parent)
{
    build(warningText(question));
    setWindowTitle(tr("Host key refused: %1").arg(escapeServerText(question.host, false, 100)));
}

HostKeyRefusalDialog::HostKeyRefusalDialog(const QString &hostName, const QString &reason,
                                           QWidget *parent)
    : QDialog(parent)
{
    build(banner(tr("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!")) +
          escapeServerText(reason, true) + u'\n' + tr("Host key verification failed."));
    setWindowTitle(tr("Host key refused: %1").arg(escapeServerText(hostName, false, 100)));
}

HostKeyRefusalDialog::~HostKeyRefusalDialog() = default;

void HostKeyRefusalDialog::build(const QString &warning)
{
    setObjectName(QStringLiteral("hostKeyRefusalDialog"));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(32, 32));
    auto *headline = new QLabel(tr("twbench did not connect: the server's key does not match "
                                   "the one on record."),
                                this);
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::PlainText);
    QFont bold = headline->font();
    bold.setBold(true);
    headline->setFont(bold);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("refusalText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(warning);
    const QFontMetrics metrics(m_text->font());
    m_text->setMinimumSize(metrics.horizontalAdvance(QString(78, u'x')),
                           metrics.lineSpacing() * 13);

    auto *next = new QLabel(tr("If you know why the key changed (the server was reinstalled, "
                               "its keys were rotated), confirm the new fingerprint with its "
                               "administrator, then use Hosts → Forget host key… to remove the "
                               "old lines from known_hosts and connect again."),
                            this);
    next->setObjectName(QStringLiteral("nextStepLabel"));
    next->setWordWrap(true);
    next->setTextFormat(Qt::PlainText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(headline, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addWidget(next);
    layout->addWidget(m_buttons);
}

QString HostKeyRefusalDialog::text() const
{
    return m_text->toPlainText();
}

} // namespace twbench
