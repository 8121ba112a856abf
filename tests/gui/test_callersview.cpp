// The callers tab: the access logs' top callers of the current host, highest rate first, and
// the banner that names a caller whose rate stays constant like a program's loop.

#include "gui/callersview.h"
#include "gui/workbench.h"
#include "model/accesslog/topcallersmodel.h"
#include "remote/hostspec.h"

#include <QDir>
#include <QLabel>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

HostSpec quietHost(const QString &id)
{
    HostSpec spec;
    spec.id = id;
    spec.displayName = id;
    spec.kind = HostSpec::Kind::Replay; // never connects: it gets only what the test feeds
    return spec;
}

RequestCount count(const QString &client, const QString &path, std::int64_t n)
{
    return {{client, QStringLiteral("GET"), path, 200}, n};
}

class CallersViewTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_workbench = std::make_unique<Workbench>();
        m_workbench->addHost(quietHost(QStringLiteral("web")));
        m_workbench->setCurrentHost(QStringLiteral("web"));
        m_view = std::make_unique<CallersView>(m_workbench.get());
        m_view->resize(1000, 500);
        m_view->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_view.get()));
    }

    // `seconds` one-second samples: a program asking for a token 12 times a second (±1), and
    // people opening orders in bursts with pauses.
    void feed(int seconds)
    {
        QRandomGenerator random(7);
        const std::int64_t start = 1'800'000'000'000;
        int burstLeft = 0;
        for (int i = 1; i <= seconds; ++i) {
            auto sample = std::make_shared<HostSample>();
            sample->hostId = QStringLiteral("web");
            sample->sequence = std::uint64_t(i);
            sample->epochMs = start + 1000LL * i;
            LogWindow window;
            window.sourceId = QStringLiteral("/var/log/nginx/access.log");
            window.fromMs = sample->epochMs - 1000;
            window.toMs = sample->epochMs;
            const std::int64_t loop = 11 + random.bounded(3);
            window.keys.append(
                count(QStringLiteral("172.17.0.1"), QStringLiteral("/oauth/token"), loop));
            if (burstLeft == 0 && random.bounded(20) == 0)
                burstLeft = 2 + random.bounded(4);
            std::int64_t people = 0;
            if (burstLeft > 0) {
                --burstLeft;
                people = 3 + random.bounded(10);
                window.keys.append(
                    count(QStringLiteral("10.0.0.5"), QStringLiteral("/orders/{id}"), people));
            }
            window.requests = loop + people;
            sample->logs.append(window);
            m_workbench->onSample(QStringLiteral("web"), sample);
        }
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<CallersView> m_view;
};

} // namespace

TEST_F(CallersViewTest, SaysWhenNoLogIsFollowed)
{
    m_view->refreshNow();
    EXPECT_TRUE(m_view->findChild<QLabel *>(QStringLiteral("callersEmpty"))->isVisible());
    EXPECT_FALSE(m_view->table()->isVisible());
    EXPECT_FALSE(m_view->steadyBanner()->isVisible());
}

TEST_F(CallersViewTest, NamesTheTopCallerAndTheSteadyLoop)
{
    feed(6 * 60);
    m_view->refreshNow();
    EXPECT_FALSE(m_view->findChild<QLabel *>(QStringLiteral("callersEmpty"))->isVisible());
    const QAbstractItemModel *shown = m_view->table()->model();
    ASSERT_GE(shown->rowCount(), 2);
    EXPECT_EQ(shown->index(0, TopCallersModel::ClientColumn).data().toString(), u"172.17.0.1");
    EXPECT_EQ(shown->index(0, TopCallersModel::PathColumn).data().toString(), u"/oauth/token");
    const double rate =
        shown->index(0, TopCallersModel::RateColumn).data(TopCallersModel::SortRole).toDouble();
    EXPECT_NEAR(rate, 12.0, 0.5);

    ASSERT_TRUE(m_view->steadyBanner()->isVisible());
    const QString banner = m_view->steadyBanner()->text();
    EXPECT_TRUE(banner.contains(u"172.17.0.1")) << banner.toStdString();
    EXPECT_TRUE(banner.contains(u"/oauth/token")) << banner.toStdString();
    EXPECT_FALSE(banner.contains(u"10.0.0.5")) << banner.toStdString();

    const QString directory = qEnvironmentVariable("TWBENCH_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        QDir().mkpath(directory);
        m_view->grab().save(directory + QStringLiteral("/callers.png"));
    }
}
