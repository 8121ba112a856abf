<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HostItemDelegate</name>
    <message>
        <source>retrying in %1 s</source>
        <translation>%1 秒后重试</translation>
    </message>
    <message>
        <source>TIME_WAIT %1</source>
        <translation>TIME_WAIT %1</translation>
    </message>
</context>
<context>
    <name>HostSpec</name>
    <message>
        <source>This workstation</source>
        <translation>本机</translation>
    </message>
</context>
<context>
    <name>HostState</name>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>verifying host key</source>
        <translation>正在验证主机密钥</translation>
    </message>
    <message>
        <source>authenticating</source>
        <translation>正在认证</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>正在采集</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>正在重试</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>ParseReport</name>
    <message>
        <source>%1 of %2 lines rejected</source>
        <translation>%2 行中有 %1 行无法解析</translation>
    </message>
    <message>
        <source>: line %1: %2 (%3)</source>
        <translation>：第 %1 行：%2（%3）</translation>
    </message>
</context>
<context>
    <name>Parser</name>
    <message>
        <source>expected &quot;NAME: key value …&quot;</source>
        <translation>应为“NAME: key value …”格式</translation>
    </message>
    <message>
        <source>a name without a value</source>
        <translation>名称没有对应的值</translation>
    </message>
    <message>
        <source>a value that is not a number</source>
        <translation>值不是数字</translation>
    </message>
    <message>
        <source>no counters on the line</source>
        <translation>该行没有计数器</translation>
    </message>
    <message>
        <source>counter names without values</source>
        <translation>计数器名称没有对应的值</translation>
    </message>
    <message>
        <source>expected &quot;Name: …&quot;</source>
        <translation>应为“Name: …”格式</translation>
    </message>
    <message>
        <source>counter values without names</source>
        <translation>计数器值没有对应的名称</translation>
    </message>
    <message>
        <source>the number of values differs from the number of names on the line before</source>
        <translation>值的个数与上一行的名称个数不一致</translation>
    </message>
    <message>
        <source>bad CPU number</source>
        <translation>CPU 编号无效</translation>
    </message>
    <message>
        <source>too few CPU time fields</source>
        <translation>CPU 时间字段太少</translation>
    </message>
    <message>
        <source>a CPU time that is not a number</source>
        <translation>CPU 时间不是数字</translation>
    </message>
    <message>
        <source>a second &quot;cpu&quot; line</source>
        <translation>出现了第二个“cpu”行</translation>
    </message>
    <message>
        <source>a CPU listed twice</source>
        <translation>同一个 CPU 出现了两次</translation>
    </message>
    <message>
        <source>not a netstat row</source>
        <translation>不是 netstat 的输出行</translation>
    </message>
    <message>
        <source>bad Recv-Q/Send-Q columns</source>
        <translation>Recv-Q/Send-Q 列无效</translation>
    </message>
    <message>
        <source>line ends before the state column</source>
        <translation>行不完整，缺少状态列</translation>
    </message>
    <message>
        <source>bad local address</source>
        <translation>本地地址无效</translation>
    </message>
    <message>
        <source>bad foreign address</source>
        <translation>远端地址无效</translation>
    </message>
    <message>
        <source>unknown TCP state name</source>
        <translation>未知的 TCP 状态名</translation>
    </message>
    <message>
        <source>not a socket line (no slot number)</source>
        <translation>不是套接字行（缺少 sl 序号）</translation>
    </message>
    <message>
        <source>bad local address (expected IPv4 hex)</source>
        <translation>本地地址无效（应为十六进制 IPv4 地址）</translation>
    </message>
    <message>
        <source>bad local address (expected IPv6 hex)</source>
        <translation>本地地址无效（应为十六进制 IPv6 地址）</translation>
    </message>
    <message>
        <source>bad remote address (expected IPv4 hex)</source>
        <translation>远端地址无效（应为十六进制 IPv4 地址）</translation>
    </message>
    <message>
        <source>bad remote address (expected IPv6 hex)</source>
        <translation>远端地址无效（应为十六进制 IPv6 地址）</translation>
    </message>
    <message>
        <source>bad state code</source>
        <translation>状态码无效</translation>
    </message>
    <message>
        <source>unknown TCP state code</source>
        <translation>未知的 TCP 状态码</translation>
    </message>
    <message>
        <source>bad queue sizes</source>
        <translation>队列长度无效</translation>
    </message>
    <message>
        <source>line ends before the uid column</source>
        <translation>行不完整，缺少 uid 列</translation>
    </message>
    <message>
        <source>bad uid</source>
        <translation>uid 无效</translation>
    </message>
    <message>
        <source>line ends before the inode column</source>
        <translation>行不完整，缺少 inode 列</translation>
    </message>
    <message>
        <source>bad inode</source>
        <translation>inode 无效</translation>
    </message>
    <message>
        <source>line ends before the local address</source>
        <translation>行不完整，缺少本地地址</translation>
    </message>
    <message>
        <source>line ends before the peer address</source>
        <translation>行不完整，缺少对端地址</translation>
    </message>
    <message>
        <source>bad peer address</source>
        <translation>对端地址无效</translation>
    </message>
