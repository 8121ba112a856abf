#pragma once

#include <QHash>
#include <QList>

namespace twbench::test {

// Every process by its parent's pid, read from /proc/<pid>/stat ("pid (comm) state ppid …";
// comm may hold spaces and parentheses, so the fields are read after the last ')').
QHash<int, QList<int>> childrenByParent();

} // namespace twbench::test
