#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace twbench {

// The diff machinery of the table models that show a new snapshot as changes to what is shown
// (libksysguard's handleChangedProcesses), so a view keeps its selection, current index and
// scroll position across updates:
//  - changed rows are announced in a few merged dataChanged ranges (one for the whole table
//    above MaxChangedRanges, qBittorrent's fallback),
//  - gone rows are removed range by range from the bottom up, or under one layout change when
//    that would move more than MaxRemovalRowMoves rows in total or take more than
//    MaxRemovalRanges ranges (thousands of scattered removals at 100k rows would be quadratic
//    here and in every proxy above: each removal signal costs a proxy and a view work in
//    proportion to all their rows, wherever the range is),
//  - new rows are appended in one batch.
// A derived model decides what changed and which roles that touches; Row must have a `key()`
// returning Key. No signals or slots of its own, so no Q_OBJECT: moc sees the derived class.
template<typename Row, typename Key>
class RowDiffModel : public QAbstractTableModel
{
public:
    // The row that shows `key`; -1 when none does.
    int rowOf(const Key &key) const
    {
        const auto it = m_index.constFind(key);
        return it == m_index.constEnd() || *it < 0 ? -1 : *it;
    }

    static constexpr int MaxChangedRanges = 64;
    static constexpr qsizetype MaxRemovalRowMoves = 2'000'000;
    static constexpr std::size_t MaxRemovalRanges = 32;
    // Changed rows at most this many unchanged rows apart share one dataChanged range: a few
    // needless repaints cost less than many signals.
    static constexpr int MergeGap = 4;
    // Above this many rows gone and new in one update, replaceRows() applies it under one
    // layout change instead of removal and insertion signals (see there).
    static constexpr std::size_t MaxSignalledRows = 500;

protected:
    using QAbstractTableModel::QAbstractTableModel;

    // Whether dropRows() and appendRows() keep m_index up to date, or leave it to the caller,
    // who replaces it as a whole afterwards (an index made off the GUI thread).
    enum class IndexUpkeep : std::uint8_t { Maintained, Replaced };

    struct ChangedRow
    {
        int row;
        unsigned roleBits; // the derived model's own encoding, turned into roles by rolesOf

        friend bool operator<(const ChangedRow &a, const ChangedRow &b) { return a.row < b.row; }
    };

    // Emits dataChanged for `changed` (rows on the current numbering, any order) over every
    // column, with the roles rolesOf(bits) gives for the union of bits in each range.
    template<typename RolesOf>
    void announceChanged(std::vector<ChangedRow> changed, RolesOf rolesOf)
    {
        if (changed.empty())
            return;
        std::sort(changed.begin(), changed.end());
        struct Range
        {
            int first, last;
            unsigned bits;
        };
        std::vector<Range> ranges;
        unsigned allBits = 0;
        for (const ChangedRow &change : changed) {
            allBits |= change.roleBits;
            if (!ranges.empty() && change.row - ranges.back().last <= MergeGap + 1) {
                ranges.back().last = change.row;
                ranges.back().bits |= change.roleBits;
            } else {
                ranges.push_back({change.row, change.row, change.roleBits});
            }
        }
        const int lastColumn = columnCount() - 1;
        if (ranges.size() > size_t(MaxChangedRanges)) {
            emit this->dataChanged(index(0, 0), index(int(m_rows.size()) - 1, lastColumn),
                                   rolesOf(allBits));
            return;
        }
        for (const Range &range : ranges) {
            emit this->dataChanged(index(range.first, 0), index(range.last, lastColumn),
                                   rolesOf(range.bits));
        }
    }

    // Removes the rows whose keep[row] is 0 and their keys; keep covers every current row.
    void dropRows(const std::vector<char> &keep, IndexUpkeep upkeep = IndexUpkeep::Maintained)
    {
        const bool maintain = upkeep == IndexUpkeep::Maintained;
        struct Range
        {
            size_t first, last; // inclusive
        };
        std::vector<Range> ranges;
        for (size_t row = 0; row < keep.size(); ++row) {
            if (keep[row])
                continue;
            if (maintain)
                m_index.remove(m_rows[row].key());
            if (!ranges.empty() && ranges.back().last + 1 == row)
                ranges.back().last = row;
            else
                ranges.push_back({row, row});
        }
        if (ranges.empty())
            return;

        // Rows moved by erasing range after range from the bottom up: each range moves the rows
        // that were below it and have not been removed.
        qsizetype moves = 0;
        size_t removedBelow = 0;
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            moves += qsizetype(keep.size() - it->last - 1 - removedBelow);
            removedBelow += it->last - it->first + 1;
        }

