#include "capturefile.h"

#include "groupcodec.h"
#include "samplecodec.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <span>

#include <fcntl.h>
#include <unistd.h>

namespace twbench {

namespace {

// PRAGMA application_id: 'TWBC'. SQLite's own `file` magic and `sqlite3 .dbinfo` show it.
constexpr std::int32_t captureApplicationId = 0x54574243;
constexpr char sqliteMagic[] = "SQLite format 3"; // and a NUL: the first 16 bytes of the file
constexpr qsizetype sqliteHeaderBytes = 100;
constexpr int busyTimeoutMs = 5000;
// How far a host's clock moves between two prunes of the rolling window.
constexpr std::int64_t pruneStepMs = 60 * 1000;
// The size cap never narrows the window below this: ten minutes is still an investigation.
constexpr std::int64_t minimumKeptMs = 10 * 60 * 1000;

// --- schema ---

constexpr const char *schemaStatements[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE hosts(id TEXT PRIMARY KEY, position INTEGER, display_name TEXT, spec TEXT)",
    "CREATE TABLE samples(id INTEGER PRIMARY KEY, host_id TEXT, sequence INTEGER, "
    "epoch_ms INTEGER, data BLOB)",
    "CREATE TABLE tables(id INTEGER PRIMARY KEY, host_id TEXT, sequence INTEGER, "
    "epoch_ms INTEGER, socket_count INTEGER, data BLOB)",
    // GROUPS is a keyword since SQLite 3.28 (window frames): always quoted.
    "CREATE TABLE \"groups\"(table_id INTEGER PRIMARY KEY, data BLOB)",
    "CREATE TABLE findings(id INTEGER PRIMARY KEY, host_id TEXT, epoch_ms INTEGER, data TEXT)",
};

// What the live recording's rolling window deletes by: a host's rows older than a time. Not
// part of the schema's version: an index changes no row, older readers ignore it, and a file
// recorded without them gets them when recording goes on into it.
constexpr const char *indexStatements[] = {
    "CREATE INDEX IF NOT EXISTS samples_by_host_time ON samples(host_id, epoch_ms)",
    "CREATE INDEX IF NOT EXISTS tables_by_host_time ON tables(host_id, epoch_ms)",
    "CREATE INDEX IF NOT EXISTS findings_by_host_time ON findings(host_id, epoch_ms)",
};

// One step of the schema's history: turns a file of schema `fromVersion` into fromVersion + 1.
// Steps are only ever appended; captureSchemaVersion is the last step's target. Schema 1 is the
// first, so there are none yet. A step runs inside the migration's transaction.
struct MigrationStep
{
    int fromVersion;
    std::function<bool(QSqlDatabase &db, QString *error)> apply;
};

std::span<const MigrationStep> migrationSteps()
{
    static const std::vector<MigrationStep> steps;
    return steps;
}

QString newConnectionName()
{
    return QStringLiteral("twbench-capture-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A QtSql connection of its own, removed when this goes (QSqlDatabase::removeDatabase wants
// every QSqlDatabase and QSqlQuery of it gone first: callers keep their queries in a narrower
// scope than this).
class Connection final
{
public:
    enum class Mode { ReadOnly, ReadWrite };

    Connection(const QString &path, Mode mode)
        : m_name(newConnectionName())
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs);
        if (mode == Mode::ReadOnly)
            options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        m_db.setConnectOptions(options);
    }
    ~Connection() { close(); }
    Q_DISABLE_COPY_MOVE(Connection)

    bool open() { return m_db.open(); }
    QSqlDatabase &db() { return m_db; }
    QString lastError() const { return m_db.lastError().text(); }

    void close()
    {
        if (m_name.isEmpty())
            return;
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
        m_name.clear();
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

std::optional<QVariant> queryValue(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    if (!query.next()) {
        *error = query.lastError().isValid() ? query.lastError().text()
                                             : QStringLiteral("no result for ") + sql;
        return std::nullopt;
    }
    return query.value(0);
}

enum class HeaderCheck { Sqlite, NotSqlite, CutShort, Unreadable };

// Before SQLite sees it: the first 100 bytes of an SQLite file start with its magic.
HeaderCheck checkSqliteHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return HeaderCheck::Unreadable;
    const QByteArray header = file.read(sqliteHeaderBytes);
    const QByteArrayView magic(sqliteMagic, sizeof(sqliteMagic)); // with its NUL
    if (!header.startsWith(magic.first(std::min(magic.size(), header.size()))) || header.isEmpty())
        return HeaderCheck::NotSqlite;
    if (header.size() < sqliteHeaderBytes)
        return HeaderCheck::CutShort;
    return HeaderCheck::Sqlite;
}

// Runs the steps from `fromVersion` up to captureSchemaVersion in one transaction.
bool migrateSchema(QSqlDatabase &db, int fromVersion, QString *error)
{
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    for (int version = fromVersion; version < captureSchemaVersion; ++version) {
        const auto steps = migrationSteps();
        const auto step = std::find_if(steps.begin(), steps.end(), [version](const auto &s) {
            return s.fromVersion == version;
        });
        if (step == steps.end()) {
            *error =
                QCoreApplication::translate("twbench::CaptureWriter", "no migration from schema %1")
                    .arg(version);
            db.rollback();
            return false;
        }
        if (!step->apply(db, error)) {
            db.rollback();
            return false;
        }
    }
    if (!exec(db, QStringLiteral("PRAGMA user_version = %1").arg(captureSchemaVersion), error) ||
        !db.commit()) {
        if (error->isEmpty())
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

QByteArray hostSpecJson(const CaptureHost &host)
{
    QJsonObject spec;
    spec.insert(QStringLiteral("id"), host.id);
    spec.insert(QStringLiteral("displayName"), host.displayName);
    spec.insert(QStringLiteral("kind"), host.kind);
    spec.insert(QStringLiteral("address"), host.address);
    spec.insert(QStringLiteral("port"), host.port);
    spec.insert(QStringLiteral("user"), host.user);
    spec.insert(QStringLiteral("logSources"), QJsonArray::fromStringList(host.logSources));
    return QJsonDocument(spec).toJson(QJsonDocument::Compact);
}

std::optional<CaptureHost> hostFromSpecJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject spec = document.object();
    CaptureHost host;
    host.id = spec.value(QStringLiteral("id")).toString();
    host.displayName = spec.value(QStringLiteral("displayName")).toString();
    host.kind = spec.value(QStringLiteral("kind")).toString();
    host.address = spec.value(QStringLiteral("address")).toString();
    host.port = spec.value(QStringLiteral("port")).toInt();
    host.user = spec.value(QStringLiteral("user")).toString();
    for (const QJsonValue &source : spec.value(QStringLiteral("logSources")).toArray())
        host.logSources.append(source.toString());
    return host;
}

bool fsyncPath(const QString &path, int flags)
{
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

} // namespace

// ------------------------------------------------------------------------------------------
// CaptureWriter

struct CaptureWriter::Private
{
    QString path;
    QString error;
    std::unique_ptr<Connection> connection;
    bool inTransaction = false;
    // Prepared once: a sample a second per host for hours.
    std::optional<QSqlQuery> insertSample, insertTable, insertGroups, insertFindings, putHost;
    std::optional<QSqlQuery> pruneGroups, pruneTables, pruneSamples, pruneFindings;

    // The rolling window (setRetention()); 0 keeps everything.
    std::int64_t retentionMs = 0;
    // setSizeCap(); 0: none. keptMs is the window kept now: retentionMs, or narrower while the
    // recording would pass the cap. Resized once per round of every host's prune.
    std::int64_t sizeCapBytes = 0;
    std::int64_t keptMs = 0;
    qsizetype prunesSinceResize = 0;
    // Per host, on its own clock: where its last prune stood. Pruning once a minute of the
    // host's samples keeps each delete small (a minute of rows) and the free pages it leaves
    // are what the next minute's rows reuse.
    QHash<QString, std::int64_t> lastPruneMs;
    // The file returns free pages to the file system (auto_vacuum = INCREMENTAL; files made by
    // this writer). Older files keep their free pages for reuse, which bounds them just as well.
    bool incrementalVacuum = false;

    bool fail(const QString &message)
    {
        error = message;
        return false;
    }
    bool failWrite(const QString &reason)
    {
        return fail(CaptureWriter::tr("Could not write to %1: %2")
                        .arg(QDir::toNativeSeparators(path), reason));
    }
    bool ensureTransaction()
    {
        if (inTransaction)
            return true;
        if (!connection->db().transaction())
            return failWrite(connection->db().lastError().text());
        inTransaction = true;
        return true;
    }
    bool execPrepared(QSqlQuery &query)
    {
        if (query.exec())
            return true;
        return failWrite(query.lastError().text());
    }
    // Each added sample is all or nothing within the open transaction.
    template<typename Work>
    bool atomically(Work &&work)
    {
        if (!ensureTransaction())
            return false;
        QString sqlError;
        if (!exec(connection->db(), QStringLiteral("SAVEPOINT capture_row"), &sqlError))
            return failWrite(sqlError);
        const bool done = work();
        const QString release = done ? QStringLiteral("RELEASE capture_row")
                                     : QStringLiteral("ROLLBACK TO capture_row");
        if (!exec(connection->db(), release, &sqlError) && done)
            return failWrite(sqlError);
        if (!done)
            exec(connection->db(), QStringLiteral("RELEASE capture_row"), &sqlError);
        return done;
    }
    bool pruneHost(const QString &hostId, std::int64_t beforeMs);
    bool returnFreePages();
    bool resizeToCap();

    void closeConnection()
    {
        insertSample.reset();
        insertTable.reset();
        insertGroups.reset();
        insertFindings.reset();
        putHost.reset();
        pruneGroups.reset();
        pruneTables.reset();
        pruneSamples.reset();
        pruneFindings.reset();
        lastPruneMs.clear();
        connection.reset();
        inTransaction = false;
    }
};

bool CaptureWriter::Private::pruneHost(const QString &hostId, std::int64_t beforeMs)
{
    // Groups first: they are found through the tables they belong to.
    for (std::optional<QSqlQuery> *query : {&pruneGroups, &pruneTables, &pruneSamples}) {
        (*query)->bindValue(0, hostId);
        (*query)->bindValue(1, qint64(beforeMs));
        if (!execPrepared(**query))
            return false;
        (*query)->finish();
    }
    pruneFindings->bindValue(0, hostId);
    pruneFindings->bindValue(1, hostId);
    pruneFindings->bindValue(2, qint64(beforeMs));
    if (!execPrepared(*pruneFindings))
        return false;
    pruneFindings->finish();
    return returnFreePages();
}

bool CaptureWriter::Private::returnFreePages()
{
    if (!incrementalVacuum)
        return true;
    QSqlDatabase &db = connection->db();
    QString sqlError;
    const auto freePages = queryValue(db, QStringLiteral("PRAGMA freelist_count"), &sqlError);
    const auto pages = queryValue(db, QStringLiteral("PRAGMA page_count"), &sqlError);
    if (!freePages || !pages)
        return failWrite(sqlError);
    // A quarter of the file free means the window shrank (a host went quiet, a burst of big
    // tables aged out): give back all but an eighth, which the next minutes' rows will reuse.
    // Below that, moving pages around would only churn the disk.
    const qint64 free = freePages->toLongLong();
    const qint64 total = pages->toLongLong();
    if (free * 4 <= total)
        return true;
    // Each step of incremental_vacuum moves one page and yields a row, and QtSql steps a
    // statement without result columns once per exec(): one page per exec(). At most 16 MiB
    // (of 4 KiB pages) per prune, so a large surplus is given back over several minutes
    // rather than stalling the recording.
    constexpr qint64 maxPagesPerPrune = 4096;
    const qint64 surplus = std::min(free - total / 8, maxPagesPerPrune);
    QSqlQuery vacuum(db);
    if (!vacuum.prepare(QStringLiteral("PRAGMA incremental_vacuum(1)")))
        return failWrite(vacuum.lastError().text());
    for (qint64 page = 0; page < surplus; ++page) {
        if (!vacuum.exec())
            return failWrite(vacuum.lastError().text());
    }
    return true;
}

bool CaptureWriter::Private::resizeToCap()
{
    if (sizeCapBytes <= 0 || ++prunesSinceResize < lastPruneMs.size())
        return true;
    prunesSinceResize = 0;
    QSqlDatabase &db = connection->db();
    QString sqlError;
    const auto pageSize = queryValue(db, QStringLiteral("PRAGMA page_size"), &sqlError);
    const auto pages = queryValue(db, QStringLiteral("PRAGMA page_count"), &sqlError);
    const auto freePages = queryValue(db, QStringLiteral("PRAGMA freelist_count"), &sqlError);
    if (!pageSize || !pages || !freePages)
        return failWrite(sqlError);
    const double used =
        double(pages->toLongLong() - freePages->toLongLong()) * pageSize->toDouble();
    const double cap = double(sizeCapBytes);
    if (used > cap) {
        // The rows are spread evenly enough over time: a window narrowed in proportion (and a
        // tenth more) brings the file under the cap. Every host is cut to it now, on its own
        // clock as of its last prune: a host that went quiet gives up its oldest rows too.
        keptMs = std::max(minimumKeptMs, std::int64_t(double(keptMs) * cap / used * 0.9));
        for (auto it = lastPruneMs.cbegin(); it != lastPruneMs.cend(); ++it) {
            if (!pruneHost(it.key(), it.value() - keptMs))
                return false;
        }
    } else if (used < cap * 0.8 && keptMs < retentionMs) {
        // Room again (a host was removed, tables got smaller): widen by a minute per round,
        // which is as fast as the rows come in, so the window fills back up without a swing.
        keptMs = std::min(retentionMs, keptMs + pruneStepMs);
    }
    return true;
}

CaptureWriter::CaptureWriter()
    : d(std::make_unique<Private>())
{}

CaptureWriter::~CaptureWriter()
{
    close();
}

bool CaptureWriter::open(const QString &path)
{
    close();
    d->error.clear();
    d->path = path;
    const QString shownPath = QDir::toNativeSeparators(path);
    const QFileInfo fileInfo(path);
    const bool existing = fileInfo.exists() && fileInfo.size() > 0;
    if (existing) {
        switch (checkSqliteHeader(path)) {
        case HeaderCheck::Sqlite:
            break;
        case HeaderCheck::Unreadable:
            return d->fail(tr("Could not open %1: it cannot be read.").arg(shownPath));
        case HeaderCheck::NotSqlite:
            return d->fail(
                tr("%1 is not a twbench capture (not an SQLite database).").arg(shownPath));
        case HeaderCheck::CutShort:
            return d->fail(tr("%1 is damaged: it is cut short.").arg(shownPath));
        }
    }

    d->connection = std::make_unique<Connection>(path, Connection::Mode::ReadWrite);
    if (!d->connection->open()) {
        const QString reason = d->connection->lastError();
        d->closeConnection();
        return d->fail(tr("Could not open %1: %2").arg(shownPath, reason));
    }
    QSqlDatabase &db = d->connection->db();
    const auto refuse = [this](const QString &message) {
        d->closeConnection();
        return d->fail(message);
    };
    QString sqlError;
    if (existing) {
        const auto applicationId =
            queryValue(db, QStringLiteral("PRAGMA application_id"), &sqlError);
        if (!applicationId)
            return refuse(tr("%1 is damaged: %2").arg(shownPath, sqlError));
        if (applicationId->toInt() != captureApplicationId)
            return refuse(tr("%1 is an SQLite database but not a twbench capture.").arg(shownPath));
        const auto version = queryValue(db, QStringLiteral("PRAGMA user_version"), &sqlError);
        if (!version)
            return refuse(tr("%1 is damaged: %2").arg(shownPath, sqlError));
        if (version->toInt() > captureSchemaVersion)
            return refuse(tr("%1 was written by a newer twbench (schema %2); this one reads up "
                             "to %3.")
                              .arg(shownPath)
                              .arg(version->toInt())
                              .arg(captureSchemaVersion));
        if (version->toInt() < captureSchemaVersion &&
            !migrateSchema(db, version->toInt(), &sqlError))
            return refuse(
                tr("Could not update %1 to the current format: %2").arg(shownPath, sqlError));
    }

    // Before the first table exists, or it has no effect.
    if (!existing && !exec(db, QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), &sqlError))
        return refuse(tr("Could not create %1: %2").arg(shownPath, sqlError));
    const auto journalMode = queryValue(db, QStringLiteral("PRAGMA journal_mode = WAL"), &sqlError);
    if (!journalMode || journalMode->toString().compare(u"wal", Qt::CaseInsensitive) != 0)
        return refuse(tr("Could not open %1 for recording: %2")
                          .arg(shownPath, journalMode ? journalMode->toString() : sqlError));
    if (!exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), &sqlError))
        return refuse(tr("Could not open %1 for recording: %2").arg(shownPath, sqlError));
    // The log is emptied at each checkpoint but keeps the size of its largest moment; past
    // 8 MiB it is cut back, so a burst (a prune after a host of 100,000 sockets) leaves no
    // lasting trace on the disk.
    if (!exec(db, QStringLiteral("PRAGMA journal_size_limit = 8388608"), &sqlError))
        return refuse(tr("Could not open %1 for recording: %2").arg(shownPath, sqlError));

