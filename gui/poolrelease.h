#pragma once

#include <QThreadPool>

#include <memory>
#include <utility>

namespace twbench {

// Drops a reference on the thread pool instead of here. Results made on the pool for a 100k
// table (an attribution, a topology with every socket's key, the table's prepared rows) take
// milliseconds to free: when the GUI thread replaces one by the next, the old one is handed
// over, so that if this was its last reference it is freed on a pool thread. Whoever drops the
// last reference frees; this only makes sure that is not the GUI thread.
template<typename T>
void releaseOnPool(std::shared_ptr<T> &&pointer)
{
    if (!pointer)
        return;
    QThreadPool::globalInstance()->start(
        [dropped = std::move(pointer)]() mutable { dropped.reset(); });
}

} // namespace twbench
