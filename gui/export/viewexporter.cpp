#include "viewexporter.h"

#include "model/csvexport.h"

#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QMimeData>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPointer>
#include <QSaveFile>
#include <QScreen>
#include <QSvgGenerator>
#include <QTextLayout>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace twbench {

namespace {

constexpr qreal captionPaddingX = 10;
constexpr qreal captionPaddingY = 7;
// A view narrower than this still gets a caption that reads as a line, not a column of words.
constexpr qreal minimumWidth = 360;
// A caption naming a hundred hosts is cut here (the last line elided), not grown without end.
constexpr int maximumCaptionLines = 4;
// A 2× image of a huge graph would need gigabytes; beyond these the scale is lowered.
constexpr qreal maximumImageSide = 16384;
constexpr qreal maximumImagePixels = 64.0 * 1024 * 1024;

const QColor captionBackground(0xf3, 0xf4, 0xf6);
const QColor captionRule(0xc9, 0xcd, 0xd3);
const QColor captionInk(0x1f, 0x23, 0x29);

// Dots per inch of what the views are laid out for. SVG and PDF use it as their resolution so
// that one logical pixel of a widget is one unit there and point-sized fonts keep the size
// (and the line breaks) they have on screen.
int screenDpi()
{
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        return std::max(1, qRound(screen->logicalDotsPerInch()));
    return 96;
}

QFont captionFont()
{
    QFont font = QGuiApplication::font();
    // Readable in a report even where the desktop's font is small.
    if (font.pointSizeF() > 0 && font.pointSizeF() < 9)
        font.setPointSizeF(9);
    return font;
}

QString versionText()
{
    QString version = QCoreApplication::applicationVersion();
#ifdef TWBENCH_VERSION
    if (version.isEmpty())
        version = QStringLiteral(TWBENCH_VERSION);
#endif
    return version;
}

// Where everything goes, in logical pixels: the view above, the caption strip below it.
struct Layout
{
    QRectF content;
    QRectF caption;
    QSizeF total;
    QStringList captionLines; // already wrapped and, past maximumCaptionLines, elided
    QFont font;
    qreal ascent = 0;
    qreal lineSpacing = 0;
};

QStringList wrapCaption(const QString &text, const QFont &font, qreal width)
{
    const QFontMetricsF metrics(font);
    QTextLayout layout(text, font);
    QTextOption option;
    // Host lists and long names break anywhere rather than overflow.
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    QStringList lines;
    layout.beginLayout();
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        if (lines.size() == maximumCaptionLines - 1) {
            const QString rest = text.mid(line.textStart()).simplified();
            lines << metrics.elidedText(rest, Qt::ElideRight, width);
            break;
        }
        lines << text.mid(line.textStart(), line.textLength()).trimmed();
    }
    layout.endLayout();
    return lines;
}

Layout layoutFor(const ExportSource &source, const ExportCaption &caption)
{
    Layout layout;
    QSizeF content = source.size ? source.size() : QSizeF();
    if (!content.isValid() || !std::isfinite(content.width()) || !std::isfinite(content.height()))
        content = QSizeF(0, 0);
    // Whole pixels, so that a PNG is exactly scale × (view + caption).
    content = QSizeF(std::ceil(content.width()), std::ceil(content.height()));
    const qreal width = std::max(content.width(), minimumWidth);
    layout.content = QRectF(QPointF(std::floor((width - content.width()) / 2), 0), content);

    layout.font = captionFont();
    const QFontMetricsF metrics(layout.font);
    layout.ascent = metrics.ascent();
    layout.lineSpacing = metrics.lineSpacing();
    layout.captionLines = wrapCaption(caption.text(), layout.font, width - 2 * captionPaddingX);
    const qreal lines = std::max<qreal>(1, layout.captionLines.size());
    const qreal captionHeight =
        std::ceil(2 * captionPaddingY + metrics.height() + (lines - 1) * layout.lineSpacing);
    layout.caption = QRectF(0, content.height(), width, captionHeight);
    layout.total = QSizeF(width, content.height() + captionHeight);
    return layout;
}

