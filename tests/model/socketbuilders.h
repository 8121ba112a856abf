#pragma once

// Small builders for hand-made snapshots in the model tests.

#include "model/endpoint.h"
#include "model/socket.h"

#include <gtest/gtest.h>

namespace twbench::test {

inline IpAddress ip(const char *text)
{
    const auto parsed = IpAddress::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(IpAddress());
}

inline Endpoint ep(const char *address, std::uint16_t port)
{
    return {ip(address), port};
}

inline Socket sock(Endpoint local, Endpoint remote, TcpState state, std::uint64_t netns)
{
    Socket socket;
    socket.local = local;
    socket.remote = remote;
    socket.state = state;
    socket.netns = netns;
    return socket;
}

} // namespace twbench::test
