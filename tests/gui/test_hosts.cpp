// The hosts half of issue 3 in the GUI: the host store, the host dialog's validation, the
// batched host-key dialog, the refusal dialog, the credential dialog, the ssh config import
// dialog and the Hosts menu. With TWBENCH_SCREENSHOT_DIR set, the dialogs are saved as PNGs.

#include "gui/credentialdialog.h"
#include "gui/hostdialog.h"
#include "gui/hostitemdelegate.h"
#include "gui/hostkeydialog.h"
#include "gui/hostkeyquestionmodel.h"
#include "gui/hostkeyrefusaldialog.h"
#include "gui/importhostmodel.h"
#include "gui/mainwindow.h"
#include "gui/servertext.h"
#include "gui/sshimportdialog.h"
#include "gui/workbench.h"
#include "model/hostlistmodel.h"
#include "remote/hoststore.h"
#include "remote/sshconfig.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

void screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TWBENCH_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QApplication::processEvents();
    EXPECT_TRUE(widget->grab().save(dir + u'/' + name + QStringLiteral(".png")));
}

HostSpec sshHost(const QString &id, const QString &name, int port = 1)
{
    HostSpec spec;
    spec.id = id;
    spec.displayName = name;
    spec.kind = HostSpec::Kind::Ssh;
    // A port nothing listens on: the fleet's attempts fail fast and never reach a server.
    spec.address = QStringLiteral("127.0.0.1");
    spec.port = port;
    spec.user = QStringLiteral("ops");
    return spec;
}

HostKeyQuestion question(std::uint64_t id, const QString &hostId, const QString &host)
{
    HostKeyQuestion q;
    q.id = id;
    q.hostId = hostId;
    q.host = host;
    q.port = 22;
    q.keyType = QStringLiteral("ssh-ed25519");
    q.keyBits = 256;
    q.fingerprint = QStringLiteral("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
    q.verdict = HostKeyVerdict::Unknown;
    q.knownHostsFile = QStringLiteral("/home/ops/.ssh/known_hosts");
    q.knownHostsLineText = host + QStringLiteral(" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE");
    return q;
}

QLineEdit *spinEdit(QSpinBox *spin)
{
    return spin->findChild<QLineEdit *>();
}

class HostsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        ASSERT_TRUE(m_dir.isValid());
    }

    QString iniFile() const { return m_dir.filePath(QStringLiteral("hosts.ini")); }

    QTemporaryDir m_dir;
};

} // namespace

TEST_F(HostsTest, StoreRoundTripsEveryField)
{
    HostSpec spec;
    spec.id = HostStore::newId();
    spec.displayName = QStringLiteral("web 1 (prod)");
    spec.kind = HostSpec::Kind::Ssh;
    spec.address = QStringLiteral("web1.example.net");
    spec.port = 2222;
    spec.user = QStringLiteral("deploy");
    spec.login = HostSpec::LoginMethod::IdentityFile;
    spec.identityFile = QStringLiteral("~/.ssh/id_ed25519_prod");
    spec.jumpHost = QStringLiteral("jump@bastion:2200");
    spec.proxyCommand = QStringLiteral("ssh -W %h:%p bastion");
    spec.useSudo = true;
    spec.dockerCommand = QStringLiteral("sudo -n podman");
    spec.useKeychain = true;
    spec.counterIntervalSec = 3;
    spec.tableIntervalSec = 17;
    HostSpec password = sshHost(HostStore::newId(), QStringLiteral("pw"));
    password.login = HostSpec::LoginMethod::Password;
    HostSpec local = HostSpec::localWorkstation();
    local.displayName = QStringLiteral("my laptop");
    local.useSudo = true;
    local.counterIntervalSec = 2;

    {
        HostStore store(iniFile());
        // The local workstation last on purpose: the store puts it first.
        store.save({spec, password, local});
    }
    const QList<HostSpec> loaded = HostStore(iniFile()).load();
    ASSERT_EQ(loaded.size(), 3);
    EXPECT_EQ(loaded[0], local);
    EXPECT_EQ(loaded[1], spec);
    EXPECT_EQ(loaded[2], password);
    EXPECT_NE(spec.id, password.id);
    EXPECT_FALSE(spec.id.contains(u'{'));
}

