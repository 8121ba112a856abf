// The rules that read rates over time: a caller polling in a loop (access logs), the churn the
// TIME_WAIT pile implies (counters), and CPU that follows the churn (timeline).

#include "diagnosiscontext.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace twbench::diagnosis {

namespace {

// Words of a normalized path that mark a token or session endpoint: "/oauth2/token",
// "/api/v1/auth/login", "/session", "/getAccessToken", "/jwt/refresh".
bool looksLikeTokenEndpoint(const QString &path)
{
    static const QStringList exact = {
        QStringLiteral("auth"),     QStringLiteral("authorize"), QStringLiteral("authenticate"),
        QStringLiteral("login"),    QStringLiteral("signin"),    QStringLiteral("session"),
        QStringLiteral("sessions"), QStringLiteral("sso"),       QStringLiteral("credentials"),
    };
    static const QRegularExpression separators(QStringLiteral("[^A-Za-z0-9]+"));
    const QStringList words = path.toLower().split(separators, Qt::SkipEmptyParts);
    return std::any_of(words.begin(), words.end(), [](const QString &word) {
        return exact.contains(word) || word.contains(QLatin1String("token")) ||
               word.startsWith(QLatin1String("oauth")) || word.startsWith(QLatin1String("jwt"));
    });
}

QString minutes(std::int64_t ms)
{
    return DiagnosisText::tr("%1 min").arg(decimal(double(ms) / 60000.0, ms < 600'000 ? 1 : 0));
}

std::optional<double> meanOf(const QList<Timeline::Point> &points)
{
    if (points.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (const Timeline::Point &point : points)
        sum += point.value;
    return sum / double(points.size());
}

} // namespace

// polling-loop: what AccessLogStats' steady-rate detector flags, with a token cache as the
// remedy where the path is a token endpoint.
void pollingLoop(const Context &context, QList<Finding> &findings)
{
    const AccessLogStats *logs = context.input.accessLogs;
    if (!logs)
        return;
    for (const AccessLogStats::SteadyCaller &caller : logs->steadyCallers()) {
        const QString client = safeDisplayText(caller.client, 60);
        const QString method = safeDisplayText(caller.method, 16);
        const QString path = safeDisplayText(caller.path, 120);
        const QString source = safeDisplayText(caller.sourceId, 120);
        const bool token = looksLikeTokenEndpoint(caller.path);
        const std::optional<IpAddress> address = IpAddress::parse(caller.client.toUtf8());
        QString who;
        if (address && context.attribution) {
            const EndpointOwner owner = context.attribution->ownerOfAddress(*address, 0);
            if (owner.kind == OwnerKind::Container)
                who = context.attribution->describe(owner, *address);
            else if (owner.kind == OwnerKind::Gateway || owner.kind == OwnerKind::Host ||
                     owner.kind == OwnerKind::NetworkPeer)
                who = context.attribution->describe(owner, *address);
        }

        Finding finding;
        finding.id = QStringLiteral("polling-loop");
        finding.severity =
            token || caller.meanRequestsPerSec >= context.options.pollingWarnRequestsPerSec
                ? Finding::Severity::Warning
                : Finding::Severity::Info;
        finding.title =
            token ? DiagnosisText::tr("%1 fetches a token (%2 %3) %4 times a second, at a "
                                      "steady rate: a loop that should cache it")
                        .arg(client, method, path, rate(caller.meanRequestsPerSec))
                  : DiagnosisText::tr("%1 calls %2 %3 at a steady %4/s: a program in a loop, "
                                      "not people")
                        .arg(client, method, path, rate(caller.meanRequestsPerSec));
        finding.explanation =
            DiagnosisText::tr(
                "For %1 %2 has requested %3 %4 about %5 times a second, and the rate varied "
                "by only %6 % from one %7 s bin to the next. People click in bursts with "
                "pauses; an even rate for minutes is a program: a loop, a poll, or a retry "
                "without back-off. Each request without keep-alive is also a new "
                "connection, and its TIME_WAIT.")
                .arg(minutes(caller.durationMs), client, method, path,
                     rate(caller.meanRequestsPerSec), percent(caller.variation),
                     count(logs->options().binMs / 1000));
        if (token)
            finding.explanation +=
                QLatin1Char(' ') +
                DiagnosisText::tr(
                    "The path is a token or login endpoint: the caller asks for a new "
                    "token on every call instead of reusing the one it has.");
        finding.evidence = {
            evidence(DiagnosisText::tr("Client"),
                     who.isEmpty() ? client : DiagnosisText::tr("%1 (%2)").arg(client, who)),
            evidence(DiagnosisText::tr("Request"), method + QLatin1Char(' ') + path),
            evidence(DiagnosisText::tr("Access log"), source),
            evidence(DiagnosisText::tr("Rate"),
                     DiagnosisText::tr("%1/s").arg(rate(caller.meanRequestsPerSec)),
                     caller.meanRequestsPerSec),
            evidence(DiagnosisText::tr("Steady for"), minutes(caller.durationMs),
                     double(caller.durationMs) / 1000.0),
            evidence(DiagnosisText::tr("Variation (standard deviation ÷ mean)"),
                     DiagnosisText::tr("%1 %").arg(percent(caller.variation)), caller.variation),
        };
        if (token)
            finding.remedies.append(DiagnosisText::tr(
                "Cache the token for its lifetime: the token response says how long it "
                "is valid (expires_in, in seconds). Keep it until shortly before that and "
                "fetch a new one only then, or after a 401, instead of one per request."));
        else
            finding.remedies.append(
                DiagnosisText::tr(
                    "Find the loop in %1 and make it wait: poll less often, cache the "
                    "answer, or replace polling with a push; a retry loop needs a back-off.")
                    .arg(client));
        finding.remedies.append(DiagnosisText::tr(
            "Until the caller is fixed, HTTP keep-alive on its connection saves at least a "
            "connection (and a TIME_WAIT) per request."));
        if (address)
            finding.tableFilter = address->toString();
        finding.timeRange = std::pair(caller.sinceMs, std::max(caller.sinceMs, logs->latestMs()));
        findings.append(finding);
    }
}

// churn-rate: a steady pile of TIME_WAIT is new connections × the TIME_WAIT length; checked
// against the kernel's own counts over the window.
void churnRate(const Context &context, QList<Finding> &findings)
{
    const DiagnosisOptions &options = context.options;
    const std::optional<std::int64_t> timeWait = context.hostTimeWait();
    if (!timeWait || *timeWait < options.churnMinTimeWait)
        return;
    const double seconds = std::max(1, options.timeWaitSeconds);
    const double derived = double(*timeWait) / seconds;

    std::optional<double> entering;
    std::optional<double> opened;
    if (context.input.timeline && context.window) {
        const auto [from, to] = *context.window;
        entering =
            meanOf(context.input.timeline->points(Timeline::Metric::TimeWaitPerSec, from, to));
        opened = meanOf(
            context.input.timeline->points(Timeline::Metric::NewConnectionsPerSec, from, to));
    }

    Finding finding;
    finding.id = QStringLiteral("churn-rate");
    finding.severity = derived >= options.churnWarnPerSecond ? Finding::Severity::Warning
                                                             : Finding::Severity::Info;
    finding.title = DiagnosisText::tr("%1 TIME_WAIT means about %2 new connections a second")
                        .arg(count(*timeWait), rate(derived));
    finding.explanation =
        DiagnosisText::tr(
            "Linux keeps a closed connection in TIME_WAIT for %1 s, so a steady pile of %2 "
            "is renewed by about %3 connections closed here every second (%2 ÷ %1 s).")
            .arg(count(options.timeWaitSeconds), count(*timeWait), rate(derived));
    finding.evidence = {
        evidence(DiagnosisText::tr("TIME_WAIT now"), count(*timeWait), double(*timeWait)),
        evidence(DiagnosisText::tr("Connections a second, from the pile (TIME_WAIT ÷ %1 s)")
                     .arg(count(options.timeWaitSeconds)),
                 DiagnosisText::tr("≈%1/s").arg(rate(derived)), derived),
    };
    if (entering) {
        const double larger = std::max(derived, *entering);
        const bool agree =
            larger <= 0 || std::abs(derived - *entering) <= options.churnTolerance * larger;
        finding.explanation +=
            QLatin1Char(' ') +
            (agree ? DiagnosisText::tr(
                         "The kernel's counters agree: over the window %1 sockets a second "
                         "entered TIME_WAIT.")
                         .arg(rate(*entering))
                   : DiagnosisText::tr(
                         "The kernel's counters disagree: over the window %1 sockets a "
                         "second entered TIME_WAIT, so the pile is not steady (draining "
                         "after a burst, or still growing) and the estimate is off.")
                         .arg(rate(*entering)));
        finding.evidence.append(
            evidence(DiagnosisText::tr("Entering TIME_WAIT, counted (TcpExt.TW)"),
                     DiagnosisText::tr("%1/s").arg(rate(*entering)), *entering));
        finding.evidence.append(evidence(
            DiagnosisText::tr("The two agree (within %1 %)").arg(percent(options.churnTolerance)),
            agree ? DiagnosisText::tr("yes") : DiagnosisText::tr("no"), agree ? 1.0 : 0.0));
    } else {
        finding.explanation +=
            QLatin1Char(' ') +
            DiagnosisText::tr("No counter series over the window to check it against yet.");
    }
    if (opened) {
        finding.evidence.append(
            evidence(DiagnosisText::tr("New connections, counted (ActiveOpens + PassiveOpens)"),
                     DiagnosisText::tr("%1/s").arg(rate(*opened)), *opened));
    }
    finding.remedies = {
        DiagnosisText::tr(
            "Find who opens them: the connection table grouped by local endpoint, the "
            "topology edges with the highest rate, and the findings on who closes and why."),
    };
    if (context.window && (entering || opened))
        finding.timeRange = context.window;
    findings.append(finding);
}

namespace {

struct Fit
{
    double r = 0;
    double slope = 0; // CPU % per 1/s of the driver
    int points = 0;
    double cpuMean = 0;
    double driverMean = 0;
};

// A series as (bin, mean of its points in the bin), sorted by bin.
using Binned = std::vector<std::pair<std::int64_t, double>>;

// Timeline points come oldest first, so bins come in order: one pass, no map.
Binned binned(const QList<Timeline::Point> &points, std::int64_t binMs)
{
    Binned means;
    int n = 0;
    for (const Timeline::Point &point : points) {
        const std::int64_t bin = point.epochMs / binMs;
        if (!means.empty() && means.back().first == bin) {
            means.back().second += point.value;
            ++n;
            continue;
        }
        if (!means.empty())
            means.back().second /= double(n);
        means.emplace_back(bin, point.value);
        n = 1;
    }
    if (!means.empty())
        means.back().second /= double(n);
    // Sorted already unless the series broke backwards; then keep the order a merge needs.
    if (!std::is_sorted(means.begin(), means.end()))
        std::sort(means.begin(), means.end());
    return means;
}

// The sum of several binned series, over the bins any of them has.
Binned summed(const std::vector<Binned> &series)
{
    Binned all;
    for (const Binned &one : series)
        all.insert(all.end(), one.begin(), one.end());
    std::sort(all.begin(), all.end());
    Binned sums;
    for (const auto &[bin, value] : all) {
        if (!sums.empty() && sums.back().first == bin)
            sums.back().second += value;
        else
            sums.emplace_back(bin, value);
    }
    return sums;
}

std::optional<Fit> pearson(const Binned &cpu, const Binned &driver)
{
    std::vector<std::pair<double, double>> pairs; // (driver, cpu), by a merge of the bins
    auto d = driver.begin();
    for (const auto &[bin, value] : cpu) {
        while (d != driver.end() && d->first < bin)
            ++d;
        if (d != driver.end() && d->first == bin)
            pairs.emplace_back(d->second, value);
    }
    if (pairs.size() < 3)
        return std::nullopt;
    const double n = double(pairs.size());
    double meanX = 0, meanY = 0;
    for (const auto &[x, y] : pairs) {
        meanX += x;
        meanY += y;
    }
    meanX /= n;
    meanY /= n;
    double sxx = 0, syy = 0, sxy = 0;
    for (const auto &[x, y] : pairs) {
        sxx += (x - meanX) * (x - meanX);
        syy += (y - meanY) * (y - meanY);
        sxy += (x - meanX) * (y - meanY);
    }
    if (sxx <= 0 || syy <= 0)
        return std::nullopt; // a flat series correlates with nothing
    Fit fit;
    fit.r = sxy / std::sqrt(sxx * syy);
    fit.slope = sxy / sxx;
    fit.points = int(pairs.size());
    fit.cpuMean = meanY;
    fit.driverMean = meanX;
    return fit;
}

} // namespace

// cpu-follows-churn: the host's CPU, or a container's, rising and falling with the request
// rate (access logs, summed) or the new-connection rate (counters).
void cpuFollowsChurn(const Context &context, QList<Finding> &findings)
{
    const Timeline *timeline = context.input.timeline;
    if (!timeline || !context.window)
        return;
    const DiagnosisOptions &options = context.options;
    const auto [from, to] = *context.window;
    const std::int64_t binMs = std::max<std::int64_t>(1, options.cpuAlignMs);

    enum class Driver { Connections, Requests };
    struct Series
    {
        Driver driver;
        Binned values;
    };
    std::vector<Series> drivers;
    drivers.push_back(
        {Driver::Connections,
         binned(timeline->points(Timeline::Metric::NewConnectionsPerSec, from, to), binMs)});
    std::vector<Binned> perSource;
    for (const QString &key : timeline->keys(Timeline::Metric::RequestsPerSec))
        perSource.push_back(
            binned(timeline->points({Timeline::Metric::RequestsPerSec, key}, from, to), binMs));
    const Binned requests = summed(perSource);
    if (!requests.empty())
        drivers.push_back({Driver::Requests, requests});

    struct Cpu
    {
        QString containerId; // empty: the host
        Binned values;
    };
    std::vector<Cpu> cpus;
    cpus.push_back(
        {QString(), binned(timeline->points(Timeline::Metric::CpuTotal, from, to), binMs)});
    for (const QString &key : timeline->keys(Timeline::Metric::ContainerCpu))
        cpus.push_back(
            {key,
             binned(timeline->points({Timeline::Metric::ContainerCpu, key}, from, to), binMs)});

    for (const Cpu &cpu : cpus) {
        std::optional<Fit> best;
        Driver bestDriver = Driver::Connections;
        for (const Series &driver : drivers) {
            const std::optional<Fit> fit = pearson(cpu.values, driver.values);
            if (!fit || fit->points < options.cpuCorrelationMinPoints ||
                fit->r < options.cpuCorrelationMin || fit->slope <= 0)
                continue;
            if (!best || fit->r > best->r) {
                best = fit;
                bestDriver = driver.driver;
            }
        }
        if (!best)
            continue;

        QString cpuName = DiagnosisText::tr("Host CPU");
        if (!cpu.containerId.isEmpty()) {
            const Container *container = context.input.docker
                                             ? context.input.docker->containerById(cpu.containerId)
                                             : nullptr;
            if (!container && context.attribution)
                container = context.attribution->inventory().containerById(cpu.containerId);
            cpuName = DiagnosisText::tr("CPU of container %1")
                          .arg(container ? safeDisplayText(container->name, 60)
                                         : cpu.containerId.left(12));
        }
        const bool connections = bestDriver == Driver::Connections;
        const QString driverName = connections ? DiagnosisText::tr("the new-connection rate")
                                               : DiagnosisText::tr("the request rate");
        const double per100 = best->slope * 100.0;

        Finding finding;
        finding.id = QStringLiteral("cpu-follows-churn");
        finding.severity = best->cpuMean >= options.cpuWarnMeanPercent ? Finding::Severity::Warning
                                                                       : Finding::Severity::Info;
        finding.title =
            connections
                ? DiagnosisText::tr("%1 follows the new-connection rate (r = %2): about %3 % "
                                    "per 100 connections a second")
                      .arg(cpuName, decimal(best->r, 2), decimal(per100, 1))
                : DiagnosisText::tr("%1 follows the request rate (r = %2): about %3 % per 100 "
                                    "requests a second")
                      .arg(cpuName, decimal(best->r, 2), decimal(per100, 1));
        finding.explanation =
            DiagnosisText::tr(
                "Over the window %1 rose and fell with %2: Pearson's r is %3 over %4 paired "
                "points, and a least-squares line gives about %5 % CPU for every 100 a "
                "second more. Work done per connection or per request (a handshake, a "
                "process or interpreter started per request, a token issued per call) costs "
                "CPU in proportion, so fewer connections (keep-alive) or fewer requests "
                "(caching) lower the load.")
                .arg(cpuName, driverName, decimal(best->r, 2), count(best->points),
                     decimal(per100, 1));
        finding.evidence = {
            evidence(DiagnosisText::tr("Correlation (Pearson's r)"), decimal(best->r, 2), best->r),
            evidence(DiagnosisText::tr("Paired points"), count(best->points), best->points),
            evidence(connections ? DiagnosisText::tr("CPU per 100 new connections a second")
                                 : DiagnosisText::tr("CPU per 100 requests a second"),
                     DiagnosisText::tr("%1 %").arg(decimal(per100, 1)), per100),
            evidence(DiagnosisText::tr("Mean CPU over the window"),
                     DiagnosisText::tr("%1 %").arg(decimal(best->cpuMean, 1)), best->cpuMean),
            evidence(connections ? DiagnosisText::tr("Mean new connections a second")
                                 : DiagnosisText::tr("Mean requests a second"),
                     DiagnosisText::tr("%1/s").arg(rate(best->driverMean)), best->driverMean),
        };
        finding.remedies = {
            DiagnosisText::tr(
                "Cut what drives it (the polling-loop, server-closes and upstream-no-keepalive "
                "findings say where), then check that the CPU falls with the rate."),
        };
        finding.timeRange = context.window;
        findings.append(finding);
    }
}

} // namespace twbench::diagnosis
