#include "model/endpoint.h"
#include "model/tcpstate.h"

#include <gtest/gtest.h>

using namespace twbench;

TEST(IpAddress, MappedIpv4EqualsPlainIpv4)
{
    const auto plain = IpAddress::parse("10.25.20.251");
    const auto mapped = IpAddress::parse("::ffff:10.25.20.251");
    ASSERT_TRUE(plain && mapped);
    EXPECT_EQ(*plain, *mapped);
    EXPECT_TRUE(mapped->isV4());
    EXPECT_EQ(mapped->toString(), QStringLiteral("10.25.20.251"));
}

TEST(IpAddress, Ipv6PrintsCompressedAndDropsScope)
{
    const auto address = IpAddress::parse("fe80:0:0:0:0:0:0:1%eth0");
    ASSERT_TRUE(address);
    EXPECT_FALSE(address->isV4());
    EXPECT_EQ(address->toString(), QStringLiteral("fe80::1"));
}

TEST(IpAddress, RejectsGarbage)
{
    EXPECT_FALSE(IpAddress::parse("10.0.0.256"));
    EXPECT_FALSE(IpAddress::parse(""));
    EXPECT_FALSE(IpAddress::parse("hello"));
    EXPECT_FALSE(IpAddress::parse("1:2:3:4:5:6:7:8:9"));
}

TEST(IpAddress, SortsNumericallyNotTextually)
{
    const auto low = *IpAddress::parse("10.0.0.9");
    const auto high = *IpAddress::parse("10.0.0.10");
    EXPECT_LT(low, high);
    // IPv4 (mapped ::ffff:0:0/96) sorts before global IPv6 such as 2001:db8::1.
    EXPECT_LT(high, *IpAddress::parse("2001:db8::1"));
}

TEST(Endpoint, FormatsBothFamiliesAndWildcardPort)
{
    EXPECT_EQ((Endpoint{*IpAddress::parse("192.168.42.32"), 443}.toString()),
              QStringLiteral("192.168.42.32:443"));
    EXPECT_EQ((Endpoint{*IpAddress::parse("::1"), 8080}.toString()), QStringLiteral("[::1]:8080"));
    EXPECT_EQ((Endpoint{*IpAddress::parse("0.0.0.0"), 0}.toString()), QStringLiteral("0.0.0.0:*"));
}

TEST(TcpState, ReadsEverySpelling)
{
    EXPECT_EQ(tcpStateFromName("TIME_WAIT"), TcpState::TimeWait);
    EXPECT_EQ(tcpStateFromName("TIME-WAIT"), TcpState::TimeWait);
    EXPECT_EQ(tcpStateFromName("ESTAB"), TcpState::Established);
    EXPECT_EQ(tcpStateFromName("FIN-WAIT-2"), TcpState::FinWait2);
    EXPECT_EQ(tcpStateFromName("UNCONN"), TcpState::Close);
    EXPECT_FALSE(tcpStateFromName("TIME WAIT").has_value());
    EXPECT_EQ(tcpStateFromProcCode(0x0C), TcpState::NewSynRecv);
    EXPECT_EQ(tcpStateFromProcCode(0x06), TcpState::TimeWait);
    EXPECT_FALSE(tcpStateFromProcCode(0).has_value());
    EXPECT_FALSE(tcpStateFromProcCode(13).has_value());
    EXPECT_EQ(tcpStateName(TcpState::CloseWait), QStringLiteral("CLOSE_WAIT"));
}