        if (moves <= MaxRemovalRowMoves && ranges.size() <= MaxRemovalRanges) {
            for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
                this->beginRemoveRows({}, int(it->first), int(it->last));
                m_rows.erase(m_rows.begin() + std::ptrdiff_t(it->first),
                             m_rows.begin() + std::ptrdiff_t(it->last) + 1);
                this->endRemoveRows();
            }
        } else {
            compactAndAppend(keep, {});
        }
        if (maintain)
            reindexAfterDrop(keep, ranges.front().first);
    }

    // Drops the rows whose keep[row] is 0 and appends `added`, all under one layout change that
    // carries persistent indexes (the selection, the current index) to their rows' new places;
    // those of dropped rows become invalid. For changes too big to signal row by row: a sorting
    // proxy turns one source range into a range for every place its rows land in its order,
    // and each range signal costs it and its view work in proportion to all their rows (5,000
    // scattered rows of 100k took half a second), where one layout change is one re-filter and
    // re-sort. keep covers every current row.
    void replaceRows(const std::vector<char> &keep, std::vector<Row> &&added,
                     IndexUpkeep upkeep = IndexUpkeep::Maintained)
    {
        const bool maintain = upkeep == IndexUpkeep::Maintained;
        std::size_t firstDropped = keep.size();
        for (std::size_t row = 0; row < keep.size(); ++row) {
            if (keep[row])
                continue;
            firstDropped = std::min(firstDropped, row);
            if (maintain)
                m_index.remove(m_rows[row].key());
        }
        if (firstDropped == keep.size() && added.empty())
            return;
        const std::size_t firstAdded = m_rows.size() - std::count(keep.begin(), keep.end(), 0);
        compactAndAppend(keep, std::move(added));
        if (maintain) {
            reindexAfterDrop(keep, firstDropped);
            reindexFrom(firstAdded);
        }
    }

    // Appends `rows` in one insertion and indexes their keys.
    void appendRows(std::vector<Row> &&rows, IndexUpkeep upkeep = IndexUpkeep::Maintained)
    {
        if (rows.empty())
            return;
        const int first = int(m_rows.size());
        this->beginInsertRows({}, first, first + int(rows.size()) - 1);
        m_rows.reserve(m_rows.size() + rows.size());
        for (Row &row : rows) {
            if (upkeep == IndexUpkeep::Maintained)
                m_index.insert(row.key(), int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
        this->endInsertRows();
    }

    // replaceRows() without the index: the rows kept close up in their order, `added` follow.
    void compactAndAppend(const std::vector<char> &keep, std::vector<Row> &&added)
    {
        emit this->layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
        std::vector<int> newRow(keep.size(), -1);
        size_t out = 0;
        for (size_t row = 0; row < keep.size(); ++row) {
            if (!keep[row])
                continue;
            newRow[row] = int(out);
            if (out != row)
                m_rows[out] = std::move(m_rows[row]);
            ++out;
        }
        m_rows.resize(out);
        m_rows.reserve(out + added.size());
        for (Row &row : added)
            m_rows.push_back(std::move(row));
        const QModelIndexList from = this->persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &old : from) {
            const int row = newRow[size_t(old.row())];
            to.append(row < 0 ? QModelIndex() : this->createIndex(row, old.column()));
        }
        this->changePersistentIndexList(from, to);
        emit this->layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    }

    // The index after the rows whose keep[row] is 0 were dropped (their keys removed already)
    // and the others closed up, from `first`, the first row dropped, on.
    void reindexAfterDrop(const std::vector<char> &keep, size_t first)
    {
        // Few rows moved: look those up. Many: walk the index once and renumber every entry,
        // which hashes no key (at 100k rows, looking every key up again cost 10 ms and more).
        if (m_rows.size() - std::min(first, m_rows.size()) < m_rows.size() / 4) {
            reindexFrom(first);
            return;
        }
        std::vector<int> newRow(keep.size(), -1);
        int out = 0;
        for (size_t row = 0; row < keep.size(); ++row) {
            if (keep[row])
                newRow[row] = out++;
        }
        remapIndex(newRow);
    }

    // Renumbers every index entry from its old row to newRow[old row]. Negative entries (rows
    // an update has yet to assign) stay.
    void remapIndex(const std::vector<int> &newRow)
    {
        for (auto it = m_index.begin(); it != m_index.end(); ++it) {
            if (*it >= 0)
                *it = newRow[size_t(*it)];
        }
    }

    void reindexFrom(size_t first)
    {
        for (size_t row = first; row < m_rows.size(); ++row)
            m_index.insert(m_rows[row].key(), int(row));
    }

    // Puts the rows in the order of their `order` member (the position the update gave them),
    // under one layout change that carries persistent indexes (the selection) along; nothing
    // when they are in order already. Only models whose Row has `order` call it.
    void sortToOrder()
    {
        const auto byOrder = [](const Row &a, const Row &b) {
            return a.order < b.order;
        };
        if (std::is_sorted(m_rows.begin(), m_rows.end(), byOrder))
            return;

        emit this->layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        // oldRows[newRow] = oldRow. The orders are usually 0 … n-1 (each row's position in the
        // update), which places every row in one pass; a sort of 100k rows by a member of
        // each, scattered over the table, cost tens of milliseconds.
        std::vector<int> oldRows(m_rows.size(), -1);
        bool placed = true;
        for (size_t row = 0; row < m_rows.size() && placed; ++row) {
            const auto order = m_rows[row].order;
            placed = order >= 0 && size_t(order) < m_rows.size() && oldRows[size_t(order)] < 0;
            if (placed)
                oldRows[size_t(order)] = int(row);
        }
        if (!placed) {
            std::iota(oldRows.begin(), oldRows.end(), 0);
            std::sort(oldRows.begin(), oldRows.end(), [this](int a, int b) {
                return m_rows[size_t(a)].order < m_rows[size_t(b)].order;
            });
        }
        std::vector<int> newRowOf(m_rows.size());
        std::vector<Row> reordered;
        reordered.reserve(m_rows.size());
        for (size_t newRow = 0; newRow < oldRows.size(); ++newRow) {
            newRowOf[size_t(oldRows[newRow])] = int(newRow);
            reordered.push_back(std::move(m_rows[size_t(oldRows[newRow])]));
        }
        m_rows = std::move(reordered);

        const QModelIndexList from = this->persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &index : from)
            to.append(this->createIndex(newRowOf[size_t(index.row())], index.column()));
        this->changePersistentIndexList(from, to);
        remapIndex(newRowOf);
        emit this->layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }

    // Empties the model with a reset.
    void resetRows()
    {
        this->beginResetModel();
        m_rows.clear();
        m_index.clear();
        this->endResetModel();
    }

    std::vector<Row> m_rows;
    QHash<Key, int> m_index; // row of each shown key; negative while an update assigns rows
};

} // namespace twbench