</context>
<context>
    <name>SampleBuilder</name>
    <message>
        <source>no hello from the probe: its byte order and network namespace are unknown</source>
        <translation>探针没有发送 hello：其字节序和网络命名空间未知</translation>
    </message>
    <message>
        <source>the probe could not read it: %1</source>
        <translation>探针无法读取：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n over-long line(s) dropped</source>
        <translation>
            <numerusform>丢弃了 %n 个过长的行</numerusform>
        </translation>
    </message>
    <message>
        <source>the remote byte order is unknown; addresses assume little-endian</source>
        <translation>远端字节序未知，地址按小端序解析</translation>
    </message>
    <message>
        <source>the socket table of this sample was incomplete and is left out</source>
        <translation>本次采样的套接字表不完整，已略去</translation>
    </message>
</context>
<context>
    <name>twbench::ChartsView</name>
    <message>
        <source>TCP connections</source>
        <translation>TCP 连接</translation>
    </message>
    <message>
        <source>sockets</source>
        <translation>套接字数</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>时间范围：</translation>
    </message>
    <message>
        <source>Waiting for samples…</source>
        <translation>正在等待采样…</translation>
    </message>
    <message>
        <source>Now: TIME_WAIT %1, ESTABLISHED %2, CPU %3 %</source>
        <translation>当前：TIME_WAIT %1，ESTABLISHED %2，CPU %3 %</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>最近 15 分钟</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>最近 6 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>twbench::ConnectionTableModel</name>
    <message>
        <source>server: the local endpoint is a listening port; client: the local port is ephemeral. The side that holds TIME_WAIT closed the connection first.</source>
        <translation>服务端：本地端点是监听端口；客户端：本地端口是临时端口。持有 TIME_WAIT 的一方先关闭了连接。</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远端</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Recv-Q</source>
        <translation>Recv-Q</translation>
    </message>
    <message>
        <source>Send-Q</source>
        <translation>Send-Q</translation>
    </message>
    <message>
        <source>UID</source>
        <translation>UID</translation>
    </message>
    <message>
        <source>Inode</source>
        <translation>Inode</translation>
    </message>
    <message>
        <source>Network namespace</source>
        <translation>网络命名空间</translation>
    </message>
</context>
<context>
    <name>twbench::ConnectionsView</name>
    <message>
        <source>All states</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Show only sockets in this TCP state</source>
        <translation>只显示处于此 TCP 状态的套接字</translation>
    </message>
    <message>
        <source>Filter by address or port (Ctrl+F)</source>
        <translation>按地址或端口过滤（Ctrl+F）</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Remove the group filter</source>
        <translation>取消分组过滤</translation>
    </message>
    <message>
        <source>Group: %1 (%2)</source>
        <translation>分组：%1（%2）</translation>
    </message>
    <message>
        <source>%1 of %2 sockets</source>
        <translation>%1 / %2 个套接字</translation>
    </message>
</context>
<context>
    <name>twbench::EndpointGroupModel</name>
    <message>
        <source>%1 connections on the server side, %2 on the client side</source>
        <translation>服务端 %1 个连接，客户端 %2 个连接</translation>
    </message>
    <message>
        <source>Connections in the group; listening sockets are not counted</source>
        <translation>该分组中的连接数，不含监听套接字</translation>
    </message>
    <message>
        <source>service: a listening endpoint of this host; client: ephemeral local ports. The side that holds TIME_WAIT closed the connections.</source>
        <translation>服务：本机的监听端点；客户端：本地临时端口。持有 TIME_WAIT 的一方主动关闭了连接。</translation>
    </message>
    <message>
        <source>SYN_SENT, LAST_ACK, CLOSING, CLOSE</source>
        <translation>SYN_SENT、LAST_ACK、CLOSING、CLOSE</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>twbench::EndpointsView</name>
    <message>
        <source>Group the sockets by this key, like netstat | awk | sort | uniq -c</source>
        <translation>按此项对套接字分组，相当于 netstat | awk | sort | uniq -c</translation>
    </message>
    <message>
        <source>Double-click a group to see its sockets</source>
        <translation>双击分组可查看其中的套接字</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>分组依据：</translation>
    </message>
    <message>
        <source>Waiting for the first socket table…</source>
        <translation>正在等待第一张套接字表…</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s), %1 connections, %2 in TIME_WAIT</source>
        <translation>
            <numerusform>%n 个分组，%1 个连接，其中 %2 个处于 TIME_WAIT</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::HostListModel</name>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>%1 (%2): %3 — %4</source>
        <translation>%1（%2）：%3 — %4</translation>
    </message>
