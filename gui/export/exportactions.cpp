#include "exportactions.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

namespace twbench {

namespace {

const QString lastDirKey = QStringLiteral("export/lastDir");
const QString lastFilterKey = QStringLiteral("export/lastFilter");

struct FormatInfo
{
    ViewExporter::Format format;
    const char *key; // settings value and file suffix
};

constexpr FormatInfo formats[] = {
    {ViewExporter::Format::Png, "png"},
    {ViewExporter::Format::Svg, "svg"},
    {ViewExporter::Format::Pdf, "pdf"},
    {ViewExporter::Format::Csv, "csv"},
};

// A file name from the view's title: letters and digits (any script) kept, the rest dashes.
QString suggestedBaseName(const QString &title)
{
    QString name;
    for (const QChar c : title.toLower())
        name += c.isLetterOrNumber() ? c : u'-';
    name = name.split(u'-', Qt::SkipEmptyParts).join(u'-');
    return QStringLiteral("twbench-") % (name.isEmpty() ? QStringLiteral("view") : name) % u'-' %
           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
}

} // namespace

ExportActions::ExportActions(QList<NamedSource> sources, std::function<ExportCaption()> caption,
                             QWidget *dialogParent)
    : QObject(dialogParent)
    , m_sources(std::move(sources))
    , m_caption(std::move(caption))
    , m_parent(dialogParent)
{
    m_export = new QAction(tr("&Export View…"), this);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_export->setToolTip(tr("Save the current view as PNG, SVG or PDF (a table also as CSV), "
                            "with the hosts and time range under it"));
    m_copy = new QAction(tr("&Copy View as Image"), this);
    m_copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copy->setToolTip(tr("Put the current view on the clipboard as an image (a table also as "
                          "CSV text)"));
    connect(m_export, &QAction::triggered, this, &ExportActions::exportWithDialog);
    connect(m_copy, &QAction::triggered, this, &ExportActions::copyWithFeedback);
}

ExportActions::~ExportActions() = default;

void ExportActions::setCurrentSource(std::function<int()> current)
{
    m_current = std::move(current);
}

void ExportActions::setCurrentIndex(int index)
{
    m_current = [index] {
        return index;
    };
}

int ExportActions::currentIndex() const
{
    return m_current ? m_current() : (m_sources.size() == 1 ? 0 : -1);
}

QStringList ExportActions::filters(bool withCsv)
{
    QStringList list{tr("PNG image (*.png)"), tr("SVG drawing (*.svg)"),
                     tr("PDF document (*.pdf)")};
    if (withCsv)
        list << tr("CSV table (*.csv)");
    return list;
}

QString ExportActions::formatKey(ViewExporter::Format format)
{
    for (const FormatInfo &info : formats) {
        if (info.format == format)
            return QString::fromLatin1(info.key);
    }
    return QStringLiteral("png");
}

bool ExportActions::currentSource(ExportSource *source)
{
    const int index = currentIndex();
    if (index < 0 || index >= m_sources.size() || !m_sources[index].source) {
        m_error = tr("There is no view to export here.");
        return false;
    }
    *source = m_sources[index].source();
    if (source->title.isEmpty())
        source->title = m_sources[index].name;
    return true;
}

bool ExportActions::exportCurrentTo(const QString &path)
{
    m_error.clear();
    ExportSource source;
    if (!currentSource(&source))
        return false;
    ViewExporter exporter;
    const ExportCaption caption = m_caption ? m_caption() : ExportCaption{};
    if (!exporter.exportTo(source, caption, ViewExporter::formatForPath(path), path)) {
        m_error = exporter.errorString();
        return false;
    }
    emit exported(path);
    return true;
}

bool ExportActions::copyCurrent()
{
    m_error.clear();
    ExportSource source;
    if (!currentSource(&source))
        return false;
    ViewExporter::copyToClipboard(source, m_caption ? m_caption() : ExportCaption{});
    emit copied(source.title);
    return true;
}

void ExportActions::exportWithDialog()
{
    ExportSource source;
    if (!currentSource(&source)) {
        showError(m_error);
        return;
    }
    const bool isTable = source.table != nullptr;
    const QStringList filterList = filters(isTable);

    QSettings settings;
    QString directory = settings.value(lastDirKey).toString();
    if (directory.isEmpty() || !QFileInfo(directory).isDir())
        directory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!QFileInfo(directory).isDir()) // no Documents folder on a bare server account
        directory = QDir::homePath();
    // The last format, unless it was CSV and this view is no table.
    int filterIndex = 0;
    const QString lastKey = settings.value(lastFilterKey).toString();
    for (int i = 0; i < filterList.size(); ++i) {
        if (QString::fromLatin1(formats[i].key) == lastKey)
            filterIndex = i;
    }
    const QString suffix = QString::fromLatin1(formats[filterIndex].key);

    QFileDialog dialog(m_parent, tr("Export %1").arg(source.title));
    dialog.setObjectName(QStringLiteral("exportDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setNameFilters(filterList);
    dialog.selectNameFilter(filterList[filterIndex]);
    dialog.setDirectory(directory);
    dialog.selectFile(suggestedBaseName(source.title) % u'.' % suffix);
    // Typing a name without a suffix gets the selected format's, and a new filter renames it.
    dialog.setDefaultSuffix(suffix);
    connect(&dialog, &QFileDialog::filterSelected, &dialog,
            [&dialog, &filterList](const QString &f) {
                const int index = int(filterList.indexOf(f));
                if (index >= 0)
                    dialog.setDefaultSuffix(QString::fromLatin1(formats[index].key));
            });
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;

    QString path = dialog.selectedFiles().constFirst();
    const int chosen = std::max(0, int(filterList.indexOf(dialog.selectedNameFilter())));
    const QString chosenKey = QString::fromLatin1(formats[chosen].key);
    // A suffix the operator typed names the format; any other gets the filter's added.
    const QString typed = QFileInfo(path).suffix().toLower();
    bool known = false;
    for (int i = 0; i < filterList.size(); ++i)
        known = known || typed == QString::fromLatin1(formats[i].key);
    if (!known)
        path += u'.' + chosenKey;

    settings.setValue(lastDirKey, QFileInfo(path).absolutePath());
    settings.setValue(lastFilterKey, formatKey(ViewExporter::formatForPath(path)));
    if (!exportCurrentTo(path))
        showError(m_error);
}

void ExportActions::copyWithFeedback()
{
    if (!copyCurrent())
        showError(m_error);
}

void ExportActions::showError(const QString &message)
{
    // Window-modal and not blocking: the message may name remote data (a path, a view title),
    // so it is plain text, never rich text.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), message, QMessageBox::Ok,
                                m_parent);
    box->setObjectName(QStringLiteral("exportError"));
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace twbench
