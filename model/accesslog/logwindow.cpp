#include "logwindow.h"

#include <QHashFunctions>

namespace twbench {

size_t qHash(const RequestKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.client, key.method, key.path, key.status);
}

} // namespace twbench