</context>
<context>
    <name>twbench::HostWorker</name>
    <message>
        <source>This kind of host is not supported yet.</source>
        <translation>暂不支持此类主机。</translation>
    </message>
    <message>
        <source>The probe speaks protocol %1; this twbench reads protocol %2.</source>
        <translation>探针使用第 %1 版协议，而此 twbench 读取的是第 %2 版协议。</translation>
    </message>
    <message>
        <source>Sample %1 was cut short and is lost.</source>
        <translation>采样 %1 被截断，已丢失。</translation>
    </message>
    <message>
        <source>Sample %1 was larger than %2 MiB and is dropped.</source>
        <translation>采样 %1 超过 %2 MiB，已丢弃。</translation>
    </message>
    <message>
        <source>Sample %1 ended out of order and is dropped.</source>
        <translation>采样 %1 的结束顺序错乱，已丢弃。</translation>
    </message>
    <message>
        <source>The probe ended.</source>
        <translation>探针已退出。</translation>
    </message>
</context>
<context>
    <name>twbench::LocalTransport</name>
    <message>
        <source>The probe script is missing from this build.</source>
        <translation>此构建中缺少探针脚本。</translation>
    </message>
    <message>
        <source>Could not start the probe with %1: %2</source>
        <translation>无法用 %1 启动探针：%2</translation>
    </message>
    <message>
        <source>The probe was killed or crashed.</source>
        <translation>探针被杀死或已崩溃。</translation>
    </message>
    <message>
        <source>The probe ended.</source>
        <translation>探针已退出。</translation>
    </message>
    <message>
        <source>The probe exited with status %1.</source>
        <translation>探针已退出，退出码 %1。</translation>
    </message>
    <message>
        <source>Its last error output: %1</source>
        <translation>最后的错误输出：%1</translation>
    </message>
</context>
<context>
    <name>twbench::MainWindow</name>
    <message>
        <source>twbench — TIME_WAIT workbench</source>
        <translation>twbench — TIME_WAIT 排查工作台</translation>
    </message>
    <message>
        <source>&amp;Endpoints</source>
        <translation>端点(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>图表(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About twbench</source>
        <translation>关于 twbench(&amp;A)</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>No host selected</source>
        <translation>未选择主机</translation>
    </message>
    <message>
        <source>retrying in %1 s</source>
        <translation>%1 秒后重试</translation>
    </message>
    <message>
        <source>Sample #%1, %2 s ago</source>
        <translation>采样 #%1，%2 秒前</translation>
    </message>
    <message numerus="yes">
        <source>%n source problem(s)</source>
        <translation>
            <numerusform>%n 个数据源问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the first sample…</source>
        <translation>正在等待第一次采样…</translation>
    </message>
    <message>
        <source>%1 sockets in the last table</source>
        <translation>最近一张表中有 %1 个套接字</translation>
    </message>
    <message>
        <source>About twbench</source>
        <translation>关于 twbench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;twbench %1&lt;/h3&gt;&lt;p&gt;The TIME_WAIT workbench: finds out who opens and who closes the connections that pile up on a Linux server, and what they cost.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;twbench %1&lt;/h3&gt;&lt;p&gt;TIME_WAIT 排查工作台：找出 Linux 服务器上堆积的连接是谁打开、谁关闭的，以及它们消耗了多少资源。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Hosts &amp;list</source>
        <translation>主机列表(&amp;L)</translation>
    </message>
</context>
<context>
    <name>twbench::SocketGrouper</name>
    <message>
        <source>Local endpoint</source>
        <translation>本地端点</translation>
    </message>
    <message>
        <source>Remote endpoint</source>
        <translation>远端端点</translation>
    </message>
    <message>
        <source>Local IP</source>
        <translation>本地 IP</translation>
    </message>
    <message>
        <source>Remote IP</source>
        <translation>远端 IP</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务端</translation>
    </message>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>mixed</source>
        <translation>混合</translation>
    </message>
</context>
<context>
    <name>twbench::Timeline</name>
    <message>
        <source>New connections/s</source>
        <translation>新建连接/s</translation>
    </message>
    <message>
        <source>CPU busy</source>
        <translation>CPU 忙碌</translation>
    </message>
    <message>
        <source>CPU user</source>
        <translation>CPU 用户态</translation>
    </message>
    <message>
        <source>CPU system</source>
        <translation>CPU 内核态</translation>
    </message>
    <message>
        <source>CPU iowait</source>
        <translation>CPU iowait</translation>
    </message>
    <message>
        <source>CPU steal</source>
        <translation>CPU steal</translation>
    </message>
    <message>
        <source>sockets</source>
        <translation>套接字数</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>%1 entered/s</source>
        <translation>进入 %1/s</translation>
    </message>
</context>
</TS>
