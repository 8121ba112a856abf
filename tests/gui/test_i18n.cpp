// Every user-visible string goes through tr(): a scan of the sources for string literals that
// reach the operator without it. Two rules, both about how twbench's code is written:
//  1. a literal with a word in it handed straight to a call that shows text (setText,
//     setToolTip, showMessage, addAction, QMessageBox::warning, new QLabel, printError, …);
//  2. a literal that reads as an English sentence ("Could not open the file") anywhere.
// The few literals that only look that way (PNG metadata keys, a Qt message filtered out) are
// listed below with the reason.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QStringList>

#include <gtest/gtest.h>

namespace {

struct Allowed
{
    const char *file;    // path below the source root
    const char *snippet; // a part of the line
    const char *why;
};

const Allowed allowed[] = {
    {"gui/export/viewexporter.cpp", "QStringLiteral(\"Title\")", "a PNG text chunk's key"},
    {"gui/export/viewexporter.cpp", "QStringLiteral(\"Description\")", "a PNG text chunk's key"},
    {"gui/export/viewexporter.cpp", "QStringLiteral(\"Software\")", "a PNG text chunk's key"},
    {"gui/cli/reportcommand.cpp", "propagateSizeHints", "Qt's own warning, filtered out"},
};

bool isAllowed(const QString &file, const QString &line)
{
    for (const Allowed &entry : allowed) {
        if (file == QLatin1String(entry.file) && line.contains(QLatin1String(entry.snippet)))
            return true;
    }
    return false;
}

// The lines of `text` that break a rule, as "line: text".
QStringList untranslatedLiterals(const QString &text)
{
    static const QString literal = QStringLiteral(
        R"re((?:QStringLiteral|QString::fromUtf8|QString::fromLatin1|QLatin1String|u)?\(?"((?:[^"\\]|\\.)*)")re");
    static const QRegularExpression shownCall(
        QStringLiteral(
            R"(\b(setText|setToolTip|setWindowTitle|setPlaceholderText|setStatusTip|setWhatsThis|)"
            R"(showMessage|addTab|insertTab|setTabText|addMenu|addAction|setHeaderLabels|)"
            R"(setHorizontalHeaderLabels|setLabelText|setTitle|setInformativeText|setDetailedText|)"
            R"(setPlaceholder|printError|addItem|setItemText|information|warning|critical|)"
            R"(question|QLabel|QPushButton|QAction|QCheckBox|QGroupBox|QRadioButton|QToolButton|)"
            R"(QDockWidget|QToolBar|QMenu)\s*\(\s*(?:[^()]*,\s*)?)") +
        literal);
    static const QRegularExpression anyLiteral(
        QStringLiteral(R"((?:QStringLiteral|QString::fromUtf8|QString::fromLatin1|QLatin1String))"
                       R"re(\(\s*"((?:[^"\\]|\\.)*)")re"));
    static const QRegularExpression word(QStringLiteral("[A-Za-z]{3,}"));
    static const QRegularExpression sentence(
        QStringLiteral(R"(^[A-Z][a-z]+(?: [A-Za-z,'’]+){2,})"));
    static const QRegularExpression sql(
        QStringLiteral("^(SELECT|INSERT|CREATE|PRAGMA|UPDATE|DELETE|VACUUM|BEGIN|COMMIT)"));
    QStringList found;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("//")) || trimmed.startsWith(u'*'))
            continue;
        bool broken = false;
        for (auto it = shownCall.globalMatch(line); it.hasNext() && !broken;) {
            const QRegularExpressionMatch match = it.next();
            broken = match.captured(2).contains(word);
        }
        for (auto it = anyLiteral.globalMatch(line); it.hasNext() && !broken;) {
            const QString content = it.next().captured(1);
            broken = content.contains(sentence) && !content.contains(sql);
        }
        if (broken)
            found << QStringLiteral("%1: %2").arg(i + 1).arg(trimmed);
    }
    return found;
}

TEST(I18n, TheScanFindsWhatEscapesTranslation)
{
    // The rules themselves: each of these lines would put English in front of a Chinese
    // operator, and each is found; the translated and the invisible ones are not.
    EXPECT_EQ(untranslatedLiterals(
                  QStringLiteral("label->setText(QStringLiteral(\"Waiting for samples\"));"))
                  .size(),
              1);
    EXPECT_EQ(untranslatedLiterals(
                  QStringLiteral("box->setInformativeText(QStringLiteral(\"Cannot save\"));"))
                  .size(),
              1);
    EXPECT_EQ(untranslatedLiterals(
                  QStringLiteral("const QString why = QStringLiteral(\"The file is gone\");"))
                  .size(),
              1);
    EXPECT_EQ(
        untranslatedLiterals(QStringLiteral("statusBar()->showMessage(\"Saved it\");")).size(), 1);
    EXPECT_TRUE(untranslatedLiterals(QStringLiteral("label->setText(tr(\"Waiting for samples\"));"))
                    .isEmpty());
    EXPECT_TRUE(
        untranslatedLiterals(QStringLiteral("view->setObjectName(QStringLiteral(\"hostsView\"));"))
            .isEmpty());
    EXPECT_TRUE(untranslatedLiterals(QStringLiteral("label->setText(QStringLiteral(\"%1: %2\"));"))
                    .isEmpty());
    EXPECT_TRUE(untranslatedLiterals(
                    QStringLiteral("query.exec(QStringLiteral(\"SELECT id FROM hosts\"));"))
                    .isEmpty());
}

TEST(I18n, NoUserVisibleLiteralEscapesTranslation)
{
    const QDir root(QStringLiteral(TWBENCH_SOURCE_DIR));
    QStringList problems;
    int files = 0;
    for (const QString &folder :
         {QStringLiteral("gui"), QStringLiteral("model"), QStringLiteral("remote")}) {
        QDirIterator it(root.filePath(folder), {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
            ++files;
            const QString relative = root.relativeFilePath(path);
            const QString text = QString::fromUtf8(file.readAll());
            const QStringList lines = text.split(u'\n');
            for (const QString &found : untranslatedLiterals(text)) {
                const int number = found.section(u':', 0, 0).toInt();
                if (!isAllowed(relative, lines.value(number - 1)))
                    problems << relative + u':' + found;
            }
        }
    }
    EXPECT_GT(files, 100); // the scan saw the tree, not an empty folder
    EXPECT_TRUE(problems.isEmpty()) << "not through tr():\n" << problems.join(u'\n').toStdString();
}

} // namespace
