#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace twbench::test {

// How responsive this thread's event loop is: the largest gap between two ticks of a 10 ms
// timer on it (the thread the Fleet's signals land on: the GUI thread in the application),
// counted while armed. The test's own blocking work here (scanning /proc to signal sshd) is not
// the product's: run it through excluding().
class TimerGapProbe
{
public:
    static constexpr int intervalMs = 10;

    explicit TimerGapProbe(bool armed = true)
        : m_armed(armed)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(intervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.elapsed();
            if (m_armed)
                m_max = std::max(m_max, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    void arm(bool armed)
    {
        m_armed = armed;
        m_last = m_clock.elapsed();
    }
    qint64 maxGapMs() const { return m_max; }
    // How much later than its interval the timer fired, at worst.
    qint64 maxLatenessMs() const { return std::max<qint64>(0, m_max - intervalMs); }
    template<typename Work>
    void excluding(Work work)
    {
        m_timer.stop();
        work();
        m_last = m_clock.elapsed();
        m_timer.start();
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_max = 0;
    bool m_armed = true;
};

} // namespace twbench::test