void paintAll(QPainter *painter, const ExportSource &source, const Layout &layout)
{
    painter->setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                            QPainter::SmoothPixmapTransform);
    painter->fillRect(QRectF(QPointF(), layout.total), Qt::white);
    if (source.paint && !layout.content.isEmpty()) {
        // No clip of our own: on QPdfWriter an outer clip intersected with the widgets' own
        // clips made labels and chart titles vanish. Sources draw inside their rectangle.
        painter->save();
        source.paint(painter, layout.content);
        painter->restore();
    }

    painter->save();
    painter->fillRect(layout.caption, captionBackground);
    painter->setPen(QPen(captionRule, 1));
    painter->drawLine(layout.caption.topLeft() + QPointF(0, 0.5),
                      layout.caption.topRight() + QPointF(0, 0.5));
    painter->setPen(captionInk);
    painter->setFont(layout.font);
    qreal baseline = layout.caption.top() + captionPaddingY + layout.ascent;
    for (const QString &line : layout.captionLines) {
        painter->drawText(QPointF(layout.caption.left() + captionPaddingX, baseline), line);
        baseline += layout.lineSpacing;
    }
    painter->restore();
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

ExportSource ExportSource::ofWidget(const QString &title, QWidget *widget)
{
    // The source may outlive a closed view; then it draws nothing instead of crashing.
    const QPointer<QWidget> guard(widget);
    ExportSource source;
    source.title = title;
    source.size = [guard] {
        return guard ? QSizeF(guard->size()) : QSizeF();
    };
    source.paint = [guard](QPainter *painter, const QRectF &target) {
        if (!guard || guard->width() <= 0 || guard->height() <= 0)
            return;
        painter->save();
        painter->translate(target.topLeft());
        painter->scale(target.width() / guard->width(), target.height() / guard->height());
        // Through the painter (not a grab()): on SVG and PDF the widgets, and QtCharts' and
        // QGraphicsView's items in them, draw as vectors and text stays text.
        guard->render(painter, QPoint(), QRegion(),
                      QWidget::DrawWindowBackground | QWidget::DrawChildren);
        painter->restore();
    };
    return source;
}

QString ExportCaption::text() const
{
    QStringList parts;
    if (!hosts.isEmpty())
        parts << hosts;
    if (!timeRange.isEmpty())
        parts << timeRange;
    parts << ViewExporter::tr("twbench %1").arg(versionText());
    //: Between the parts of an exported image's caption: hosts, time range, version.
    return parts.join(ViewExporter::tr(" · "));
}

QImage ViewExporter::renderImage(const ExportSource &source, const ExportCaption &caption,
                                 qreal scale)
{
    const Layout layout = layoutFor(source, caption);
    scale = std::max<qreal>(scale, 0.1);
    const qreal side = std::max(layout.total.width(), layout.total.height());
    scale = std::min(scale, maximumImageSide / side);
    scale = std::min(
        scale, std::sqrt(maximumImagePixels / (layout.total.width() * layout.total.height())));
    const QSize pixels(qRound(layout.total.width() * scale), qRound(layout.total.height() * scale));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        paintAll(&painter, source, layout);
    }
    // Only now: the image's DPI decides the size of point-sized fonts while painting. Saved
    // with it, a document editor places the image at its logical size, sharp.
    image.setDotsPerMeterX(qRound(screenDpi() * scale / 0.0254));
    image.setDotsPerMeterY(qRound(screenDpi() * scale / 0.0254));
    image.setText(QStringLiteral("Title"), source.title);
    image.setText(QStringLiteral("Description"), caption.text());
    image.setText(QStringLiteral("Software"), tr("twbench %1").arg(versionText()));
    return image;
}