TEST_F(HostsTest, StoreWithoutConfigurationHoldsTheLocalWorkstationOnly)
{
    const QList<HostSpec> loaded = HostStore(iniFile()).load();
    ASSERT_EQ(loaded.size(), 1);
    EXPECT_EQ(loaded[0], HostSpec::localWorkstation());
}

TEST_F(HostsTest, StoreDropsBrokenEntries)
{
    {
        QSettings settings(iniFile(), QSettings::IniFormat);
        settings.beginWriteArray(QStringLiteral("hosts"));
        const QStringList kinds = {QStringLiteral("ssh"), QStringLiteral("martian"),
                                   QStringLiteral("ssh"), QStringLiteral("ssh"),
                                   QStringLiteral("local")};
        const QStringList ids = {QStringLiteral("a"), QStringLiteral("b"), QString(),
                                 QStringLiteral("a"), QStringLiteral("other-local")};
        for (int i = 0; i < kinds.size(); ++i) {
            settings.setArrayIndex(i);
            settings.setValue(QStringLiteral("kind"), kinds[i]);
            settings.setValue(QStringLiteral("id"), ids[i]);
            settings.setValue(QStringLiteral("port"), QStringLiteral("not a number"));
        }
        settings.endArray();
    }
    const QList<HostSpec> loaded = HostStore(iniFile()).load();
    ASSERT_EQ(loaded.size(), 2);
    EXPECT_EQ(loaded[0].kind, HostSpec::Kind::Local);
    EXPECT_EQ(loaded[1].id, u"a");
    EXPECT_EQ(loaded[1].port, 22);
}

TEST_F(HostsTest, HostDialogValidatesLiveAndRejectsBadPorts)
{
    HostSpec defaults;
    defaults.kind = HostSpec::Kind::Ssh;
    HostDialog dialog(HostDialog::Mode::Add, defaults);
    dialog.show();
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit"));
    auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("addressEdit"));
    auto *port = dialog.findChild<QSpinBox *>(QStringLiteral("portSpin"));
    ASSERT_TRUE(name && address && port);

    EXPECT_FALSE(dialog.okButton()->isEnabled());
    EXPECT_FALSE(dialog.validationText().isEmpty());
    QTest::keyClicks(address, QStringLiteral("db1.example.net"));
    EXPECT_EQ(name->text(), u"db1.example.net"); // named after the address until edited
    EXPECT_TRUE(dialog.okButton()->isEnabled()) << dialog.validationText().toStdString();
    EXPECT_TRUE(dialog.validationText().isEmpty());
    EXPECT_FALSE(dialog.spec().id.isEmpty());

    spinEdit(port)->setText(QStringLiteral("0"));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    EXPECT_TRUE(dialog.validationText().contains(u"65535"));
    spinEdit(port)->setText(QStringLiteral("65536"));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    EXPECT_EQ(dialog.spec().port, 65536);
    // Enter does not slip past a disabled OK.
    QTest::keyClick(address, Qt::Key_Return);
    EXPECT_TRUE(dialog.isVisible());
    spinEdit(port)->setText(QStringLiteral("2222"));
    EXPECT_TRUE(dialog.okButton()->isEnabled());
    EXPECT_EQ(dialog.spec().port, 2222);

    auto *login = dialog.findChild<QComboBox *>(QStringLiteral("loginCombo"));
    login->setCurrentIndex(login->findData(int(HostSpec::LoginMethod::IdentityFile)));
    EXPECT_FALSE(dialog.okButton()->isEnabled()); // the identity file is now required
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("identityFileEdit")),
                     QStringLiteral("~/.ssh/id_ed25519"));
    EXPECT_TRUE(dialog.okButton()->isEnabled());

    auto *keychain = dialog.findChild<QCheckBox *>(QStringLiteral("keychainCheck"));
    // Opt-in, and enabled now that QtKeychain is built in (issue 3, point 4).
    EXPECT_TRUE(keychain->isEnabled());
    EXPECT_TRUE(keychain->toolTip().contains(u"never in a file"));

    screenshot(&dialog, QStringLiteral("host-dialog"));

    // Enter = OK once valid.
    QTest::keyClick(address, Qt::Key_Return);
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_FALSE(dialog.isVisible());
    const HostSpec spec = dialog.spec();
    EXPECT_EQ(spec.address, u"db1.example.net");
    EXPECT_EQ(spec.login, HostSpec::LoginMethod::IdentityFile);
    EXPECT_TRUE(spec.isValid());
}

