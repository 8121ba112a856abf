#pragma once

#include "model/diagnosis/finding.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <memory>

namespace twbench {

class CaptureReplay;
class Redactor;

struct ReportOptions
{
    QString title; // empty: a translated default
    // The replay's redactor when the capture is shown redacted. The builder redacts nothing
    // itself (the replay already did, before anything was derived); it only says so, with the
    // counts, and leaves the capture's file name out.
    std::shared_ptr<const Redactor> redactor;
    QSize chartsSize{1000, 760}; // logical pixels of the charts view that is drawn
    QSize topologySize{1000, 640};
};

// The investigation as a document for someone who was not there: header (title, hosts, time
// range, version, "redacted"), findings with their evidence and remedies, the charts and each
// host's topology graph as images, the top local endpoints and top callers as tables, and an
// appendix of shell commands that show every figure again by hand (model/report/
// reproducecommands.h). Written as self-contained HTML (images inline), as PDF (the same HTML
// through QTextDocument, A4, numbered pages) and as JSON (diagnosisJson() with the capture's
// span).
//
// Reads the replay's workbench as it is: position the replay first (seekAndWait(endMs())).
// The rules run synchronously here, on that state. The charts and graphs are drawn by the real
// views (ChartsView, TopologyView), so it needs a QApplication (offscreen is enough). Every
// string from the capture (names, paths, clients) is HTML-escaped and made printable.
class ReportBuilder final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::ReportBuilder)
    Q_DISABLE_COPY_MOVE(ReportBuilder)

public:
    ReportBuilder(CaptureReplay *replay, ReportOptions options);
    ~ReportBuilder();

    // Diagnoses every host and draws the images; once, before any output. Runs the event loop
    // while the topology layouts finish (at most about 30 s each).
    void build();

    QString html() const;    // self-contained: images as data: URLs
    QByteArray json() const; // indented
    // Each written through QSaveFile (the old file or the new one, never half); false with
    // *error (translated, naming the file).
    bool writeHtml(const QString &path, QString *error) const;
    bool writePdf(const QString &path, QString *error) const;
    bool writeJson(const QString &path, QString *error) const;

    QList<Finding> findings() const; // every host's, as the report lists them
    QImage chartsImage() const;
    QList<QImage> topologyImages() const; // one per host with a socket table

private:
    enum class ImageMode { DataUrl, Resource };
    QString document(ImageMode mode) const;
    bool writeBytes(const QString &path, const QByteArray &bytes, QString *error) const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace twbench
