#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>

class QAbstractItemModel;
class QPainter;
class QWidget;

namespace twbench {

// What a view gives to be exported: its natural size, a painter callback that draws it into a
// rectangle (vector where the view is: a QGraphicsScene, QtCharts), and for tables the model
// behind it (exported to CSV through model/csvexport.h).
struct ExportSource
{
    QString title;                // translated: "Charts", "Topology", …
    std::function<QSizeF()> size; // logical pixels
    std::function<void(QPainter *, const QRectF &)> paint;
    const QAbstractItemModel *table = nullptr; // nullptr: not a table

    // A widget as it is on screen (what is visible of it).
    static ExportSource ofWidget(const QString &title, QWidget *widget);
};

// The line under every exported image: "web-01, web-02 · 2026-11-26 10:02–10:04 · twbench 0.7.0".
struct ExportCaption
{
    QString hosts;        // display names, joined
    QString timeRange;    // local time, formatted by the caller
    QString text() const; // with the version
};

// Renders a source to PNG (2× scale), SVG or PDF, or to the clipboard, with its caption
// below. Each returns false with errorString() (translated) when the file cannot be written;
// files are written to a temporary file and renamed (QSaveFile), so a failed export never
// leaves half a file or damages an older one.
class ViewExporter final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::ViewExporter)

public:
    enum class Format { Png, Svg, Pdf, Csv };

    // PNG at 2× the logical size (devicePixelRatio 2), white background, caption included.
    static QImage renderImage(const ExportSource &source, const ExportCaption &caption,
                              qreal scale = 2.0);
    bool exportTo(const ExportSource &source, const ExportCaption &caption, Format format,
                  const QString &path);
    // Image (PNG data) and, for tables, the CSV as text/csv and text/plain.
    static void copyToClipboard(const ExportSource &source, const ExportCaption &caption);
    // From the suffix: .png .svg .pdf .csv; nullopt-like Png for anything else.
    static Format formatForPath(const QString &path);
    QString errorString() const { return m_error; }

private:
    QString m_error;
};

} // namespace twbench