TEST_F(HostsTest, HostDialogDuplicateAndLocalEdit)
{
    const HostSpec original = sshHost(QStringLiteral("orig"), QStringLiteral("web1"), 22);
    HostDialog duplicate(HostDialog::Mode::Duplicate, original);
    EXPECT_NE(duplicate.spec().id, original.id);
    EXPECT_TRUE(duplicate.spec().displayName.startsWith(u"web1"));
    EXPECT_EQ(duplicate.spec().address, original.address);
    EXPECT_TRUE(duplicate.okButton()->isEnabled());

    HostDialog local(HostDialog::Mode::Edit, HostSpec::localWorkstation());
    local.show();
    EXPECT_EQ(local.spec(), HostSpec::localWorkstation());
    EXPECT_FALSE(local.findChild<QLineEdit *>(QStringLiteral("addressEdit"))->isVisible());
}

TEST_F(HostsTest, HostDialogEditsAccessLogsAndRefusesBadOnes)
{
    HostSpec original = sshHost(QStringLiteral("orig"), QStringLiteral("web1"), 22);
    original.logs = {
        {LogSourceSpec::Kind::File, QStringLiteral("/var/log/nginx/access.log"),
         QStringLiteral("combined")},
        {LogSourceSpec::Kind::Container, QStringLiteral("api-gateway"), QStringLiteral("common")}};
    HostDialog dialog(HostDialog::Mode::Edit, original);
    dialog.show();
    EXPECT_EQ(dialog.spec().logs, original.logs);
    EXPECT_TRUE(dialog.okButton()->isEnabled()) << dialog.validationText().toStdString();

    auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("accessLogsTable"));
    ASSERT_NE(table, nullptr);
    ASSERT_EQ(table->rowCount(), 2);
    // A relative path cannot be followed: said at once, OK refused.
    table->item(0, 1)->setText(QStringLiteral("logs/access.log"));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    EXPECT_TRUE(dialog.validationText().contains(u"1")) << dialog.validationText().toStdString();
    table->item(0, 1)->setText(QStringLiteral("/srv/www/logs/access log with spaces.log"));
    EXPECT_TRUE(dialog.okButton()->isEnabled()) << dialog.validationText().toStdString();
    // A container name docker would refuse (it would be a second word of a command).
    table->item(1, 1)->setText(QStringLiteral("api; rm -rf /"));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    table->item(1, 1)->setText(QStringLiteral("api-gateway"));
    // A custom format without the groups the views need.
    auto *format = qobject_cast<QComboBox *>(table->cellWidget(1, 2));
    ASSERT_NE(format, nullptr);
    format->setCurrentText(QStringLiteral("regex:^(?<who>\\S+)"));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    format->setCurrentText(QStringLiteral("regex:^(?<client>\\S+) \"(?<request>[^\"]*)\""));
    EXPECT_TRUE(dialog.okButton()->isEnabled()) << dialog.validationText().toStdString();

    dialog.findChild<QPushButton *>(QStringLiteral("addLogFile"))->click();
    EXPECT_EQ(table->rowCount(), 3);
    EXPECT_EQ(dialog.spec().logs.last().path, u"/var/log/nginx/access.log");
    table->setCurrentCell(0, 1);
    dialog.findChild<QPushButton *>(QStringLiteral("removeLog"))->click();
    const QList<LogSourceSpec> logs = dialog.spec().logs;
    ASSERT_EQ(logs.size(), 2);
    EXPECT_EQ(logs[0].kind, LogSourceSpec::Kind::Container);
    EXPECT_TRUE(logs[0].format.startsWith(u"regex:"));
    screenshot(&dialog, QStringLiteral("host-dialog-logs"));
}

