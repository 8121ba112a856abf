#pragma once

#include "viewexporter.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class QAction;
class QWidget;

namespace twbench {

// The main window's "Export view…" (Ctrl+E) and "Copy view as image" (Ctrl+Shift+C): they act
// on whichever view the caller says is current, ask where to save (PNG, SVG, PDF and, for a
// table, CSV), remember the folder and format in QSettings ("export/lastDir",
// "export/lastFilter"), show a failure in a message box and report a success by exported().
//
//     auto *exports = new ExportActions(
//         {{tr("Topology"), [this] { return m_topology->exportSource(); }},
//          {tr("Charts"), [this] { return ExportSource::ofWidget(tr("Charts"), m_charts); }}},
//         [this] { return currentCaption(); }, this);
//     exports->setCurrentSource([this] { return m_tabs->currentIndex(); });
//     menu->addAction(exports->exportAction());
//
// The actions have the default Qt::WindowShortcut context: add them to a menu or a widget of
// the window for their shortcuts to work.
class ExportActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportActions)

public:
    struct NamedSource
    {
        QString name; // translated; names the view in the dialog's title
        std::function<ExportSource()> source;
    };

    // `dialogParent` (not owned) parents the file dialog and message boxes and the actions.
    ExportActions(QList<NamedSource> sources, std::function<ExportCaption()> caption,
                  QWidget *dialogParent);
    ~ExportActions() override;

    // Which source is current: an index into the list, -1 for none (the actions then say so).
    // Asked each time an action runs, so it follows tabs and docks without signals.
    void setCurrentSource(std::function<int()> current);
    // A fixed index instead (a setter for callers that track the current view themselves).
    void setCurrentIndex(int index);
    int currentIndex() const;

    QAction *exportAction() const { return m_export; }
    QAction *copyAction() const { return m_copy; }

    // What the actions do after the dialog; false with errorString() on failure. Public for
    // tests and for callers that already know the path.
    bool exportCurrentTo(const QString &path);
    bool copyCurrent();
    QString errorString() const { return m_error; }

    // The file dialog's filters for a source, and the settings' key of each (stable across
    // languages: "png", "svg", "pdf", "csv").
    static QStringList filters(bool withCsv);
    static QString formatKey(ViewExporter::Format format);

signals:
    void exported(const QString &path);
    // The current view was put on the clipboard; `title` names it.
    void copied(const QString &title);

private:
    void exportWithDialog();
    void copyWithFeedback();
    void showError(const QString &message);
    bool currentSource(ExportSource *source);

    QList<NamedSource> m_sources;
    std::function<ExportCaption()> m_caption;
    std::function<int()> m_current;
    QWidget *m_parent;           // Not owned.
    QAction *m_export = nullptr; // Owned (child).
    QAction *m_copy = nullptr;   // Owned (child).
    QString m_error;
};

} // namespace twbench
