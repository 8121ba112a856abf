#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace twbench::test {

// Sets an environment variable for the scope, and restores it (or unsets it) at the end:
// the probes, follows and tools the scope starts inherit it.
class ScopedEnv final
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_old(qgetenv(name))
        , m_had(qEnvironmentVariableIsSet(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char *m_name;
    QByteArray m_old;
    bool m_had;
};

} // namespace twbench::test