TEST_F(HostsTest, FingerprintComparison)
{
    const QString shown = QStringLiteral("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
    using M = HostKeyQuestionModel::Match;
    EXPECT_EQ(HostKeyQuestionModel::compare(shown, QString()), M::NotGiven);
    EXPECT_EQ(HostKeyQuestionModel::compare(shown, shown), M::Matches);
    EXPECT_EQ(HostKeyQuestionModel::compare(
                  shown, QStringLiteral(" nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8= ")),
              M::Matches);
    EXPECT_EQ(HostKeyQuestionModel::compare(
                  shown, QStringLiteral("256 SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 "
                                        "root@web1 (ED25519)")),
              M::Matches);
    EXPECT_EQ(HostKeyQuestionModel::compare(
                  shown, QStringLiteral("SHA256:nthbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")),
              M::Differs);
    EXPECT_EQ(HostKeyQuestionModel::compare(shown, QStringLiteral("MD5:aa:bb")), M::Differs);
}

TEST_F(HostsTest, FiveUnknownKeysMakeOneDialogWithFiveRows)
{
    Workbench workbench;
    MainWindow window(&workbench);
    window.show();
    workbench.restoreHosts();
    for (int i = 0; i < 5; ++i) {
        const QString id = QStringLiteral("h%1").arg(i);
        ASSERT_TRUE(workbench.addHost(sshHost(id, QStringLiteral("web%1").arg(i), i + 1)));
    }
    for (int i = 0; i < 5; ++i) {
        const QString id = QStringLiteral("h%1").arg(i);
        workbench.onHostKeyQuestion(id,
                                    question(100 + i, id, QStringLiteral("web%1.example").arg(i)));
    }
    QApplication::processEvents();
    const QList<HostKeyDialog *> dialogs = window.findChildren<HostKeyDialog *>();
    ASSERT_EQ(dialogs.size(), 1);
    HostKeyDialog *dialog = dialogs.first();
    EXPECT_EQ(dialog, window.hostKeyDialog());
    EXPECT_TRUE(dialog->isVisible());
    ASSERT_EQ(dialog->questionCount(), 5);
    EXPECT_EQ(workbench.pendingHostKeyQuestions().size(), 5);
    QAbstractItemModelTester tester(dialog->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);

    // The fingerprint exactly as given, selectable, monospace.
    EXPECT_EQ(dialog->fingerprintLabel()->text(), question(0, {}, {}).fingerprint);
    EXPECT_TRUE(dialog->fingerprintLabel()->textInteractionFlags() & Qt::TextSelectableByMouse);
    EXPECT_EQ(dialog->fingerprintLabel()->textFormat(), Qt::PlainText);

    dialog->expectedEdit()->setText(QStringLiteral(
        "256 SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 root@web0 (ED25519)"));
    EXPECT_TRUE(dialog->matchLabel()->text().contains(u"Match"))
        << dialog->matchLabel()->text().toStdString();
    EXPECT_EQ(dialog->model()->index(0, 0).data(HostKeyQuestionModel::MatchRole).toInt(),
              int(HostKeyQuestionModel::Match::Matches));
    screenshot(dialog, QStringLiteral("host-key-dialog"));
    dialog->expectedEdit()->setText(QStringLiteral("SHA256:somethingElse"));
    EXPECT_TRUE(dialog->matchLabel()->text().contains(u"No match"));

    // A sixth question while it is open: a row, not a dialog.
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h5"), QStringLiteral("web5"), 6)));
    workbench.onHostKeyQuestion(QStringLiteral("h5"),
                                question(105, QStringLiteral("h5"), QStringLiteral("web5")));
    EXPECT_EQ(window.findChildren<HostKeyDialog *>().size(), 1);
    EXPECT_EQ(dialog->questionCount(), 6);

    // Answer two rows, then the rest at once.
    dialog->view()->selectionModel()->clearSelection();
    dialog->view()->selectRow(0);
    dialog->findChild<QPushButton *>(QStringLiteral("connectOnceButton"))->click();
    EXPECT_EQ(dialog->questionCount(), 5);
    EXPECT_EQ(workbench.pendingHostKeyQuestions().size(), 5);
    dialog->view()->selectAll();
    dialog->findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
    EXPECT_TRUE(workbench.pendingHostKeyQuestions().isEmpty());
    EXPECT_FALSE(dialog->isVisible());
    QTest::qWait(0);
    QApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    EXPECT_EQ(window.hostKeyDialog(), nullptr);
}

TEST_F(HostsTest, ClosingTheHostKeyDialogCancelsWhatIsLeft)
{
    Workbench workbench;
    MainWindow window(&workbench);
    workbench.restoreHosts();
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h0"), QStringLiteral("web0"))));
    workbench.onHostKeyQuestion(QStringLiteral("h0"),
                                question(7, QStringLiteral("h0"), QStringLiteral("web0")));
    ASSERT_NE(window.hostKeyDialog(), nullptr);
    window.hostKeyDialog()->reject();
    EXPECT_TRUE(workbench.pendingHostKeyQuestions().isEmpty());
}

TEST_F(HostsTest, RemovingAHostDropsItsQuestion)
{
    Workbench workbench;
    MainWindow window(&workbench);
    workbench.restoreHosts();
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h0"), QStringLiteral("web0"))));
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h1"), QStringLiteral("web1"), 2)));
    workbench.onHostKeyQuestion(QStringLiteral("h0"),
                                question(1, QStringLiteral("h0"), QStringLiteral("web0")));
    workbench.onHostKeyQuestion(QStringLiteral("h1"),
                                question(2, QStringLiteral("h1"), QStringLiteral("web1")));
    ASSERT_EQ(window.hostKeyDialog()->questionCount(), 2);
    ASSERT_TRUE(workbench.removeHost(QStringLiteral("h0")));
    EXPECT_EQ(window.hostKeyDialog()->questionCount(), 1);
    EXPECT_EQ(workbench.pendingHostKeyQuestions().size(), 1);
}

TEST_F(HostsTest, ChangedKeyIsRefusedWithOnlyClose)
{
    Workbench workbench;
    MainWindow window(&workbench);
    workbench.restoreHosts();
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h0"), QStringLiteral("web0"))));
    HostKeyQuestion q = question(9, QStringLiteral("h0"), QStringLiteral("web0.example"));
    q.verdict = HostKeyVerdict::Changed;
    q.knownHostsLine = 12;
    workbench.onHostKeyQuestion(QStringLiteral("h0"), q);
    workbench.onHostKeyQuestion(QStringLiteral("h0"), q); // a retry: still one window
    EXPECT_EQ(window.hostKeyDialog(), nullptr);
    EXPECT_TRUE(workbench.pendingHostKeyQuestions().isEmpty());
    const QList<HostKeyRefusalDialog *> refusals = window.findChildren<HostKeyRefusalDialog *>();
    ASSERT_EQ(refusals.size(), 1);
    HostKeyRefusalDialog *refusal = refusals.first();
    EXPECT_TRUE(refusal->text().contains(u"WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"));
    EXPECT_TRUE(refusal->text().contains(u"/home/ops/.ssh/known_hosts:12"));
    EXPECT_TRUE(refusal->text().contains(q.fingerprint));
    const QList<QAbstractButton *> buttons = refusal->buttons()->buttons();
    ASSERT_EQ(buttons.size(), 1);
    EXPECT_EQ(refusal->buttons()->buttonRole(buttons.first()), QDialogButtonBox::RejectRole);
    for (QPushButton *button : refusal->findChildren<QPushButton *>())
        EXPECT_NE(refusal->buttons()->buttonRole(button), QDialogButtonBox::AcceptRole);
    EXPECT_TRUE(refusal->findChild<QLabel *>(QStringLiteral("nextStepLabel"))
                    ->text()
                    .contains(u"Forget host key"));
    screenshot(refusal, QStringLiteral("host-key-refused"));

    q.verdict = HostKeyVerdict::Revoked;
    EXPECT_TRUE(HostKeyRefusalDialog::warningText(q).contains(u"REVOKED"));
}

TEST_F(HostsTest, ServerTextIsEscaped)
{
    EXPECT_EQ(escapeServerText(QStringLiteral("a\x1b[2Jb")), u"a\\x1b[2Jb");
    EXPECT_EQ(escapeServerText(QStringLiteral("x\u202Ey")), u"x\\u202ey");
    EXPECT_EQ(escapeServerText(QStringLiteral("l1\nl2"), true), u"l1\nl2");
    EXPECT_EQ(escapeServerText(QStringLiteral("l1\nl2")), u"l1\\x0al2");
    EXPECT_EQ(escapeServerText(QString(5000, u'x')).size(), 2001);

    HostKeyQuestion q = question(1, QStringLiteral("h"), QStringLiteral("<b>evil</b>\x1b[31m"));
    HostKeyDialog dialog;
    dialog.addQuestion(q);
    auto *host = dialog.findChild<QLabel *>(QStringLiteral("hostLabel"));
    EXPECT_EQ(host->textFormat(), Qt::PlainText);
    EXPECT_TRUE(host->text().contains(u"<b>evil</b>\\x1b[31m"));
}

TEST_F(HostsTest, CredentialDialogWipesTheFieldAndHandsTheSecretOn)
{
    CredentialRequest request;
    request.id = 42;
    request.hostId = QStringLiteral("h0");
    request.kind = CredentialRequest::Kind::KeyboardInteractive;
    request.user = QStringLiteral("ops");
    request.host = QStringLiteral("web0.example");
    request.name = QStringLiteral("<i>PAM</i>");
    request.instruction = QStringLiteral("Enter your one-time code\x1b]0;pwned\x07");
    request.prompt = QStringLiteral("Verification code: ");
    request.attempt = 2;
    CredentialDialog dialog(request);
    std::optional<CredentialReply> reply;
    QObject::connect(&dialog, &CredentialDialog::replied,
                     [&reply](const CredentialReply &r) { reply = r; });
    dialog.open();
    EXPECT_EQ(dialog.secretEdit()->echoMode(), QLineEdit::Password);
    auto *attempt = dialog.findChild<QLabel *>(QStringLiteral("attemptLabel"));
    ASSERT_NE(attempt, nullptr);
    EXPECT_TRUE(attempt->text().contains(u"2 of 3"));
    auto *instruction = dialog.findChild<QLabel *>(QStringLiteral("instructionLabel"));
    EXPECT_EQ(instruction->textFormat(), Qt::PlainText);
    EXPECT_TRUE(instruction->text().contains(u"\\x1b]0;pwned\\x07"));
    EXPECT_EQ(dialog.findChild<QLabel *>(QStringLiteral("serverNameLabel"))->text(), u"<i>PAM</i>");
    QTest::keyClicks(dialog.secretEdit(), QStringLiteral("canary-3f9a"));
    screenshot(&dialog, QStringLiteral("credential-dialog"));
    QTest::keyClick(dialog.secretEdit(), Qt::Key_Return);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->id, 42u);
    EXPECT_FALSE(reply->cancelled);
    EXPECT_EQ(reply->secret, "canary-3f9a");
    EXPECT_TRUE(dialog.secretEdit()->text().isEmpty());
    EXPECT_FALSE(dialog.secretEdit()->isUndoAvailable());

    request.echo = true;
    request.attempt = 1;
    CredentialDialog cancelled(request);
    std::optional<CredentialReply> cancelReply;
    QObject::connect(&cancelled, &CredentialDialog::replied,
                     [&cancelReply](const CredentialReply &r) { cancelReply = r; });
    EXPECT_EQ(cancelled.secretEdit()->echoMode(), QLineEdit::Normal);
    EXPECT_EQ(cancelled.findChild<QLabel *>(QStringLiteral("attemptLabel")), nullptr);
    QTest::keyClicks(cancelled.secretEdit(), QStringLiteral("typed"));
    cancelled.reject();
    ASSERT_TRUE(cancelReply.has_value());
    EXPECT_TRUE(cancelReply->cancelled);
    EXPECT_TRUE(cancelReply->secret.isEmpty());
    EXPECT_TRUE(cancelled.secretEdit()->text().isEmpty());
}