    if (!existing) {
        bool created = db.transaction();
        for (const char *statement : schemaStatements) {
            if (created)
                created = exec(db, QString::fromLatin1(statement), &sqlError);
        }
        if (created) {
            created =
                exec(db, QStringLiteral("PRAGMA application_id = %1").arg(captureApplicationId),
                     &sqlError) &&
                exec(db, QStringLiteral("PRAGMA user_version = %1").arg(captureSchemaVersion),
                     &sqlError);
        }
        if (created) {
            QSqlQuery meta(db);
            meta.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"));
            const std::pair<QString, QString> rows[] = {
                {QStringLiteral("written_by"), QStringLiteral("twbench " TWBENCH_VERSION)},
                {QStringLiteral("created_ms"),
                 QString::number(QDateTime::currentMSecsSinceEpoch())},
            };
            for (const auto &[key, value] : rows) {
                meta.addBindValue(key);
                meta.addBindValue(value);
                if (created && !meta.exec()) {
                    created = false;
                    sqlError = meta.lastError().text();
                }
            }
        }
        if (created && !db.commit()) {
            created = false;
            sqlError = db.lastError().text();
        }
        if (!created) {
            db.rollback();
            return refuse(tr("Could not create %1: %2").arg(shownPath, sqlError));
        }
    }

