#pragma once

#include "model/attribution.h"
#include "model/hostsample.h"
#include "model/snapshot.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <memory>
#include <optional>

namespace twbench {

// The bytes a capture stores for a sample and for a socket table, and back. Versioned (the
// first byte) so a later schema can still read these.
//
// Decoding is for untrusted bytes (a damaged or hostile file): every length is checked against
// what is left before anything is allocated, nothing is read past the end, sizes are capped
// (decompressed tables at maxDecodedTableBytes), and any inconsistency gives nullopt/nullptr
// with a translated *error — never a partial result.
struct SampleCodec
{
    Q_DECLARE_TR_FUNCTIONS(twbench::SampleCodec)

public:
    // A 100,000-socket table decodes from under 2 MB; a decoded socket is about 13 times its
    // smallest encoding, so the cap also bounds what a hostile table can make us reserve.
    static constexpr qsizetype maxDecodedTableBytes = 64 * 1024 * 1024;

    // Everything of the sample except `table` and `namespaces` (those go with the table).
    static QByteArray encodeSample(const HostSample &sample);
    static std::shared_ptr<HostSample> decodeSample(QByteArrayView bytes, QString *error);

    // The table (sockets, process names, parse report, source) and its namespace map,
    // dictionary-coded by column and compressed: a 2,000-socket table is a few kB.
    static QByteArray encodeTable(const Snapshot &table, const NamespaceMap *namespaces);
    struct DecodedTable
    {
        std::shared_ptr<Snapshot> table;          // finalize()d
        std::shared_ptr<NamespaceMap> namespaces; // null when none was stored
    };
    static std::optional<DecodedTable> decodeTable(QByteArrayView bytes, QString *error);
};

} // namespace twbench