TEST_F(HostsTest, CredentialRequestsOpenOneDialogAtATime)
{
    Workbench workbench;
    MainWindow window(&workbench);
    workbench.restoreHosts();
    ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h0"), QStringLiteral("web0"))));
    CredentialRequest request;
    request.kind = CredentialRequest::Kind::Password;
    request.host = QStringLiteral("web0");
    for (std::uint64_t id = 1; id <= 3; ++id) {
        request.id = id;
        workbench.onCredentialsNeeded(QStringLiteral("h0"), request);
    }
    EXPECT_EQ(window.findChildren<CredentialDialog *>().size(), 1);
    for (std::uint64_t id = 1; id <= 3; ++id) {
        CredentialDialog *dialog = window.credentialDialog();
        ASSERT_NE(dialog, nullptr);
        EXPECT_EQ(dialog->request().id, id);
        dialog->reject();
        QTest::qWait(0);
        QApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    EXPECT_EQ(window.credentialDialog(), nullptr);
    EXPECT_FALSE(workbench.hasCredentialRequest());
}

TEST_F(HostsTest, CanaryPasswordNeverReachesTheSettings)
{
    const QByteArray canary = "twbench-canary-9c1e77d4";
    HostStore store(iniFile());
    {
        Workbench workbench;
        workbench.setHostStore(&store);
        MainWindow window(&workbench);
        window.show();
        workbench.restoreHosts();
        HostSpec spec = sshHost(QStringLiteral("h0"), QStringLiteral("web0"));
        spec.login = HostSpec::LoginMethod::Password;
        ASSERT_TRUE(workbench.addHost(spec));
        CredentialRequest request;
        request.id = 5;
        request.kind = CredentialRequest::Kind::Password;
        request.host = spec.address;
        request.user = spec.user;
        workbench.onCredentialsNeeded(spec.id, request);
        CredentialDialog *dialog = window.credentialDialog();
        ASSERT_NE(dialog, nullptr);
        QTest::keyClicks(dialog->secretEdit(), QString::fromLatin1(canary));
        QTest::keyClick(dialog->secretEdit(), Qt::Key_Return);
        // More changes after the password was typed: each one saves the whole list.
        spec.displayName = QStringLiteral("web0 renamed");
        ASSERT_TRUE(workbench.updateHost(spec));
        ASSERT_TRUE(workbench.addHost(sshHost(QStringLiteral("h1"), QStringLiteral("web1"), 2)));
        window.close();
    }
    QSettings().sync();
    for (const QString &path : {iniFile(), QSettings().fileName()}) {
        QFile file(path);
        if (!file.exists())
            continue;
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
        const QByteArray bytes = file.readAll();
        EXPECT_FALSE(bytes.contains(canary)) << path.toStdString();
        EXPECT_FALSE(bytes.toLower().contains("password=")) << path.toStdString();
    }
    QFile hosts(iniFile());
    ASSERT_TRUE(hosts.open(QIODevice::ReadOnly));
    EXPECT_TRUE(hosts.readAll().contains("web0 renamed"));
}

TEST_F(HostsTest, HostListIsRestoredAndEveryChangeSaved)
{
    HostStore store(iniFile());
    store.save({HostSpec::localWorkstation(), sshHost(QStringLiteral("a"), QStringLiteral("A")),
                sshHost(QStringLiteral("b"), QStringLiteral("B"), 2)});
    Workbench workbench;
    workbench.setHostStore(&store);
    MainWindow window(&workbench);
    window.show();
    workbench.restoreHosts();
    EXPECT_EQ(workbench.hostIds(),
              (QStringList{QStringLiteral("local"), QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(workbench.hostListModel()->hostIdAt(0), u"local");

    // The local workstation is fixed.
    workbench.setCurrentHost(QStringLiteral("local"));
    EXPECT_FALSE(window.hostAction(QStringLiteral("removeHostAction"))->isEnabled());
    EXPECT_FALSE(window.hostAction(QStringLiteral("duplicateHostAction"))->isEnabled());
    EXPECT_FALSE(workbench.removeHost(QStringLiteral("local")));

    // Remove with undo.
    workbench.setCurrentHost(QStringLiteral("a"));
    QAction *remove = window.hostAction(QStringLiteral("removeHostAction"));
    ASSERT_TRUE(remove->isEnabled());
    remove->trigger();
    EXPECT_EQ(store.load().size(), 2);
    EXPECT_FALSE(workbench.hostSpec(QStringLiteral("a")).has_value());
    QWidget *undoBox = window.findChild<QWidget *>(QStringLiteral("undoRemoveBox"));
    ASSERT_NE(undoBox, nullptr);
    EXPECT_TRUE(undoBox->isVisible());
    window.hostAction(QStringLiteral("undoRemoveHostAction"))->trigger();
    EXPECT_FALSE(undoBox->isVisible());
    ASSERT_TRUE(workbench.hostSpec(QStringLiteral("a")).has_value());
    EXPECT_EQ(store.load().size(), 3);
    EXPECT_EQ(workbench.currentHost(), u"a");

    // Rename keeps the order and the selection.
    HostSpec b = *workbench.hostSpec(QStringLiteral("b"));
    workbench.setCurrentHost(QStringLiteral("b"));
    b.displayName = QStringLiteral("B renamed");
    ASSERT_TRUE(workbench.updateHost(b));
    EXPECT_EQ(workbench.hostListModel()->hostIdAt(1), u"b");
    EXPECT_EQ(workbench.hostListModel()->index(1).data().toString(), u"B renamed");
    EXPECT_EQ(workbench.currentHost(), u"b");
    EXPECT_EQ(window.hostsView()->currentIndex().row(), 1);
    EXPECT_EQ(store.load()[1].displayName, u"B renamed");

    // Add through the dialog.
    window.hostAction(QStringLiteral("addHostAction"))->trigger();
    auto *dialog = window.findChild<HostDialog *>();
    ASSERT_NE(dialog, nullptr);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("addressEdit")),
                     QStringLiteral("10.1.2.3"));
    dialog->okButton()->click();
    EXPECT_EQ(workbench.hostIds().size(), 4);
    EXPECT_EQ(store.load().last().address, u"10.1.2.3");
    EXPECT_EQ(workbench.hostSpec(workbench.currentHost())->address, u"10.1.2.3");
}

TEST_F(HostsTest, FailureReasonIsReadableInTheTooltip)
{
    Workbench workbench;
    workbench.restoreHosts();
    const QModelIndex index = workbench.hostListModel()->index(0);
    HostStatus status;
    status.state = HostState::Failed;
    status.detail = QStringLiteral("Host key verification failed: <script> the key in "
                                   "/home/ops/.ssh/known_hosts:12 differs from the one shown");
    workbench.hostListModel()->setStatus(QStringLiteral("local"), status);
    const QString tip = HostItemDelegate::toolTipText(index);
    EXPECT_TRUE(tip.contains(u"known_hosts:12 differs from the one shown"));
    EXPECT_TRUE(tip.contains(u"&lt;script&gt;"));
    EXPECT_FALSE(tip.contains(u"<script>"));
}

TEST_F(HostsTest, ImportDialogListsAliasesAndWarnings)
{
    const QByteArray config = "Host web1 web2\n"
                              "  HostName %h.prod.example.net\n"
                              "  User deploy\n"
                              "  IdentityFile ~/.ssh/id_ed25519_prod\n"
                              "  ProxyJump bastion\n"
                              "Host bastion\n"
                              "  HostName bastion.example.net\n"
                              "  Port 2222\n"
                              "Match exec \"true\"\n"
                              "  User never\n"
                              "Host db\n"
                              "  Port 99999\n";
    const SshConfigResult result =
        parseSshConfig(config, QStringLiteral("/home/ops/.ssh/config"),
                       {QStringLiteral("/home/ops"), QStringLiteral("ops")});
    HostSpec present = sshHost(QStringLiteral("x"), QStringLiteral("bastion"), 2222);
    SshImportDialog dialog({HostSpec::localWorkstation(), present});
    dialog.resize(720, 460);
    dialog.show();
    dialog.setResult(QStringLiteral("~/.ssh/config"), result);
    QAbstractItemModelTester tester(dialog.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    ASSERT_EQ(dialog.model()->rowCount(), 4);
    EXPECT_EQ(dialog.model()->index(2).data(Qt::CheckStateRole).toInt(), Qt::Unchecked);
    EXPECT_TRUE(dialog.model()->index(2).data(ImportHostModel::AlreadyPresentRole).toBool());
    EXPECT_EQ(dialog.model()->index(0).data(Qt::CheckStateRole).toInt(), Qt::Checked);
    EXPECT_TRUE(dialog.warningsText().contains(u"config:9"));
    EXPECT_TRUE(dialog.warningsText().contains(u"config:12"));
    screenshot(&dialog, QStringLiteral("import-dialog"));

    dialog.model()->setData(dialog.model()->index(1), Qt::Unchecked, Qt::CheckStateRole);
    const QList<HostSpec> chosen = dialog.selectedHosts();
    ASSERT_EQ(chosen.size(), 2);
    EXPECT_EQ(chosen[0].displayName, u"web1");
    EXPECT_EQ(chosen[0].address, u"web1.prod.example.net");
    EXPECT_EQ(chosen[0].jumpHost, u"bastion");
    EXPECT_FALSE(chosen[0].id.isEmpty());
    EXPECT_NE(chosen[0].id, chosen[1].id);
    EXPECT_EQ(chosen[1].displayName, u"db");
    EXPECT_TRUE(chosen[1].isValid());
}