    for (const char *statement : indexStatements) {
        if (!exec(db, QString::fromLatin1(statement), &sqlError))
            return refuse(tr("Could not open %1 for recording: %2").arg(shownPath, sqlError));
    }
    const auto autoVacuum = queryValue(db, QStringLiteral("PRAGMA auto_vacuum"), &sqlError);
    d->incrementalVacuum = autoVacuum && autoVacuum->toInt() == 2; // 2: INCREMENTAL

    const auto prepare = [&db, &sqlError](std::optional<QSqlQuery> &query, const QString &sql) {
        query.emplace(db);
        if (query->prepare(sql))
            return true;
        sqlError = query->lastError().text();
        return false;
    };
    if (!prepare(d->insertSample,
                 QStringLiteral("INSERT INTO samples(host_id, sequence, epoch_ms, data) "
                                "VALUES (?, ?, ?, ?)")) ||
        !prepare(d->insertTable,
                 QStringLiteral("INSERT INTO tables(host_id, sequence, epoch_ms, socket_count, "
                                "data) VALUES (?, ?, ?, ?, ?)")) ||
        !prepare(d->insertGroups,
                 QStringLiteral("INSERT INTO \"groups\"(table_id, data) VALUES (?, ?)")) ||
        !prepare(
            d->insertFindings,
            QStringLiteral("INSERT INTO findings(host_id, epoch_ms, data) VALUES (?, ?, ?)")) ||
        // A host keeps the position it was first given; its name and spec follow the latest.
        !prepare(d->putHost,
                 QStringLiteral("INSERT INTO hosts(id, position, display_name, spec) "
                                "VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM hosts), "
                                "?, ?) ON CONFLICT(id) DO UPDATE SET "
                                "display_name = excluded.display_name, spec = excluded.spec")) ||
        !prepare(d->pruneGroups,
                 QStringLiteral("DELETE FROM \"groups\" WHERE table_id IN (SELECT id FROM tables "
                                "WHERE host_id = ? AND epoch_ms < ?)")) ||
        !prepare(d->pruneTables,
                 QStringLiteral("DELETE FROM tables WHERE host_id = ? AND epoch_ms < ?")) ||
        !prepare(d->pruneSamples,
                 QStringLiteral("DELETE FROM samples WHERE host_id = ? AND epoch_ms < ?")) ||
        // Findings are recorded when they change: the newest record before the cut still says
        // what held at the window's start, so it stays.
        !prepare(d->pruneFindings,
                 QStringLiteral("DELETE FROM findings WHERE host_id = ? AND epoch_ms < "
                                "(SELECT MAX(epoch_ms) FROM findings WHERE host_id = ? AND "
                                "epoch_ms < ?)")))
        return refuse(tr("%1 is damaged: %2").arg(shownPath, sqlError));
    return true;
}

bool CaptureWriter::isOpen() const
{
    return d->connection != nullptr;
}

QString CaptureWriter::path() const
{
    return d->path;
}

QString CaptureWriter::errorString() const
{
    return d->error;
}

bool CaptureWriter::putHost(const CaptureHost &host)
{
    if (!isOpen())
        return d->fail(tr("No capture file is open."));
    return d->atomically([this, &host] {
        QSqlQuery &query = *d->putHost;
        query.bindValue(0, host.id);
        query.bindValue(1, host.displayName);
        query.bindValue(2, QString::fromUtf8(hostSpecJson(host)));
        return d->execPrepared(query);
    });
}

bool CaptureWriter::addSample(const HostSample &sample)
{
    if (!isOpen())
        return d->fail(tr("No capture file is open."));
    const bool added = d->atomically([this, &sample] {
        QSqlQuery &row = *d->insertSample;
        row.bindValue(0, sample.hostId);
        row.bindValue(1, qint64(sample.sequence));
        row.bindValue(2, qint64(sample.epochMs));
        row.bindValue(3, SampleCodec::encodeSample(sample));
        if (!d->execPrepared(row))
            return false;
        if (!sample.table)
            return true;

        const Snapshot &table = *sample.table;
        QSqlQuery &tableRow = *d->insertTable;
        tableRow.bindValue(0, sample.hostId);
        tableRow.bindValue(1, qint64(table.sequence));
        tableRow.bindValue(2, qint64(table.epochMs));
        tableRow.bindValue(3, qint64(table.sockets.size()));
        tableRow.bindValue(4, SampleCodec::encodeTable(table, sample.namespaces.get()));
        if (!d->execPrepared(tableRow))
            return false;
        QSqlQuery &groupsRow = *d->insertGroups;
        groupsRow.bindValue(0, tableRow.lastInsertId());
        groupsRow.bindValue(1, GroupCodec::encodeLocalEndpointGroups(table));
        return d->execPrepared(groupsRow);
    });
    if (!added || d->retentionMs <= 0)
        return added;
    // The window follows the host's latest sample, not the largest time it ever sent: after
    // its clock is set back, what it sent "in the future" ages out one window later.
    auto last = d->lastPruneMs.find(sample.hostId);
    if (last == d->lastPruneMs.end()) {
        // The first sample of this host in this session prunes at once: a recording continued
        // from an older file drops what is already outside the window.
        last = d->lastPruneMs.insert(sample.hostId, sample.epochMs - pruneStepMs);
    }
    if (sample.epochMs - *last < pruneStepMs && sample.epochMs >= *last)
        return true;
    *last = sample.epochMs;
    return d->atomically([this, &sample] {
        return d->pruneHost(sample.hostId, sample.epochMs - d->keptMs) && d->resizeToCap();
    });
}

void CaptureWriter::setRetention(std::int64_t keepMs)
{
    d->retentionMs = std::max<std::int64_t>(0, keepMs);
    // A new choice starts from itself; the cap narrows it again if it must.
    d->keptMs = d->retentionMs;
}

void CaptureWriter::setSizeCap(std::int64_t bytes)
{
    d->sizeCapBytes = std::max<std::int64_t>(0, bytes);
}

std::int64_t CaptureWriter::sizeCap() const
{
    return d->sizeCapBytes;
}

std::int64_t CaptureWriter::keptMs() const
{
    return d->keptMs;
}

std::int64_t CaptureWriter::retentionMs() const
{
    return d->retentionMs;
}

bool CaptureWriter::addFindings(const CaptureFindings &findings)
{
    if (!isOpen())
        return d->fail(tr("No capture file is open."));
    return d->atomically([this, &findings] {
        QSqlQuery &query = *d->insertFindings;
        query.bindValue(0, findings.hostId);
        query.bindValue(1, qint64(findings.epochMs));
        query.bindValue(2, QString::fromUtf8(findings.json));
        return d->execPrepared(query);
    });
}

bool CaptureWriter::commit()
{
    if (!isOpen())
        return d->fail(tr("No capture file is open."));
    if (!d->inTransaction)
        return true;
    if (!d->connection->db().commit())
        return d->failWrite(d->connection->db().lastError().text());
    d->inTransaction = false;
    return true;
}

bool CaptureWriter::saveCopyTo(const QString &target)
{
    const QString shownTarget = QDir::toNativeSeparators(target);
    const auto fail = [this, &shownTarget](const QString &reason) {
        return d->fail(tr("Could not save to %1: %2").arg(shownTarget, reason));
    };
    if (!isOpen())
        return fail(tr("no capture file is open"));
    const QFileInfo targetInfo(target);
    if (targetInfo.absoluteFilePath() == QFileInfo(d->path).absoluteFilePath())
        return fail(tr("it is the file being recorded"));
    // SQLite would apply a stale write-ahead log beside the target to the new file: the
    // target is then another recording's, which must not be replaced under it.
    if (QFileInfo(target + QStringLiteral("-wal")).size() > 0)
        return fail(tr("another twbench is recording into it"));
    if (!commit())
        return fail(d->error);

    QTemporaryFile temporary(targetInfo.absolutePath() + QStringLiteral("/.") +
                             targetInfo.fileName() + QStringLiteral(".XXXXXX.tmp"));
    if (!temporary.open())
        return fail(temporary.errorString());
    const QString temporaryPath = temporary.fileName();
    const auto cleanUp = [&temporaryPath] {
        for (const char *suffix : {"-journal", "-wal", "-shm"})
            QFile::remove(temporaryPath + QLatin1String(suffix));
    };

    {
        // VACUUM INTO takes an expression: the path is a bound value, never SQL text.
        QSqlQuery vacuum(d->connection->db());
        if (!vacuum.prepare(QStringLiteral("VACUUM INTO ?"))) {
            cleanUp();
            return fail(vacuum.lastError().text());
        }
        vacuum.addBindValue(temporaryPath);
        if (!vacuum.exec()) {
            cleanUp();
            return fail(vacuum.lastError().text());
        }
    }
    // The copy carries the source's journal mode; a saved capture is one self-contained file.
    {
        Connection copy(temporaryPath, Connection::Mode::ReadWrite);
        QString sqlError;
        const bool plain =
            copy.open() &&
            queryValue(copy.db(), QStringLiteral("PRAGMA journal_mode = DELETE"), &sqlError)
                .has_value();
        if (!plain) {
            if (sqlError.isEmpty())
                sqlError = copy.lastError();
            copy.close();
            cleanUp();
            return fail(sqlError);
        }
    }
    cleanUp();
    if (::fsync(temporary.handle()) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    // rename(2) replaces the target in one step: a reader sees the old file or the new one.
    if (::rename(QFile::encodeName(temporaryPath).constData(),
                 QFile::encodeName(targetInfo.absoluteFilePath()).constData()) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    temporary.setAutoRemove(false);
    // The rename itself is durable once the folder is synced; failing that is not worth
    // reporting a saved file as lost.
    fsyncPath(targetInfo.absolutePath(), O_RDONLY | O_DIRECTORY);
    return true;
}

std::int64_t CaptureWriter::sizeOnDisk() const
{
    if (d->path.isEmpty())
        return 0;
    return QFileInfo(d->path).size() + QFileInfo(d->path + QStringLiteral("-wal")).size();
}

void CaptureWriter::close()
{
    if (!isOpen())
        return;
    commit();
    // Leave a closed capture as one plain file (no -wal/-shm beside it), so it can be copied,
    // attached or opened from a read-only place. Best effort: while a reader holds the file
    // the switch waits briefly and then leaves it in WAL mode, which is still a valid capture.
    QString ignored;
    exec(d->connection->db(), QStringLiteral("PRAGMA busy_timeout = 200"), &ignored);
    queryValue(d->connection->db(), QStringLiteral("PRAGMA journal_mode = DELETE"), &ignored);
    d->closeConnection();
}

// ------------------------------------------------------------------------------------------
// CaptureReader

struct CaptureReader::Private
{
    QString path;
    // What SQLite reads: `path`, or its migrated copy in `migratedCopy`.
    QString readPath;
    std::unique_ptr<QTemporaryDir> migratedCopy;
    CaptureInfo info;
    QList<CaptureHost> hosts;
    QHash<QString, std::vector<HostSamplePtr>> samples;
    QHash<QString, std::vector<CaptureTableRef>> tables;
    QHash<std::int64_t, CaptureTableRef> tableById;
    QHash<QString, QList<CaptureFindings>> findings;

    // Empty on success, else why the file is damaged (untranslated SQLite text or a codec's).
    QString loadEverything(QSqlDatabase &db);
};

QString CaptureReader::Private::loadEverything(QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const auto run = [&query](const QString &sql) {
        return query.exec(sql);
    };
    const auto sqlFailure = [&query] {
        return query.lastError().text();
    };

    info.schemaVersion = captureSchemaVersion;
    if (!run(QStringLiteral("SELECT key, value FROM meta")))
        return sqlFailure();
    while (query.next()) {
        const QString key = query.value(0).toString();
        if (key == u"written_by")
            info.writtenBy = query.value(1).toString();
        else if (key == u"created_ms")
            info.createdMs = query.value(1).toLongLong();
    }
    if (query.lastError().isValid())
        return sqlFailure();

    if (!run(QStringLiteral("SELECT id, spec FROM hosts ORDER BY position, id")))
        return sqlFailure();
    while (query.next()) {
        std::optional<CaptureHost> host = hostFromSpecJson(query.value(1).toByteArray());
        if (!host || host->id != query.value(0).toString())
            return CaptureReader::tr("the description of host %1 is damaged")
                .arg(query.value(0).toString());
        hosts.append(*host);
    }
    if (query.lastError().isValid())
        return sqlFailure();

    if (!run(QStringLiteral("SELECT id, host_id, sequence, epoch_ms, data FROM samples "
                            "ORDER BY epoch_ms, id")))
        return sqlFailure();
    bool anySample = false;
    while (query.next()) {
        QString decodeError;
        std::shared_ptr<HostSample> sample =
            SampleCodec::decodeSample(query.value(4).toByteArray(), &decodeError);
        if (!sample)
            return CaptureReader::tr("sample %1: %2").arg(query.value(0).toString(), decodeError);
        if (sample->hostId != query.value(1).toString() ||
            qint64(sample->sequence) != query.value(2).toLongLong() ||
            sample->epochMs != query.value(3).toLongLong())
            return CaptureReader::tr("sample %1 does not match its row")
                .arg(query.value(0).toString());
        info.firstMs = anySample ? std::min(info.firstMs, sample->epochMs) : sample->epochMs;
        info.lastMs = anySample ? std::max(info.lastMs, sample->epochMs) : sample->epochMs;
        anySample = true;
        samples[sample->hostId].push_back(std::move(sample));
    }
    if (query.lastError().isValid())
        return sqlFailure();

    // Every table is decoded once here and dropped: a damaged one is found now, not when the
    // operator scrubs to it.
    if (!run(QStringLiteral("SELECT id, host_id, sequence, epoch_ms, socket_count, data "
                            "FROM tables ORDER BY epoch_ms, id")))
        return sqlFailure();
    while (query.next()) {
        CaptureTableRef ref;
        ref.id = query.value(0).toLongLong();
        ref.hostId = query.value(1).toString();
        ref.sequence = std::uint64_t(query.value(2).toLongLong());
        ref.epochMs = query.value(3).toLongLong();
        ref.socketCount = query.value(4).toInt();
        QString decodeError;
        const auto decoded = SampleCodec::decodeTable(query.value(5).toByteArray(), &decodeError);
        if (!decoded)
            return CaptureReader::tr("socket table %1: %2").arg(ref.id).arg(decodeError);
        if (decoded->table->sequence != ref.sequence || decoded->table->epochMs != ref.epochMs ||
            qint64(decoded->table->sockets.size()) != query.value(4).toLongLong())
            return CaptureReader::tr("socket table %1 does not match its row").arg(ref.id);
        tables[ref.hostId].push_back(ref);
        tableById.insert(ref.id, ref);
    }
    if (query.lastError().isValid())
        return sqlFailure();

    if (!run(QStringLiteral("SELECT table_id, data FROM \"groups\"")))
        return sqlFailure();
    while (query.next()) {
        const std::int64_t tableId = query.value(0).toLongLong();
        QString decodeError;
        if (!tableById.contains(tableId))
            return CaptureReader::tr("grouped table %1 has no socket table").arg(tableId);
        if (!GroupCodec::decode(query.value(1).toByteArray(), &decodeError))
            return CaptureReader::tr("grouped table %1: %2").arg(tableId).arg(decodeError);
    }
    if (query.lastError().isValid())
        return sqlFailure();

    if (!run(QStringLiteral("SELECT id, host_id, epoch_ms, data FROM findings "
                            "ORDER BY epoch_ms, id")))
        return sqlFailure();
    while (query.next()) {
        CaptureFindings entry;
        entry.hostId = query.value(1).toString();
        entry.epochMs = query.value(2).toLongLong();
        entry.json = query.value(3).toString().toUtf8();
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(entry.json, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isArray())
            return CaptureReader::tr("findings %1 are damaged").arg(query.value(0).toString());
        findings[entry.hostId].append(std::move(entry));
    }
    if (query.lastError().isValid())
        return sqlFailure();
    return {};
}

CaptureReader::CaptureReader()
    : d(std::make_unique<Private>())
{}

CaptureReader::~CaptureReader() = default;

std::unique_ptr<CaptureReader> CaptureReader::open(const QString &path, QString *error)
{
    const QString shownPath = QDir::toNativeSeparators(path);
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return std::unique_ptr<CaptureReader>();
    };
    const QFileInfo fileInfo(path);
    if (!fileInfo.exists())
        return refuse(tr("Could not open %1: the file does not exist.").arg(shownPath));
    if (!fileInfo.isFile())
        return refuse(tr("Could not open %1: it is not a file.").arg(shownPath));
    switch (checkSqliteHeader(path)) {
    case HeaderCheck::Sqlite:
        break;
    case HeaderCheck::Unreadable:
        return refuse(tr("Could not open %1: it cannot be read.").arg(shownPath));
    case HeaderCheck::NotSqlite:
        return refuse(tr("%1 is not a twbench capture (not an SQLite database).").arg(shownPath));
    case HeaderCheck::CutShort:
        return refuse(tr("%1 is damaged: it is cut short.").arg(shownPath));
    }

    std::unique_ptr<CaptureReader> reader(new CaptureReader);
    reader->d->path = path;
    reader->d->readPath = path;
    const auto damaged = [&](const QString &reason) {
        return refuse(tr("%1 is damaged: %2").arg(shownPath, reason));
    };

    auto connection = std::make_unique<Connection>(path, Connection::Mode::ReadOnly);
    if (!connection->open())
        return refuse(tr("Could not open %1: %2").arg(shownPath, connection->lastError()));
    QString sqlError;
    const auto applicationId =
        queryValue(connection->db(), QStringLiteral("PRAGMA application_id"), &sqlError);
    if (!applicationId)
        return damaged(sqlError);
    if (applicationId->toInt() != captureApplicationId)
        return refuse(tr("%1 is an SQLite database but not a twbench capture.").arg(shownPath));
    const auto version =
        queryValue(connection->db(), QStringLiteral("PRAGMA user_version"), &sqlError);
    if (!version)
        return damaged(sqlError);
    const int schemaVersion = version->toInt();
    if (schemaVersion > captureSchemaVersion)
        return refuse(tr("%1 was written by a newer twbench (schema %2); this one reads up to %3.")
                          .arg(shownPath)
                          .arg(schemaVersion)
                          .arg(captureSchemaVersion));

    if (schemaVersion < captureSchemaVersion) {
        // An older capture is never changed in place (it may be on a read-only medium, or an
        // attachment): a copy is migrated and read instead, and kept while this reader lives.
        connection.reset();
        auto copyDir = std::make_unique<QTemporaryDir>();
        const QString copyPath = copyDir->filePath(QStringLiteral("migrated.twbench"));
        if (!copyDir->isValid() || !QFile::copy(path, copyPath))
            return refuse(tr("Could not open %1: no room for a migrated copy.").arg(shownPath));
        QFile::setPermissions(copyPath, QFile::ReadOwner | QFile::WriteOwner);
        {
            Connection migrating(copyPath, Connection::Mode::ReadWrite);
            if (!migrating.open() || !migrateSchema(migrating.db(), schemaVersion, &sqlError)) {
                return refuse(tr("Could not read %1 (schema %2): %3")
                                  .arg(shownPath)
                                  .arg(schemaVersion)
                                  .arg(sqlError.isEmpty() ? migrating.lastError() : sqlError));
            }
        }
        reader->d->readPath = copyPath;
        reader->d->migratedCopy = std::move(copyDir);
        connection = std::make_unique<Connection>(copyPath, Connection::Mode::ReadOnly);
        if (!connection->open())
            return refuse(tr("Could not open %1: %2").arg(shownPath, connection->lastError()));
    }

    // SQLite reads a cut-off last page as zeros, which quick_check may not notice: without a
    // write-ahead log beside it, the file must hold every page it counts.
    if (QFileInfo(reader->d->readPath + QStringLiteral("-wal")).size() == 0) {
        const auto pageSize =
            queryValue(connection->db(), QStringLiteral("PRAGMA page_size"), &sqlError);
        const auto pageCount =
            queryValue(connection->db(), QStringLiteral("PRAGMA page_count"), &sqlError);
        if (!pageSize || !pageCount)
            return damaged(sqlError);
        const qint64 fileSize = QFileInfo(reader->d->readPath).size();
        if (pageSize->toLongLong() <= 0 || fileSize % pageSize->toLongLong() != 0 ||
            fileSize < pageSize->toLongLong() * pageCount->toLongLong())
            return refuse(tr("%1 is damaged: it is cut short.").arg(shownPath));
    }
    {
        QSqlQuery check(connection->db());
        if (!check.exec(QStringLiteral("PRAGMA quick_check")))
            return damaged(check.lastError().text());
        QStringList problems;
        while (check.next())
            problems.append(check.value(0).toString());
        if (check.lastError().isValid())
            return damaged(check.lastError().text());
        if (problems != QStringList{QStringLiteral("ok")})
            return damaged(problems.isEmpty() ? tr("the integrity check gave no answer")
                                              : problems.first());
    }
    const QString loadError = reader->d->loadEverything(connection->db());
    if (!loadError.isEmpty())
        return damaged(loadError);
    return reader;
}

QString CaptureReader::path() const
{
    return d->path;
}

CaptureInfo CaptureReader::info() const
{
    return d->info;
}

QList<CaptureHost> CaptureReader::hosts() const
{
    return d->hosts;
}

const std::vector<HostSamplePtr> &CaptureReader::samples(const QString &hostId) const
{
    static const std::vector<HostSamplePtr> none;
    const auto it = d->samples.constFind(hostId);
    return it == d->samples.constEnd() ? none : *it;
}

const std::vector<CaptureTableRef> &CaptureReader::tables(const QString &hostId) const
{
    static const std::vector<CaptureTableRef> none;
    const auto it = d->tables.constFind(hostId);
    return it == d->tables.constEnd() ? none : *it;
}

std::optional<CaptureTableRef> CaptureReader::tableAt(const QString &hostId,
                                                      std::int64_t epochMs) const
{
    const std::vector<CaptureTableRef> &refs = tables(hostId);
    const auto after = std::upper_bound(
        refs.begin(), refs.end(), epochMs,
        [](std::int64_t ms, const CaptureTableRef &ref) { return ms < ref.epochMs; });
    if (after == refs.begin())
        return std::nullopt;
    return *std::prev(after);
}

std::optional<CaptureTable> CaptureReader::readTable(std::int64_t id, QString *error) const
{
    const QString shownPath = QDir::toNativeSeparators(d->path);
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return std::optional<CaptureTable>();
    };
    const auto ref = d->tableById.constFind(id);
    if (ref == d->tableById.constEnd())
        return refuse(tr("%1 has no socket table %2.").arg(shownPath).arg(id));
    if (!QFileInfo::exists(d->readPath))
        return refuse(tr("Could not read %1: the file is gone.").arg(shownPath));
    const auto changed = [&] {
        return refuse(tr("Could not read %1: it changed since it was opened.").arg(shownPath));
    };

    QByteArray blob;
    {
        Connection connection(d->readPath, Connection::Mode::ReadOnly);
        if (!connection.open())
            return refuse(tr("Could not read %1: %2").arg(shownPath, connection.lastError()));
        QSqlQuery query(connection.db());
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT host_id, sequence, epoch_ms, socket_count, data "
                                     "FROM tables WHERE id = ?"));
        query.addBindValue(qint64(id));
        if (!query.exec())
            return refuse(tr("Could not read %1: %2").arg(shownPath, query.lastError().text()));
        if (!query.next())
            return changed();
        if (query.value(0).toString() != ref->hostId ||
            std::uint64_t(query.value(1).toLongLong()) != ref->sequence ||
            query.value(2).toLongLong() != ref->epochMs ||
            query.value(3).toInt() != ref->socketCount)
            return changed();
        blob = query.value(4).toByteArray();
    }
    QString decodeError;
    std::optional<SampleCodec::DecodedTable> decoded = SampleCodec::decodeTable(blob, &decodeError);
    if (!decoded)
        return refuse(tr("%1 is damaged: %2").arg(shownPath, decodeError));
    return CaptureTable{std::move(decoded->table), std::move(decoded->namespaces)};
}

QList<CaptureFindings> CaptureReader::findings(const QString &hostId) const
{
    return d->findings.value(hostId);
}

} // namespace twbench
