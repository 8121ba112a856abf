#pragma once

#include <QMainWindow>

class QLabel;
class QListView;
class QTabWidget;
class QTimer;

namespace twbench {

class ChartsView;
class ConnectionsView;
class EndpointsView;
class Workbench;
struct HostStatus;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(Workbench *workbench, QWidget *parent = nullptr);
    ~MainWindow() override;

    // For tests and screenshots.
    ConnectionsView *connectionsView() const { return m_connections; }
    EndpointsView *endpointsView() const { return m_endpoints; }
    ChartsView *chartsView() const { return m_charts; }
    QTabWidget *tabs() const { return m_tabs; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createHostsDock();
    void createStatusBar();
    void restoreSettings();
    void saveSettings() const;
    void selectHostRow(int row);
    void onCurrentHostChanged(const QString &hostId);
    void updateStatusBar();
    void showAbout();

    Workbench *m_workbench; // Not owned.
    QTabWidget *m_tabs = nullptr;
    ConnectionsView *m_connections = nullptr;
    EndpointsView *m_endpoints = nullptr;
    ChartsView *m_charts = nullptr;
    QListView *m_hostsView = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_sampleLabel = nullptr;
    QLabel *m_socketsLabel = nullptr;
    QLabel *m_issuesLabel = nullptr;
    QTimer *m_statusTimer = nullptr;
};

} // namespace twbench
