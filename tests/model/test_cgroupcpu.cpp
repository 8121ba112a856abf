// The probe's cgroup_cpu section and the per-container CPU % between two samples.
#include "model/cgroupcpu.h"

#include <QRandomGenerator>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

// 64-hex ids as `docker ps -q --no-trunc` prints them.
const QByteArray web = "0f1ba2ec2410a25bdaf30acf002fa4245f0a15c2f3b0a307bd080752ca748dde";
const QByteArray db = "b5a27d317bf4d36c19b63932bc55aec44b0fee8f27c7d5fa871615c42972060c";
const QByteArray cache = "02df9544837a9777c1013ec6ad7e494aa4403530cdb03e3442efd297048d20fd";

ContainerCpuTime measured(const QByteArray &id, std::uint64_t usec,
                          const char *source = "v2-systemd")
{
    ContainerCpuTime entry;
    entry.containerId = QString::fromLatin1(id);
    entry.usageUsec = usec;
    entry.source = QString::fromLatin1(source);
    return entry;
}

ContainerCpuTime missed(const QByteArray &id, CgroupMiss miss)
{
    ContainerCpuTime entry;
    entry.containerId = QString::fromLatin1(id);
    entry.miss = miss;
    return entry;
}

QString key(const QByteArray &id)
{
    return QString::fromLatin1(id);
}

} // namespace

TEST(CgroupCpuParser, ReadsMeasuredAndMissingContainers)
{
    const QByteArray text = web + " 123456789 v2-pid\n" + db + " 42 v1-cgroupfs\n" + cache +
                            " - none\n" + "abc123 - root\n" + "abc124 - gone\n" +
                            "abc125 - unreadable\n" + "abc126 - cgroup-frozen\n" + "\n";
    const Parsed<QList<ContainerCpuTime>> parsed = parseCgroupCpu(text);
    EXPECT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    EXPECT_EQ(parsed.report.linesRead, 7);
    EXPECT_EQ(parsed.report.linesUsed, 7);
    ASSERT_EQ(parsed.value.size(), 7);

    const ContainerCpuTime &v2 = parsed.value[0];
    EXPECT_EQ(v2.containerId, key(web));
    ASSERT_TRUE(v2.usageUsec);
    EXPECT_EQ(*v2.usageUsec, 123456789u);
    EXPECT_EQ(v2.source, QStringLiteral("v2-pid"));
    EXPECT_EQ(v2.miss, CgroupMiss::None);
    EXPECT_EQ(v2.cgroupVersion(), 2);

    // v1's cpuacct.usage counts nanoseconds; the probe cuts it to µs, so the section's unit is
    // always µs and the source only says where it came from.
    const ContainerCpuTime &v1 = parsed.value[1];
    ASSERT_TRUE(v1.usageUsec);
    EXPECT_EQ(*v1.usageUsec, 42u);
    EXPECT_EQ(v1.cgroupVersion(), 1);

    const CgroupMiss expected[] = {CgroupMiss::NotFound, CgroupMiss::RootCgroup, CgroupMiss::Gone,
                                   CgroupMiss::Unreadable, CgroupMiss::Other};
    for (int i = 0; i < 5; ++i) {
        const ContainerCpuTime &entry = parsed.value[i + 2];
        EXPECT_EQ(entry.miss, expected[i]) << i;
        EXPECT_FALSE(entry.usageUsec) << i;
        EXPECT_TRUE(entry.source.isEmpty()) << i;
        EXPECT_EQ(entry.cgroupVersion(), 0) << i;
        EXPECT_FALSE(cgroupMissText(entry.miss).isEmpty()) << i;
    }
    EXPECT_TRUE(cgroupMissText(CgroupMiss::None).isEmpty());
}

TEST(CgroupCpuParser, RejectsMalformedLinesAndKeepsTheRest)
{
    const QByteArray text = web + " 100 v2-pid\n" +                // good
                            "not-hex 100 v2-pid\n" +               // id
                            db + " -5 v2-pid\n" +                  // negative
                            db + " 12x v2-pid\n" +                 // not a number
                            db + " 99999999999999999999999 v2\n" + // overflows 64 bits
                            db + " 100\n" +                        // no source
                            db + " 100 v2-pid extra\n" +           // extra word
                            db + " 100 V2;rm\n" +                  // not a word
                            db + " -\n" +                          // no reason
                            QByteArray(200, 'a') + " 1 v2-pid\n" + // id too long
                            web + " 200 v2-pid\r\n" +              // repeat: first kept
                            cache + " 7 v1-pid\r\n";               // CRLF: fine
    const Parsed<QList<ContainerCpuTime>> parsed = parseCgroupCpu(text);
    EXPECT_FALSE(parsed.report.ok());
    EXPECT_EQ(parsed.report.linesRejected, 9) << parsed.report.summary().toStdString();
    EXPECT_EQ(parsed.report.duplicates, 1);
    ASSERT_EQ(parsed.value.size(), 2);
    EXPECT_EQ(parsed.value[0].containerId, key(web));
    EXPECT_EQ(*parsed.value[0].usageUsec, 100u);
    EXPECT_EQ(parsed.value[1].containerId, key(cache));
    EXPECT_EQ(*parsed.value[1].usageUsec, 7u);
    EXPECT_FALSE(parsed.report.summary().isEmpty());
}

