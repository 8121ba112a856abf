#pragma once

#include "model/attribution.h"
#include "model/hostsample.h"
#include "model/snapshot.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace twbench {

// A capture file (`.twbench`): one investigation, kept so it can be reopened offline, scrubbed
// and reported on. SQLite through QtSql; PRAGMA application_id marks it as twbench's,
// PRAGMA user_version is the schema version (captureSchemaVersion), migrated forward on open.
//
// Tables (schema 1):
//   meta(key TEXT PRIMARY KEY, value TEXT)     written_by, created_ms
//   hosts(id TEXT PRIMARY KEY, position INTEGER, display_name TEXT, spec TEXT)  spec: JSON
//   samples(id INTEGER PRIMARY KEY, host_id TEXT, sequence INTEGER, epoch_ms INTEGER,
//           data BLOB)                          encodeSample(): everything but the table
//   tables(id INTEGER PRIMARY KEY, host_id TEXT, sequence INTEGER, epoch_ms INTEGER,
//          socket_count INTEGER, data BLOB)     encodeTable(): table + namespace map
//   groups(table_id INTEGER PRIMARY KEY, data BLOB)  the grouped snapshot of that table
//   findings(id INTEGER PRIMARY KEY, host_id TEXT, epoch_ms INTEGER, data TEXT)  JSON array
// and indexes on (host_id, epoch_ms) of samples, tables and findings (the rolling window's).
inline constexpr int captureSchemaVersion = 1;

// Who a captured host was. Never a secret: HostSpec holds none, and neither does this.
struct CaptureHost
{
    QString id;
    QString displayName;
    QString kind;           // "local", "ssh"
    QString address;        // as given to ssh; empty for the local workstation
    int port = 0;           // 0 for the local workstation
    QString user;           // may be empty
    QStringList logSources; // LogSourceSpec::id() of each followed access log
    friend bool operator==(const CaptureHost &, const CaptureHost &) = default;
};

// A socket table in a capture: where it is, without reading it.
struct CaptureTableRef
{
    std::int64_t id = 0; // for CaptureReader::readTable()
    QString hostId;
    std::uint64_t sequence = 0;
    std::int64_t epochMs = 0;
    int socketCount = 0;
};

// The findings of one host at one time, as the rules gave them (diagnosisJson()'s "findings"
// array, compact JSON).
struct CaptureFindings
{
    QString hostId;
    std::int64_t epochMs = 0;
    QByteArray json;
    friend bool operator==(const CaptureFindings &, const CaptureFindings &) = default;
};

struct CaptureInfo
{
    int schemaVersion = 0;
    QString writtenBy;          // "twbench 0.7.0"
    std::int64_t createdMs = 0; // this workstation's clock when recording began
    std::int64_t firstMs = 0;   // the earliest sample of any host (remote clocks); 0: none
    std::int64_t lastMs = 0;    // the latest
};

// A socket table read back, with the namespace map it came with.
struct CaptureTable
{
    SnapshotPtr table;
    std::shared_ptr<const NamespaceMap> namespaces;
};

// Records a capture. One thread at a time (QtSql connections belong to the thread that opened
// them): the GUI records on a thread of its own, the CLI on its main thread.
//
// Samples go into one open transaction that commit() ends; the recorder commits every second,
// so a crash loses at most the last second. The file is in WAL mode while recording.
class CaptureWriter final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::CaptureWriter)
    Q_DISABLE_COPY_MOVE(CaptureWriter)

public:
    CaptureWriter();
    ~CaptureWriter(); // commits what is pending, then closes

    // Creates the file, or opens an existing capture to go on recording into it (an older
    // schema is migrated first). Refuses a file that is not a capture, or one of a newer
    // schema; false with errorString().
    bool open(const QString &path);
    bool isOpen() const;
    QString path() const;
    QString errorString() const; // translated; the last failure's

    // Inserts or replaces the host (by id), in the order first given.
    bool putHost(const CaptureHost &host);
    // The sample, its table (when it carries one; with its grouped snapshot) and its docker
    // inventory, logs and issues.
    bool addSample(const HostSample &sample);
    bool addFindings(const CaptureFindings &findings);
    // Ends the open transaction (if any): everything added so far is on disk.
    bool commit();

    // A rolling window, for the live recording that runs for days: once a minute of each
    // host's samples, its rows (samples, tables with their groups, findings) older than
    // `keepMs` before its latest sample are deleted, on the host's own clock. The file then
    // stops growing: new rows reuse the pages old ones left, and a file this writer created
    // hands a surplus of free pages back to the file system (incremental vacuum). Of the
    // findings, the newest record before the cut stays too: it is what held at the window's
    // start. A host that stopped sending keeps its last window (unless the size cap needs the
    // room). 0 (the default) keeps everything: what
    // `twbench diagnose --save` records is bounded by its duration.
    void setRetention(std::int64_t keepMs);
    std::int64_t retentionMs() const;
    // And at most about `bytes` in use in the file (0: no cap; only with a window): while the
    // rows would pass it, the window is narrowed in proportion (never below 10 minutes) and
    // widened back by a minute per minute once they take less than 80 % of it. Oldest rows go
    // first, every host's alike.
    void setSizeCap(std::int64_t bytes);
    std::int64_t sizeCap() const;
    // The window kept now: retentionMs(), or less while the size cap narrows it.
    std::int64_t keptMs() const;

    // A consistent copy of everything committed, written to a temporary file beside `target`,
    // synced and renamed over it: `target` is the old file or the new one, never half of one.
    // On failure (read-only folder, disk full) `target` is untouched and the temporary file
    // removed; false with errorString(). The copy is a plain (not WAL) SQLite file.
    bool saveCopyTo(const QString &target);

    // Bytes of the file and its WAL on disk now.
    std::int64_t sizeOnDisk() const;
    void close();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Reads a capture. open() checks the whole file before it returns anything: SQLite's own
// integrity check, the application id, the schema version, and the decoding of every row
// (tables included). A damaged, truncated or foreign file is refused with a clear message and
// never half-loaded.
//
// Not tied to a thread: open() reads all but the socket tables into memory and closes its
// connection; readTable() opens the file read-only again for each call, so it may run on any
// thread, several at once.
class CaptureReader final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::CaptureReader)
    Q_DISABLE_COPY_MOVE(CaptureReader)

public:
    ~CaptureReader();

    // nullptr with *error (translated, naming the file and what is wrong with it).
    static std::unique_ptr<CaptureReader> open(const QString &path, QString *error);

    QString path() const;
    CaptureInfo info() const;
    QList<CaptureHost> hosts() const; // in recorded order
    // The host's samples in time order, without tables (HostSample::table is null; docker,
    // containerCpu, logs, issues, limits as recorded).
    const std::vector<HostSamplePtr> &samples(const QString &hostId) const;
    // The host's tables in time order.
    const std::vector<CaptureTableRef> &tables(const QString &hostId) const;
    // The newest table of the host at or before `epochMs`; nullopt when none is.
    std::optional<CaptureTableRef> tableAt(const QString &hostId, std::int64_t epochMs) const;
    // nullopt with *error when the file went away or changed since open().
    std::optional<CaptureTable> readTable(std::int64_t id, QString *error) const;
    QList<CaptureFindings> findings(const QString &hostId) const; // in time order

private:
    CaptureReader();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace twbench
