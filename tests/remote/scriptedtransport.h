#pragma once

#include "remote/transport.h"

#include <QList>

#include <atomic>
#include <functional>
#include <utility>

namespace twbench::test {

// A transport the test drives: start() runs `onStart`, which pushes wire text and endings; it
// records what the worker asked of it (aborts, host-key answers).
class ScriptedTransport final : public Transport
{
public:
    std::function<void(ScriptedTransport &)> onStart;
    int starts = 0;
    bool running = false;
    std::atomic<int> aborts{0};
    QList<std::pair<std::uint64_t, HostKeyDecision>> answers;

    void start() override
    {
        ++starts;
        running = true;
        if (onStart)
            onStart(*this);
    }
    void stop() override { running = false; }
    bool isRunning() const override { return running; }
    void abort() override { ++aborts; }
    void answerHostKey(std::uint64_t questionId, HostKeyDecision decision) override
    {
        answers.append({questionId, decision});
    }

    void send(const QByteArray &data) { Q_EMIT bytesReceived(data); }
    void die(const QString &reason)
    {
        running = false;
        Q_EMIT failed(reason);
    }
};

} // namespace twbench::test