bool ViewExporter::exportTo(const ExportSource &source, const ExportCaption &caption, Format format,
                            const QString &path)
{
    m_error.clear();
    if (format == Format::Csv && !source.table) {
        m_error = tr("“%1” is not a table and cannot be exported as CSV.").arg(source.title);
        return false;
    }

    // Written beside the target and renamed over it at commit(): a failure leaves no half file
    // and an older file as it was. No direct-write fallback: a read-only directory is an error.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = tr("Cannot write “%1”: %2").arg(nativePath(path), file.errorString());
        return false;
    }

    bool written = false;
    switch (format) {
    case Format::Png: {
        const QImage image = renderImage(source, caption);
        if (image.isNull()) {
            m_error = tr("Cannot export “%1”: the image would be too large.").arg(source.title);
            file.cancelWriting();
            return false;
        }
        written = image.save(&file, "PNG");
        break;
    }
    case Format::Svg: {
        const Layout layout = layoutFor(source, caption);
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setResolution(screenDpi());
        generator.setSize(layout.total.toSize());
        generator.setViewBox(QRectF(QPointF(), layout.total));
        generator.setTitle(source.title);
        generator.setDescription(caption.text());
        QPainter painter;
        if (painter.begin(&generator)) {
            paintAll(&painter, source, layout);
            written = painter.end();
        }
        break;
    }
    case Format::Pdf: {
        const Layout layout = layoutFor(source, caption);
        const int dpi = screenDpi();
        QPdfWriter writer(&file);
        writer.setResolution(dpi);
        writer.setTitle(source.title + tr(" · ") + caption.text());
        writer.setCreator(tr("twbench %1").arg(versionText()));
        // One page exactly the size of the view and its caption: pasted into an incident
        // report it scales like an image, with no page margins to crop and nothing shrunk to
        // fit A4. QPageSize keeps whole points, hence the ceil.
        const QSizeF points(std::ceil(layout.total.width() * 72.0 / dpi),
                            std::ceil(layout.total.height() * 72.0 / dpi));
        writer.setPageLayout(
            QPageLayout(QPageSize(points, QPageSize::Point, source.title, QPageSize::ExactMatch),
                        QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Point));
        QPainter painter;
        if (painter.begin(&writer)) {
            paintAll(&painter, source, layout);
            written = painter.end();
        }
        break;
    }
    case Format::Csv: {
        const QByteArray csv = csvFromModel(*source.table).toUtf8();
        written = file.write(csv) == csv.size();
        break;
    }
    }

    if (!written) {
        m_error = tr("Cannot write “%1”: %2")
                      .arg(nativePath(path), file.error() != QFileDevice::NoError
                                                 ? file.errorString()
                                                 : tr("drawing the view failed"));
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        m_error = tr("Cannot save “%1”: %2").arg(nativePath(path), file.errorString());
        return false;
    }
    return true;
}

void ViewExporter::copyToClipboard(const ExportSource &source, const ExportCaption &caption)
{
    auto *mime = new QMimeData; // Owned by the clipboard once set.
    const QImage image = renderImage(source, caption);
    if (!image.isNull()) {
        mime->setImageData(image);
        // Explicit PNG bytes as well: some applications only take image/png and the platform
        // clipboard would otherwise convert on demand, losing the DPI.
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (image.save(&buffer, "PNG"))
            mime->setData(QStringLiteral("image/png"), png);
    }
    if (source.table) {
        const QString csv = csvFromModel(*source.table);
        mime->setData(QStringLiteral("text/csv"), csv.toUtf8());
        mime->setText(csv);
    }
    QGuiApplication::clipboard()->setMimeData(mime);
}

ViewExporter::Format ViewExporter::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"svg")
        return Format::Svg;
    if (suffix == u"pdf")
        return Format::Pdf;
    if (suffix == u"csv")
        return Format::Csv;
    return Format::Png;
}

} // namespace twbench