TEST(CgroupCpuParser, SurvivesGarbage)
{
    QRandomGenerator random(20240611);
    for (int round = 0; round < 200; ++round) {
        QByteArray text(int(random.bounded(2000)), Qt::Uninitialized);
        for (char &c : text) {
            // Mostly the section's own alphabet, so some lines get far into the parser.
            const char alphabet[] = "0123456789abcdef -\nv2-pid\t\r\x00\xff";
            c = alphabet[random.bounded(int(sizeof alphabet) - 1)];
        }
        const Parsed<QList<ContainerCpuTime>> parsed = parseCgroupCpu(text);
        EXPECT_EQ(parsed.report.linesUsed, parsed.value.size() + 0);
        EXPECT_EQ(parsed.report.linesRead,
                  parsed.report.linesUsed + parsed.report.linesRejected + parsed.report.duplicates);
    }
    EXPECT_TRUE(parseCgroupCpu("").value.isEmpty());
}

TEST(ContainerCpuPercent, OneCoreIsHundredPercent)
{
    const QList<ContainerCpuTime> before{measured(web, 1'000'000), measured(db, 5'000'000),
                                         measured(cache, 70)};
    const QList<ContainerCpuTime> after{measured(web, 1'500'000), measured(db, 9'000'000),
                                        measured(cache, 70)};
    const QHash<QString, double> percent = containerCpuPercent(before, 10'000, after, 12'000);
    ASSERT_EQ(percent.size(), 3);
    EXPECT_DOUBLE_EQ(percent.value(key(web)), 25.0);  // 0.5 s of CPU in 2 s
    EXPECT_DOUBLE_EQ(percent.value(key(db)), 200.0);  // two cores busy
    EXPECT_DOUBLE_EQ(percent.value(key(cache)), 0.0); // idle: a value, 0
}

TEST(ContainerCpuPercent, CounterGoingBackwardsGivesNoValue)
{
    // Restarted: docker keeps the id, the new cgroup counts from zero.
    const QList<ContainerCpuTime> before{measured(web, 90'000'000), measured(db, 1'000)};
    const QList<ContainerCpuTime> after{measured(web, 300'000), measured(db, 501'000)};
    const QHash<QString, double> percent = containerCpuPercent(before, 0, after, 1000);
    EXPECT_FALSE(percent.contains(key(web)));
    EXPECT_DOUBLE_EQ(percent.value(key(db), -1), 50.0);
    for (const double value : percent)
        EXPECT_GE(value, 0.0);
}

TEST(ContainerCpuPercent, ContainersInOnlyOneReadingOrMissedGiveNoValue)
{
    const QList<ContainerCpuTime> before{measured(web, 1'000), missed(db, CgroupMiss::NotFound),
                                         measured(cache, 1'000)};
    // web stopped; db found now but not before; a new container appeared; cache went away.
    const QList<ContainerCpuTime> after{measured(db, 2'000), measured("abc123", 5'000),
                                        missed(cache, CgroupMiss::Gone)};
    EXPECT_TRUE(containerCpuPercent(before, 0, after, 1000).isEmpty());
    EXPECT_TRUE(containerCpuPercent({}, 0, after, 1000).isEmpty());
    EXPECT_TRUE(containerCpuPercent(before, 0, {}, 1000).isEmpty());
}

TEST(ContainerCpuPercent, V1SourcesCountInMicrosecondsToo)
{
    // cpuacct.usage 2,000,000,000 ns -> 3,000,000,000 ns: the probe prints 2000000 and 3000000.
    const Parsed<QList<ContainerCpuTime>> before =
        parseCgroupCpu(QByteArray(web + " 2000000 v1-pid\n"));
    const Parsed<QList<ContainerCpuTime>> after =
        parseCgroupCpu(QByteArray(web + " 3000000 v1-pid\n"));
    ASSERT_TRUE(before.report.ok() && after.report.ok());
    const QHash<QString, double> percent =
        containerCpuPercent(before.value, 1'000, after.value, 3'000);
    EXPECT_DOUBLE_EQ(percent.value(key(web), -1), 50.0); // 1 s of CPU in 2 s
}

TEST(ContainerCpuPercent, BadIntervalsGiveNothing)
{
    const QList<ContainerCpuTime> before{measured(web, 1'000)};
    const QList<ContainerCpuTime> after{measured(web, 2'000)};
    EXPECT_TRUE(containerCpuPercent(before, 5'000, after, 5'000).isEmpty());  // same instant
    EXPECT_TRUE(containerCpuPercent(before, 5'000, after, 4'000).isEmpty());  // clock stepped back
    EXPECT_TRUE(containerCpuPercent(before, 5'000, after, 5'020).isEmpty());  // too short to trust
    EXPECT_FALSE(containerCpuPercent(before, 5'000, after, 5'100).isEmpty()); // 100 ms is enough
}

TEST(ContainerCpuPercent, NeverHuge)
{
    const QList<ContainerCpuTime> before{measured(web, 0), measured(db, 0), measured(cache, 0)};
    // 1 s: web used a little over its 2 CPUs (timestamp jitter), db far more than the host has.
    const QList<ContainerCpuTime> after{measured(web, 2'100'000), measured(db, 9'000'000),
                                        measured(cache, 1'000'000)};
    const QHash<QString, double> twoCpus = containerCpuPercent(before, 0, after, 1000, 2);
    EXPECT_DOUBLE_EQ(twoCpus.value(key(web), -1), 200.0); // clamped to the machine
    EXPECT_FALSE(twoCpus.contains(key(db)));              // a bad reading, not a figure
    EXPECT_DOUBLE_EQ(twoCpus.value(key(cache), -1), 100.0);

    // Without the CPU count only the absurd is dropped.
    const QHash<QString, double> unknown = containerCpuPercent(before, 0, after, 1000);
    EXPECT_DOUBLE_EQ(unknown.value(key(db), -1), 900.0);
    const QList<ContainerCpuTime> absurd{measured(web, std::uint64_t(1) << 62)};
    EXPECT_TRUE(containerCpuPercent(before, 0, absurd, 1000).isEmpty());
}
