<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DockerText</name>
    <message>
        <source>an integer</source>
        <translation>整数</translation>
    </message>
</context>
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
    <message>
        <source>The host needs an id.</source>
        <translation>主机需要一个 ID。</translation>
    </message>
    <message>
        <source>The host needs a name.</source>
        <translation>主机必须有名称。</translation>
    </message>
    <message>
        <source>The counter interval must be between 1 and 3600 seconds.</source>
        <translation>计数器采集间隔必须介于 1 到 3600 秒之间。</translation>
    </message>
    <message>
        <source>The table interval must be between 1 and 3600 seconds.</source>
        <translation>套接字表采集间隔必须介于 1 到 3600 秒之间。</translation>
    </message>
    <message>
        <source>The host needs an address.</source>
        <translation>主机必须有地址。</translation>
    </message>
    <message>
        <source>The address must not start with &apos;-&apos;.</source>
        <translation>地址不能以“-”开头。</translation>
    </message>
    <message>
        <source>The address must not contain spaces or control characters.</source>
        <translation>地址不能包含空格或控制字符。</translation>
    </message>
    <message>
        <source>Port must be between 1 and 65535.</source>
        <translation>端口必须介于 1 到 65535 之间。</translation>
    </message>
    <message>
        <source>The user name must not contain spaces, &apos;@&apos; or control characters.</source>
        <translation>用户名不能包含空格、“@”或控制字符。</translation>
    </message>
    <message>
        <source>Choose the identity file, or another login method.</source>
        <translation>请选择私钥文件，或改用其他登录方式。</translation>
    </message>
    <message>
        <source>The jump host must not start with &apos;-&apos;.</source>
        <translation>跳板机不能以“-”开头。</translation>
    </message>
    <message>
        <source>The docker command must not be empty.</source>
        <translation>Docker 命令不能为空。</translation>
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
    <message>
        <source>recorded</source>
        <translation>已录制</translation>
    </message>
</context>
<context>
    <name>KnownHosts</name>
    <message>
        <source>Could not create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not rewrite %1: %2</source>
        <translation>无法重写 %1：%2</translation>
    </message>
</context>
<context>
    <name>LogSourceSpec</name>
    <message>
        <source>The log file&apos;s path must be absolute (start with &apos;/&apos;).</source>
        <translation>日志文件路径必须是绝对路径（以“/”开头）。</translation>
    </message>
    <message>
        <source>The log file&apos;s path must not contain a NUL character.</source>
        <translation>日志文件路径不能包含 NUL 字符。</translation>
    </message>
    <message>
        <source>The log format &quot;%1&quot; cannot be used: %2</source>
        <translation>无法使用日志格式“%1”：%2</translation>
    </message>
    <message>
        <source>The docker command must not be empty.</source>
        <translation>Docker 命令不能为空。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>twbench captures (*.twbench);;All files (*)</source>
        <translation>twbench 采集文件 (*.twbench);;所有文件 (*)</translation>
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
        <source>expected exactly one endpoint with the port &quot;*&quot;</source>
        <translation>应有且仅有一个端点的端口为“*”</translation>
    </message>
    <message>
        <source>bad port list (expected 4-digit hex ports)</source>
        <translation>端口列表无效（应为 4 位十六进制端口）</translation>
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
    <name>ProbeParameters</name>
    <message>
        <source>The docker command &quot;%1&quot; cannot be sent to the host: %2</source>
        <translation>docker 命令“%1”无法发送到主机：%2</translation>
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
    <message>
        <source>expected a container id</source>
        <translation>应为容器 ID</translation>
    </message>
    <message>
        <source>a namespace section without its namespace inode</source>
        <translation>命名空间段缺少对应的命名空间 inode</translation>
    </message>
    <message>
        <source>this account</source>
        <translation>此账户</translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)&apos; sockets could not be read even as root (a restricted /proc, or a security module denying ptrace access to their processes)</source>
        <translation>
            <numerusform>即使以 root 身份也无法读取 %n 个容器的套接字（/proc 受限，或安全模块拒绝对其进程的 ptrace 访问）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)&apos; sockets could not be read: &quot;sudo -n&quot; was refused for %1, so the probe runs without root. Allow it with the sudoers line &quot;%2&quot; (visudo -f /etc/sudoers.d/twbench); that rule gives %1 root.</source>
        <translation>
            <numerusform>无法读取 %n 个容器的套接字：%1 执行“sudo -n”被拒绝，因此探针以非 root 身份运行。可用 sudoers 规则“%2”放行（visudo -f /etc/sudoers.d/twbench）；该规则等同于授予 %1 root 权限。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)&apos; sockets could not be read: no root. Set &quot;use sudo -n&quot; for this host and allow &quot;sudo -n /bin/sh&quot; for %1 (sudoers line &quot;%2&quot;; that rule gives %1 root).</source>
        <translation>
            <numerusform>无法读取 %n 个容器的套接字：没有 root 权限。请为此主机勾选“使用 sudo -n”，并允许 %1 执行“sudo -n /bin/sh”（sudoers 规则“%2”；该规则等同于授予 %1 root 权限）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShellQuote</name>
    <message>
        <source>The container name is empty.</source>
        <translation>容器名称为空。</translation>
    </message>
    <message>
        <source>A container name starts with a letter or a digit.</source>
        <translation>容器名称必须以字母或数字开头。</translation>
    </message>
    <message>
        <source>A container name holds only letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos;.</source>
        <translation>容器名称只能包含字母、数字、“_”、“.”和“-”。</translation>
    </message>
    <message>
        <source>The path must be absolute (start with &apos;/&apos;).</source>
        <translation>路径必须是绝对路径（以“/”开头）。</translation>
    </message>
    <message>
        <source>The path must not contain a NUL character or a line break.</source>
        <translation>路径不能包含 NUL 字符或换行符。</translation>
    </message>
    <message>
        <source>The value is empty.</source>
        <translation>值为空。</translation>
    </message>
    <message>
        <source>The value may hold only letters, digits and _.,:+=@%/-.</source>
        <translation>值只能包含字母、数字和 _.,:+=@%/-。</translation>
    </message>
</context>
<context>
    <name>SshConfig</name>
    <message>
        <source>The line is longer than %1 bytes; it was skipped.</source>
        <translation>该行超过 %1 字节，已跳过。</translation>
    </message>
    <message>
        <source>The line contains a NUL byte; it was skipped.</source>
        <translation>该行包含 NUL 字节，已跳过。</translation>
    </message>
    <message>
        <source>The line contains control characters; it was skipped.</source>
        <translation>该行包含控制字符，已跳过。</translation>
    </message>
    <message>
        <source>ProxyCommand has no value; the line was skipped.</source>
        <translation>ProxyCommand 没有值，已跳过该行。</translation>
    </message>
    <message>
        <source>Unbalanced quotes; the line was skipped.</source>
        <translation>引号不配对，已跳过该行。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no value; the line was skipped.</source>
        <translation>“%1”没有值，已跳过该行。</translation>
    </message>
    <message>
        <source>Match blocks are not evaluated; the options under this one were skipped.</source>
        <translation>不解析 Match 块，已跳过此块下的选项。</translation>
    </message>
    <message>
        <source>Port must be a number between 1 and 65535; the line was skipped.</source>
        <translation>Port 必须是 1 到 65535 之间的数字，已跳过该行。</translation>
    </message>
    <message>
        <source>twbench cannot expand the token &quot;%%1&quot;; the line was skipped.</source>
        <translation>twbench 无法展开标记“%%1”，已跳过该行。</translation>
    </message>
    <message>
        <source>More than %1 host aliases; the rest were not imported.</source>
        <translation>主机别名超过 %1 个，其余的未导入。</translation>
    </message>
    <message>
        <source>Includes nest deeper than %1 levels (a loop?); this one was skipped.</source>
        <translation>Include 嵌套超过 %1 层（是否存在循环？），已跳过此 Include。</translation>
    </message>
    <message>
        <source>Include is not followed here; the line was skipped.</source>
        <translation>此处不展开 Include，已跳过该行。</translation>
    </message>
    <message>
        <source>The included file %1 was skipped: the configuration is too large.</source>
        <translation>已跳过被包含的文件 %1：配置过大。</translation>
    </message>
    <message>
        <source>The file is larger than %1 MiB; it was not read.</source>
        <translation>文件超过 %1 MiB，未读取。</translation>
    </message>
    <message>
        <source>Host %1 was not imported: %2</source>
        <translation>主机 %1 未导入：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n more warning(s) not shown.</source>
        <translation>
            <numerusform>另有 %n 条警告未显示。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the file: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
</context>
<context>
    <name>SshSession</name>
    <message>
        <source>Only one jump host is supported.</source>
        <translation>仅支持一个跳板机。</translation>
    </message>
    <message>
        <source>The jump host &quot;%1&quot; is not [user@]host[:port].</source>
        <translation>跳板机“%1”不符合 [user@]host[:port] 格式。</translation>
    </message>
    <message>
        <source>The jump host&apos;s port must be between 1 and 65535.</source>
        <translation>跳板机端口必须介于 1 到 65535 之间。</translation>
    </message>
    <message>
        <source>The jump host &quot;%1&quot; holds characters that are not allowed there.</source>
        <translation>跳板机“%1”包含不允许的字符。</translation>
    </message>
    <message>
        <source>The address &quot;%1&quot; cannot be reached through a jump host.</source>
        <translation>无法通过跳板机访问地址“%1”。</translation>
    </message>
    <message>
        <source>%1: cancelled.</source>
        <translation>%1：已取消。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Could not create an SSH session (out of memory).</source>
        <translation>无法创建 SSH 会话（内存不足）。</translation>
    </message>
    <message>
        <source>Could not set up the SSH session for %1</source>
        <translation>无法为 %1 设置 SSH 会话</translation>
    </message>
    <message>
        <source>Could not set the proxy command for %1</source>
        <translation>无法为 %1 设置代理命令</translation>
    </message>
    <message>
        <source>Could not hand the connection to %1 to libssh</source>
        <translation>无法将到 %1 的连接交给 libssh</translation>
    </message>
    <message>
        <source>Could not connect to %1</source>
        <translation>无法连接到 %1</translation>
    </message>
    <message>
        <source>Connecting to %1: cancelled.</source>
        <translation>连接 %1：已取消。</translation>
    </message>
    <message>
        <source>Could not resolve %1: %2</source>
        <translation>无法解析 %1：%2</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <source>The server sent no host key</source>
        <translation>服务器未发送主机密钥</translation>
    </message>
    <message>
        <source>Could not read the server&apos;s host key</source>
        <translation>无法读取服务器的主机密钥</translation>
    </message>
    <message>
        <source>The server&apos;s host key is of a kind twbench cannot read.</source>
        <translation>服务器主机密钥的类型 twbench 无法识别。</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Could not create a channel</source>
        <translation>无法创建通道</translation>
    </message>
    <message>
        <source>Could not open a channel</source>
        <translation>无法打开通道</translation>
    </message>
    <message>
        <source>The server refused to run the command</source>
        <translation>服务器拒绝执行该命令</translation>
    </message>
    <message>
        <source>Reading the command&apos;s output failed</source>
        <translation>读取命令输出失败</translation>
    </message>
    <message>
        <source>Reading the command&apos;s error output failed</source>
        <translation>读取命令错误输出失败</translation>
    </message>
    <message>
        <source>The command did not finish in time.</source>
        <translation>命令未在规定时间内完成。</translation>
    </message>
</context>
<context>
    <name>twbench::AccessLogFormat</name>
    <message>
        <source>The access-log pattern after &quot;regex:&quot; is empty.</source>
        <translation>“regex:”之后的访问日志模式为空。</translation>
    </message>
    <message>
        <source>The access-log pattern is not a valid regular expression: %1 (at character %2).</source>
        <translation>访问日志模式不是有效的正则表达式：%1（第 %2 个字符处）。</translation>
    </message>
    <message>
        <source>The access-log pattern has no (?&lt;client&gt;…) group: without it, requests cannot be attributed to a caller.</source>
        <translation>访问日志模式缺少 (?&lt;client&gt;…) 分组：没有它，就无法把请求归到调用方。</translation>
    </message>
    <message>
        <source>The access-log pattern needs a (?&lt;path&gt;…) or a (?&lt;request&gt;…) group.</source>
        <translation>访问日志模式需要 (?&lt;path&gt;…) 或 (?&lt;request&gt;…) 分组。</translation>
    </message>
    <message>
        <source>Unknown access-log format &quot;%1&quot;: use auto, combined, common or regex:&lt;pattern&gt;.</source>
        <translation>未知的访问日志格式“%1”：请使用 auto、combined、common 或 regex:&lt;模式&gt;。</translation>
    </message>
</context>
<context>
    <name>twbench::Attribution</name>
    <message>
        <source>network namespace %1</source>
        <translation>网络命名空间 %1</translation>
    </message>
    <message>
        <source>this host</source>
        <translation>该主机</translation>
    </message>
    <message>
        <source>container %1</source>
        <translation>容器 %1</translation>
    </message>
    <message>
        <source>containers on this host via the %1 gateway</source>
        <translation>本机容器（经 %1 网关）</translation>
    </message>
    <message>
        <source>%1 on docker network %2 (no known container)</source>
        <translation>docker 网络 %2 上的 %1（无已知容器）</translation>
    </message>
    <message>
        <source>external peer %1</source>
        <translation>外部对端 %1</translation>
    </message>
    <message>
        <source>process %1 (%2)</source>
        <translation>进程 %1（%2）</translation>
    </message>
</context>
<context>
    <name>twbench::CallersView</name>
    <message>
        <source>Last minute</source>
        <translation>最近 1 分钟</translation>
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
        <source>Last 30 minutes</source>
        <translation>最近 30 分钟</translation>
    </message>
    <message>
        <source>All access logs</source>
        <translation>全部访问日志</translation>
    </message>
    <message>
        <source>This host follows no access log. Add one under Hosts → Edit host… → Access logs: an nginx or Apache log file, or a container&apos;s output.</source>
        <translation>此主机未跟踪任何访问日志。请在“主机 → 编辑主机… → 访问日志”中添加：nginx 或 Apache 的日志文件，或容器的输出。</translation>
    </message>
    <message>
        <source>Log:</source>
        <translation>日志：</translation>
    </message>
    <message>
        <source>Over:</source>
        <translation>统计范围：</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: %2 of %3 lines did not match the format and were skipped</source>
        <translation>%1：%3 行中有 %2 行与格式不符，已跳过</translation>
    </message>
    <message>
        <source>%1 requests/s in total</source>
        <translation>合计 %1 请求/s</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; calls &lt;b&gt;%2 %3&lt;/b&gt; at a steady %4/s (±%5 %) for %6 min</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 以稳定的 %4/s（±%5 %）调用 &lt;b&gt;%2 %3&lt;/b&gt;，已持续 %6 分钟</translation>
    </message>
    <message numerus="yes">
        <source>and %n more steady caller(s)</source>
        <translation>
            <numerusform>另有 %n 个稳定调用方</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests at a near-constant rate for minutes look like a program calling in a loop, not people:</source>
        <translation>请求速率数分钟内几乎恒定，像是程序在循环调用，而不是人在操作：</translation>
    </message>
    <message>
        <source>Callers</source>
        <translation>调用方</translation>
    </message>
</context>
<context>
    <name>twbench::CaptureReader</name>
    <message>
        <source>the description of host %1 is damaged</source>
        <translation>主机 %1 的描述已损坏</translation>
    </message>
    <message>
        <source>sample %1: %2</source>
        <translation>采样 %1：%2</translation>
    </message>
    <message>
        <source>sample %1 does not match its row</source>
        <translation>采样 %1 与其所在行不符</translation>
    </message>
    <message>
        <source>socket table %1: %2</source>
        <translation>套接字表 %1：%2</translation>
    </message>
    <message>
        <source>socket table %1 does not match its row</source>
        <translation>套接字表 %1 与其所在行不符</translation>
    </message>
    <message>
        <source>grouped table %1 has no socket table</source>
        <translation>分组表 %1 没有对应的套接字表</translation>
    </message>
    <message>
        <source>grouped table %1: %2</source>
        <translation>分组表 %1：%2</translation>
    </message>
    <message>
        <source>findings %1 are damaged</source>
        <translation>发现 %1 已损坏</translation>
    </message>
    <message>
        <source>Could not open %1: the file does not exist.</source>
        <translation>无法打开 %1：文件不存在。</translation>
    </message>
    <message>
        <source>Could not open %1: it is not a file.</source>
        <translation>无法打开 %1：它不是文件。</translation>
    </message>
    <message>
        <source>Could not open %1: it cannot be read.</source>
        <translation>无法打开 %1：文件不可读。</translation>
    </message>
    <message>
        <source>%1 is not a twbench capture (not an SQLite database).</source>
        <translation>%1 不是 twbench 采集文件（不是 SQLite 数据库）。</translation>
    </message>
    <message>
        <source>%1 is damaged: it is cut short.</source>
        <translation>%1 已损坏：文件被截断。</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 已损坏：%2</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is an SQLite database but not a twbench capture.</source>
        <translation>%1 是 SQLite 数据库，但不是 twbench 采集文件。</translation>
    </message>
    <message>
        <source>%1 was written by a newer twbench (schema %2); this one reads up to %3.</source>
        <translation>%1 由更新版本的 twbench 写入（架构版本 %2）；此版本最高只能读取架构版本 %3。</translation>
    </message>
    <message>
        <source>Could not open %1: no room for a migrated copy.</source>
        <translation>无法打开 %1：没有空间存放迁移后的副本。</translation>
    </message>
    <message>
        <source>Could not read %1 (schema %2): %3</source>
        <translation>无法读取 %1（架构版本 %2）：%3</translation>
    </message>
    <message>
        <source>the integrity check gave no answer</source>
        <translation>完整性检查没有返回结果</translation>
    </message>
    <message>
        <source>%1 has no socket table %2.</source>
        <translation>%1 中没有套接字表 %2。</translation>
    </message>
    <message>
        <source>Could not read %1: the file is gone.</source>
        <translation>无法读取 %1：文件已不存在。</translation>
    </message>
    <message>
        <source>Could not read %1: it changed since it was opened.</source>
        <translation>无法读取 %1：文件在打开后已被更改。</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>twbench::CaptureRecorder</name>
    <message>
        <source>Nothing is being recorded.</source>
        <translation>当前没有在录制。</translation>
    </message>
</context>
<context>
    <name>twbench::CaptureWriter</name>
    <message>
        <source>no migration from schema %1</source>
        <translation>不支持从架构版本 %1 迁移</translation>
    </message>
    <message>
        <source>Could not write to %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not open %1: it cannot be read.</source>
        <translation>无法打开 %1：文件不可读。</translation>
    </message>
    <message>
        <source>%1 is not a twbench capture (not an SQLite database).</source>
        <translation>%1 不是 twbench 采集文件（不是 SQLite 数据库）。</translation>
    </message>
    <message>
        <source>%1 is damaged: it is cut short.</source>
        <translation>%1 已损坏：文件被截断。</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 已损坏：%2</translation>
    </message>
    <message>
        <source>%1 is an SQLite database but not a twbench capture.</source>
        <translation>%1 是 SQLite 数据库，但不是 twbench 采集文件。</translation>
    </message>
    <message>
        <source>%1 was written by a newer twbench (schema %2); this one reads up to %3.</source>
        <translation>%1 由更新版本的 twbench 写入（架构版本 %2）；此版本最高只能读取架构版本 %3。</translation>
    </message>
    <message>
        <source>Could not update %1 to the current format: %2</source>
        <translation>无法将 %1 更新为当前格式：%2</translation>
    </message>
    <message>
        <source>Could not open %1 for recording: %2</source>
        <translation>无法打开 %1 进行录制：%2</translation>
    </message>
    <message>
        <source>Could not create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <source>No capture file is open.</source>
        <translation>没有打开的采集文件。</translation>
    </message>
    <message>
        <source>Could not save to %1: %2</source>
        <translation>无法保存到 %1：%2</translation>
    </message>
    <message>
        <source>no capture file is open</source>
        <translation>没有打开的采集文件</translation>
    </message>
    <message>
        <source>it is the file being recorded</source>
        <translation>它是正在录制的文件</translation>
    </message>
    <message>
        <source>another twbench is recording into it</source>
        <translation>另一个 twbench 正在向该文件录制</translation>
    </message>
</context>
<context>
    <name>twbench::ChartsView</name>
    <message>
        <source>Range:</source>
        <translation>时间范围：</translation>
    </message>
    <message>
        <source>Waiting for samples…</source>
        <translation>正在等待采样…</translation>
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
    <message>
        <source>Current host</source>
        <translation>当前主机</translation>
    </message>
    <message>
        <source>All hosts overlaid</source>
        <translation>叠加全部主机</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Follow the newest samples again (Esc)</source>
        <translation>重新跟随最新采样（Esc）</translation>
    </message>
    <message>
        <source>TCP states (sockets)</source>
        <translation>TCP 状态（套接字数）</translation>
    </message>
    <message>
        <source>Connection churn (per second)</source>
        <translation>连接新建与回收（每秒）</translation>
    </message>
    <message>
        <source>CPU (%, 100 = one core for a container)</source>
        <translation>CPU（%，容器以 100 = 一个核计）</translation>
    </message>
    <message>
        <source>Requests per second (access logs)</source>
        <translation>每秒请求数（访问日志）</translation>
    </message>
    <message>
        <source>Tick or untick a line to show or hide it.</source>
        <translation>勾选或取消勾选以显示或隐藏曲线。</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>CPU of %1</source>
        <translation>%1 的 CPU</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No access log followed: add one in the host&apos;s settings (Hosts → Edit host…).</source>
        <translation>未跟踪访问日志：请在主机设置中添加（主机 → 编辑主机…）。</translation>
    </message>
    <message>
        <source>Every line of this chart is switched off in the legend.</source>
        <translation>此图的所有曲线都已在图例中关闭。</translation>
    </message>
    <message>
        <source>Now: TIME_WAIT %1, ESTABLISHED %2, %3 new/s, CPU %4</source>
        <translation>当前：TIME_WAIT %1，ESTABLISHED %2，新建 %3/s，CPU %4</translation>
    </message>
    <message>
        <source>, %1 requests/s</source>
        <translation>，%1 请求/s</translation>
    </message>
</context>
<context>
    <name>twbench::CommandLine</name>
    <message>
        <source>twbench: unknown command &quot;%1&quot;; the commands are: diagnose, report. Without a command, twbench opens its window.</source>
        <translation>twbench：未知命令“%1”；可用的命令有：diagnose、report。不带命令时，twbench 会打开主窗口。</translation>
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
    <message>
        <source>Container</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>namespace %1</source>
        <translation>命名空间 %1</translation>
    </message>
    <message>
        <source>The container whose network namespace holds the socket. For the host&apos;s own sockets: the process holding it, where known (the probe runs as root), else empty.</source>
        <translation>套接字所在网络命名空间所属的容器。对于主机自身的套接字：持有它的进程（探针以 root 运行时可知），否则为空。</translation>
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
    <message>
        <source>Show only the sockets of one container, or the host&apos;s own</source>
        <translation>只显示某个容器的套接字，或主机自身的套接字</translation>
    </message>
    <message>
        <source>All containers and host</source>
        <translation>所有容器和主机</translation>
    </message>
    <message>
        <source>Host only</source>
        <translation>仅主机</translation>
    </message>
    <message>
        <source>Graph: %1</source>
        <translation>拓扑图：%1</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>twbench::ContainerCpuTime</name>
    <message>
        <source>expected &quot;&lt;container id&gt; &lt;CPU microseconds&gt; &lt;source&gt;&quot; or &quot;&lt;container id&gt; - &lt;reason&gt;&quot;</source>
        <translation>应为“&lt;容器 ID&gt; &lt;CPU 微秒数&gt; &lt;来源&gt;”或“&lt;容器 ID&gt; - &lt;原因&gt;”</translation>
    </message>
    <message>
        <source>no cgroup found for it: neither its process&apos;s /proc/&lt;pid&gt;/cgroup nor a docker or podman cgroup layout names it</source>
        <translation>找不到它的 cgroup：其进程的 /proc/&lt;pid&gt;/cgroup 和 docker、podman 的 cgroup 布局中都没有它</translation>
    </message>
    <message>
        <source>its process runs in the root cgroup, whose CPU use is the whole machine&apos;s, not the container&apos;s</source>
        <translation>其进程运行在根 cgroup 中，该 cgroup 的 CPU 用量是整台机器的，而不是容器的</translation>
    </message>
    <message>
        <source>its cgroup went away since the last inventory: the container stopped or was restarted</source>
        <translation>自上次清点以来其 cgroup 已消失：容器已停止或已重启</translation>
    </message>
    <message>
        <source>its cgroup&apos;s CPU counter could not be read</source>
        <translation>无法读取其 cgroup 的 CPU 计数器</translation>
    </message>
    <message>
        <source>the probe gave a reason this version does not know</source>
        <translation>探针给出了本版本不认识的原因</translation>
    </message>
</context>
<context>
    <name>twbench::CredentialDialog</name>
    <message>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>The key %1 is protected by a passphrase. It is needed to log in to %2.</source>
        <translation>密钥 %1 受口令保护，登录 %2 需要该口令。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password for %1.</source>
        <translation>%1 的密码。</translation>
    </message>
    <message>
        <source>Login question</source>
        <translation>登录提示</translation>
    </message>
    <message>
        <source>%1 asks:</source>
        <translation>%1 询问：</translation>
    </message>
    <message>
        <source>That was not accepted. Attempt %1 of %2.</source>
        <translation>未被接受。第 %1 次尝试，共 %2 次。</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>&amp;Remember in the system keychain</source>
        <translation>在系统密钥环中记住(&amp;R)</translation>
    </message>
    <message>
        <source>Saved only after the login succeeded, and only in the system keychain, never in a file.</source>
        <translation>仅在登录成功后保存，且只保存在系统密钥环中，绝不写入文件。</translation>
    </message>
</context>
<context>
    <name>twbench::DiagnoseCommand</name>
    <message>
        <source>%1: connecting…</source>
        <translation>%1：正在连接…</translation>
    </message>
    <message>
        <source>%1: the host could not be started.</source>
        <translation>%1：无法启动对该主机的监视。</translation>
    </message>
    <message numerus="yes">
        <source>%1: streaming; collecting for %n s.</source>
        <translation>
            <numerusform>%1：正在采集，将持续采集 %n 秒。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2…</source>
        <translation>%1：%2…</translation>
    </message>
    <message>
        <source>%1: the connection dropped (%2); reconnecting.</source>
        <translation>%1：连接已断开（%2），正在重新连接。</translation>
    </message>
    <message numerus="yes">
        <source>%1: no answer within %n s (--connect-timeout).</source>
        <translation>
            <numerusform>%1：%n 秒内没有响应（--connect-timeout）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n sample(s), TIME_WAIT %2, %3 s left</source>
        <translation>
            <numerusform>%1：%n 次采样，TIME_WAIT %2，剩余 %3 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: the run ended without a reason.</source>
        <translation>%1：运行已结束，但没有给出原因。</translation>
    </message>
    <message>
        <source>Check the fingerprint, then run again with --accept-new-host-key to trust and save it.</source>
        <translation>请核对指纹，然后加上 --accept-new-host-key 重新运行，以信任并保存该密钥。</translation>
    </message>
    <message>
        <source>To forget the old key: ssh-keygen -R &apos;%1&apos; -f &apos;%2&apos;.</source>
        <translation>要忘记旧密钥，请执行：ssh-keygen -R &apos;%1&apos; -f &apos;%2&apos;。</translation>
    </message>
    <message>
        <source>Could not write the JSON to standard output.</source>
        <translation>无法将 JSON 写入标准输出。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>standard output</source>
        <translation>标准输出</translation>
    </message>
    <message>
        <source>--host needs a value: local, [user@]host[:port] or a saved host&apos;s name.</source>
        <translation>--host 需要一个值：local、[user@]host[:port] 或已保存主机的名称。</translation>
    </message>
    <message numerus="yes">
        <source>%n saved host(s) are named &quot;%1&quot;: give the id of one instead.</source>
        <translation>
            <numerusform>有 %n 台已保存的主机名为“%1”：请改为指定其中一台的 ID。</numerusform>
        </translation>
    </message>
    <message>
        <source>The user name before &apos;@&apos; in &quot;%1&quot; is empty.</source>
        <translation>“%1”中“@”之前的用户名为空。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; opens &apos;[&apos; without closing it.</source>
        <translation>“%1”中的“[”没有闭合。</translation>
    </message>
    <message>
        <source>Only &quot;:port&quot; may follow &apos;]&apos; in &quot;%1&quot;.</source>
        <translation>“%1”中“]”之后只能跟“:port”。</translation>
    </message>
    <message>
        <source>The port after &apos;:&apos; in &quot;%1&quot; is empty.</source>
        <translation>“%1”中“:”之后的端口为空。</translation>
    </message>
    <message>
        <source>The port in &quot;%1&quot; must be a number from 1 to 65535.</source>
        <translation>“%1”中的端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; names no host.</source>
        <translation>“%1”未指定任何主机。</translation>
    </message>
    <message>
        <source>--log %1: %2</source>
        <translation>--log %1：%2</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot; (see twbench diagnose --help).</source>
        <translation>意外的参数“%1”（参见 twbench diagnose --help）。</translation>
    </message>
    <message>
        <source>--%1 is given more than once.</source>
        <translation>--%1 指定了多次。</translation>
    </message>
    <message>
        <source>--host is missing (see twbench diagnose --help).</source>
        <translation>缺少 --host（参见 twbench diagnose --help）。</translation>
    </message>
    <message>
        <source>--json is missing (see twbench diagnose --help).</source>
        <translation>缺少 --json（参见 twbench diagnose --help）。</translation>
    </message>
    <message>
        <source>--duration must be a whole number of seconds from 1 to %1.</source>
        <translation>--duration 必须是 1 到 %1 之间的整数秒数。</translation>
    </message>
    <message>
        <source>--connect-timeout must be a whole number of seconds from 1 to %1.</source>
        <translation>--connect-timeout 必须是 1 到 %1 之间的整数秒数。</translation>
    </message>
    <message>
        <source>--json needs a file name (or - for standard output).</source>
        <translation>--json 需要一个文件名（或用 - 表示标准输出）。</translation>
    </message>
    <message>
        <source>--json %1 is a directory.</source>
        <translation>--json %1 是一个目录。</translation>
    </message>
    <message>
        <source>--json %1: the directory %2 does not exist or is not writable.</source>
        <translation>--json %1：目录 %2 不存在或不可写。</translation>
    </message>
    <message>
        <source>The saved host &quot;%1&quot; cannot be watched from the command line.</source>
        <translation>无法从命令行监视已保存的主机“%1”。</translation>
    </message>
    <message>
        <source>--identity is for SSH hosts only.</source>
        <translation>--identity 仅适用于 SSH 主机。</translation>
    </message>
    <message>
        <source>--identity %1: no such readable file.</source>
        <translation>--identity %1：文件不存在或不可读。</translation>
    </message>
    <message>
        <source>--known-hosts %1: its directory does not exist.</source>
        <translation>--known-hosts %1：其所在目录不存在。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n finding(s) from %2 samples in all; wrote %3.</source>
        <translation>
            <numerusform>%1：共 %2 次采样，得出 %n 条发现；已写入 %3。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: saved the capture to %2.</source>
        <translation>%1：已将采集文件保存到 %2。</translation>
    </message>
    <message>
        <source>--save %1: its directory does not exist.</source>
        <translation>--save %1：其所在目录不存在。</translation>
    </message>
    <message>
        <source>Could not save the capture to %1 (what was recorded is kept in %3): %2</source>
        <translation>无法将采集文件保存到 %1（已录制的内容保留在 %3 中）：%2</translation>
    </message>
    <message>
        <source>Usage: twbench diagnose --host SPEC --json FILE [options]

Watches one host for a while, headless, and writes what twbench concludes as JSON.

  --host SPEC             local, [user@]host[:port], or a saved host&apos;s name or id
  --json FILE             where the JSON goes (written atomically; - for standard output)
  --save FILE             also keep the run as a capture file (.twbench), for twbench report and File → Open;
                          until the run ends it is recorded in NAME.partial.twbench
  --duration SECONDS      how long to collect after the first sample (default %1)
  --connect-timeout SECONDS
                          how long to wait for the first sample, and for each SSH step (default %2)
  --identity FILE         the private key to log in with
  --known-hosts FILE      the known_hosts file (default ~/.ssh/known_hosts)
  --accept-new-host-key   trust and save a host key that is not known yet
  --sudo                  read root-only data through sudo -n
  --docker CMD            the docker command, e.g. &quot;sudo -n docker&quot;
  --log PATH[:FORMAT]     an access log to follow (repeatable): an absolute path or
                          container:NAME; FORMAT is auto, combined, common or regex:PATTERN
  --quiet                 no progress, only errors

Exit codes: 0 written (with or without findings), 1 the JSON could not be written,
2 bad arguments, 3 unreachable, 4 host key refused, 5 login refused.
</source>
        <translation>用法：twbench diagnose --host SPEC --json FILE [选项]

在无界面模式下监视一台主机一段时间，并将 twbench 得出的结论写成 JSON。

  --host SPEC             local、[user@]host[:port]，或已保存主机的名称或 ID
  --json FILE             JSON 的输出位置（原子写入；- 表示标准输出）
  --save FILE             同时将本次运行保存为采集文件（.twbench），供 twbench report 和“文件 → 打开采集文件”使用；
                          运行结束前先录制在 NAME.partial.twbench 中
  --duration SECONDS      第一次采样之后持续采集的时长（默认 %1）
  --connect-timeout SECONDS
                          等待第一次采样以及每个 SSH 步骤的时长（默认 %2）
  --identity FILE         用于登录的私钥
  --known-hosts FILE      known_hosts 文件（默认 ~/.ssh/known_hosts）
  --accept-new-host-key   信任并保存尚未知的主机密钥
  --sudo                  通过 sudo -n 读取需要 root 权限的数据
  --docker CMD            docker 命令，例如 &quot;sudo -n docker&quot;
  --log PATH[:FORMAT]     要跟踪的访问日志（可重复指定）：绝对路径或
                          container:NAME；FORMAT 为 auto、combined、common 或 regex:PATTERN
  --quiet                 不显示进度，只显示错误

退出码：0 已写入（无论有无发现），1 无法写入 JSON，
2 参数错误，3 无法连接，4 主机密钥被拒绝，5 登录被拒绝。
</translation>
    </message>
</context>
<context>
    <name>twbench::Diagnosis</name>
    <message>
        <source>%1 (compose service %2/%3)</source>
        <translation>%1（compose 服务 %2/%3）</translation>
    </message>
    <message>
        <source>container %1</source>
        <translation>容器 %1</translation>
    </message>
    <message>
        <source>port %1 in network namespace %2</source>
        <translation>网络命名空间 %2 中的端口 %1</translation>
    </message>
    <message>
        <source>port %1 of %2</source>
        <translation>%2 的端口 %1</translation>
    </message>
    <message>
        <source>%1 (port %2)</source>
        <translation>%1（端口 %2）</translation>
    </message>
    <message>
        <source>this host</source>
        <translation>该主机</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 fetches a token (%2 %3) %4 times a second, at a steady rate: a loop that should cache it</source>
        <translation>%1 以稳定的速率每秒获取 %4 次令牌（%2 %3）：这是一个本应缓存令牌的循环</translation>
    </message>
    <message>
        <source>%1 calls %2 %3 at a steady %4/s: a program in a loop, not people</source>
        <translation>%1 以稳定的 %4/s 调用 %2 %3：是程序在循环调用，而不是人在操作</translation>
    </message>
    <message>
        <source>For %1 %2 has requested %3 %4 about %5 times a second, and the rate varied by only %6 % from one %7 s bin to the next. People click in bursts with pauses; an even rate for minutes is a program: a loop, a poll, or a retry without back-off. Each request without keep-alive is also a new connection, and its TIME_WAIT.</source>
        <translation>在 %1 内，%2 以每秒约 %5 次的速率请求 %3 %4，且速率在相邻的 %7 秒统计区间之间仅波动 %6 %。人的点击是一阵一阵的，中间会有停顿；数分钟内速率均匀，说明是程序：循环、轮询，或没有退避的重试。每个未使用 keep-alive 的请求还意味着一个新连接，以及随之而来的 TIME_WAIT。</translation>
    </message>
    <message>
        <source>The path is a token or login endpoint: the caller asks for a new token on every call instead of reusing the one it has.</source>
        <translation>该路径是令牌或登录接口：调用方每次调用都申请新令牌，而不是复用已有的令牌。</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Access log</source>
        <translation>访问日志</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>速率</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Steady for</source>
        <translation>持续稳定时长</translation>
    </message>
    <message>
        <source>Variation (standard deviation ÷ mean)</source>
        <translation>波动（标准差 ÷ 均值）</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Cache the token for its lifetime: the token response says how long it is valid (expires_in, in seconds). Keep it until shortly before that and fetch a new one only then, or after a 401, instead of one per request.</source>
        <translation>在令牌有效期内缓存它：令牌响应会给出其有效时长（expires_in，单位为秒）。一直使用到即将过期前，再获取新令牌（或在收到 401 之后获取），而不是每个请求都获取一次。</translation>
    </message>
    <message>
        <source>Find the loop in %1 and make it wait: poll less often, cache the answer, or replace polling with a push; a retry loop needs a back-off.</source>
        <translation>找到 %1 中的循环并让它等待：降低轮询频率、缓存响应结果，或用推送代替轮询；重试循环需要加入退避。</translation>
    </message>
    <message>
        <source>Until the caller is fixed, HTTP keep-alive on its connection saves at least a connection (and a TIME_WAIT) per request.</source>
        <translation>在修复调用方之前，为其连接启用 HTTP keep-alive，每个请求至少可以省下一个连接（以及一个 TIME_WAIT）。</translation>
    </message>
    <message>
        <source>%1 TIME_WAIT means about %2 new connections a second</source>
        <translation>%1 个 TIME_WAIT 意味着每秒约 %2 个新连接</translation>
    </message>
    <message>
        <source>Linux keeps a closed connection in TIME_WAIT for %1 s, so a steady pile of %2 is renewed by about %3 connections closed here every second (%2 ÷ %1 s).</source>
        <translation>Linux 会让已关闭的连接在 TIME_WAIT 中停留 %1 秒，因此稳定堆积的 %2 个 TIME_WAIT 由每秒约 %3 个在此关闭的连接不断补充（%2 ÷ %1 秒）。</translation>
    </message>
    <message>
        <source>TIME_WAIT now</source>
        <translation>当前 TIME_WAIT</translation>
    </message>
    <message>
        <source>Connections a second, from the pile (TIME_WAIT ÷ %1 s)</source>
        <translation>由堆积量推算的每秒连接数（TIME_WAIT ÷ %1 秒）</translation>
    </message>
    <message>
        <source>≈%1/s</source>
        <translation>≈%1/s</translation>
    </message>
    <message>
        <source>The kernel&apos;s counters agree: over the window %1 sockets a second entered TIME_WAIT.</source>
        <translation>内核计数器与此一致：在该时间窗口内，每秒有 %1 个套接字进入 TIME_WAIT。</translation>
    </message>
    <message>
        <source>The kernel&apos;s counters disagree: over the window %1 sockets a second entered TIME_WAIT, so the pile is not steady (draining after a burst, or still growing) and the estimate is off.</source>
        <translation>内核计数器与此不符：在该时间窗口内，每秒有 %1 个套接字进入 TIME_WAIT，说明堆积量并不稳定（突发之后正在回落，或仍在增长），上述估算有偏差。</translation>
    </message>
    <message>
        <source>Entering TIME_WAIT, counted (TcpExt.TW)</source>
        <translation>进入 TIME_WAIT 的计数（TcpExt.TW）</translation>
    </message>
    <message>
        <source>The two agree (within %1 %)</source>
        <translation>两者一致（相差在 %1 % 以内）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No counter series over the window to check it against yet.</source>
        <translation>该时间窗口内还没有可用于核对的计数器序列。</translation>
    </message>
    <message>
        <source>New connections, counted (ActiveOpens + PassiveOpens)</source>
        <translation>新建连接的计数（ActiveOpens + PassiveOpens）</translation>
    </message>
    <message>
        <source>Find who opens them: the connection table grouped by local endpoint, the topology edges with the highest rate, and the findings on who closes and why.</source>
        <translation>找出是谁打开了这些连接：查看按本地端点分组的连接表、速率最高的拓扑边，以及关于谁关闭连接及其原因的发现。</translation>
    </message>
    <message>
        <source>Host CPU</source>
        <translation>主机 CPU</translation>
    </message>
    <message>
        <source>CPU of container %1</source>
        <translation>容器 %1 的 CPU</translation>
    </message>
    <message>
        <source>the new-connection rate</source>
        <translation>新建连接速率</translation>
    </message>
    <message>
        <source>the request rate</source>
        <translation>请求速率</translation>
    </message>
    <message>
        <source>%1 follows the new-connection rate (r = %2): about %3 % per 100 connections a second</source>
        <translation>%1 随新建连接速率起伏（r = %2）：每秒每多 100 个连接约增加 %3 %</translation>
    </message>
    <message>
        <source>%1 follows the request rate (r = %2): about %3 % per 100 requests a second</source>
        <translation>%1 随请求速率起伏（r = %2）：每秒每多 100 个请求约增加 %3 %</translation>
    </message>
    <message>
        <source>Over the window %1 rose and fell with %2: Pearson&apos;s r is %3 over %4 paired points, and a least-squares line gives about %5 % CPU for every 100 a second more. Work done per connection or per request (a handshake, a process or interpreter started per request, a token issued per call) costs CPU in proportion, so fewer connections (keep-alive) or fewer requests (caching) lower the load.</source>
        <translation>在该时间窗口内，%1 随%2同步升降：基于 %4 个配对点的 Pearson 相关系数 r 为 %3，最小二乘拟合表明每秒每多 100 个，CPU 约增加 %5 %。每个连接或每个请求都要做的工作（握手、每个请求启动一个进程或解释器、每次调用签发一个令牌）会按比例消耗 CPU，因此减少连接（keep-alive）或减少请求（缓存）都能降低负载。</translation>
    </message>
    <message>
        <source>Correlation (Pearson&apos;s r)</source>
        <translation>相关系数（Pearson r）</translation>
    </message>
    <message>
        <source>Paired points</source>
        <translation>配对点数</translation>
    </message>
    <message>
        <source>CPU per 100 new connections a second</source>
        <translation>每秒每 100 个新建连接对应的 CPU</translation>
    </message>
    <message>
        <source>CPU per 100 requests a second</source>
        <translation>每秒每 100 个请求对应的 CPU</translation>
    </message>
    <message>
        <source>Mean CPU over the window</source>
        <translation>时间窗口内的平均 CPU</translation>
    </message>
    <message>
        <source>Mean new connections a second</source>
        <translation>平均每秒新建连接数</translation>
    </message>
    <message>
        <source>Mean requests a second</source>
        <translation>平均每秒请求数</translation>
    </message>
    <message>
        <source>Cut what drives it (the polling-loop, server-closes and upstream-no-keepalive findings say where), then check that the CPU falls with the rate.</source>
        <translation>削减驱动它的因素（polling-loop、server-closes 和 upstream-no-keepalive 这几条发现会指出在哪里），然后确认 CPU 随速率一同下降。</translation>
    </message>
    <message numerus="yes">
        <source>port %1 (%Ln addresses)</source>
        <translation>
            <numerusform>端口 %1（%Ln 个地址）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 closes its own connections: %2 TIME_WAIT, %3 % of the host&apos;s</source>
        <translation>%1 主动关闭自己的连接：%2 个 TIME_WAIT，占主机总数的 %3 %</translation>
    </message>
    <message>
        <source>TIME_WAIT on %1</source>
        <translation>%1 上的 TIME_WAIT</translation>
    </message>
    <message>
        <source>Share of the host&apos;s TIME_WAIT</source>
        <translation>占主机 TIME_WAIT 的比例</translation>
    </message>
    <message>
        <source>%1 % of %2</source>
        <translation>%1 %（共 %2 个）</translation>
    </message>
    <message>
        <source>Its connections still open (ESTABLISHED)</source>
        <translation>其仍处于打开状态的连接（ESTABLISHED）</translation>
    </message>
    <message>
        <source>Connections it closes per second (TIME_WAIT ÷ %1 s)</source>
        <translation>其每秒关闭的连接数（TIME_WAIT ÷ %1 秒）</translation>
    </message>
    <message>
        <source>SO_LINGER with a zero timeout is not the fix: it replaces the FIN with a reset, so the socket skips TIME_WAIT, but an answer still in flight can be lost and the caller sees &quot;connection reset&quot;. TIME_WAIT itself is cheap; the cost is a connection per request.</source>
        <translation>把 SO_LINGER 的超时设为 0 并不能解决问题：它会用 RST 代替 FIN，套接字因而跳过 TIME_WAIT，但仍在传输中的响应可能丢失，调用方会看到“connection reset”。TIME_WAIT 本身开销很小，真正的代价是每个请求一个连接。</translation>
    </message>
    <message>
        <source>net.ipv4.tcp_tw_reuse does not help a server: it applies only to connections this host opens, not to the ones it accepts.</source>
        <translation>net.ipv4.tcp_tw_reuse 对服务端没有帮助：它只作用于本机主动发起的连接，不作用于本机接受的连接。</translation>
    </message>
    <message>
        <source>Callers it closes on</source>
        <translation>被它关闭连接的调用方</translation>
    </message>
    <message>
        <source>process %1 (%2)</source>
        <translation>进程 %1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%1 does not close its sockets: %Ln in CLOSE_WAIT</source>
        <translation>
            <numerusform>%1 没有关闭其套接字：%Ln 个处于 CLOSE_WAIT</numerusform>
        </translation>
    </message>
    <message>
        <source>CLOSE_WAIT means the peer has closed its end (its FIN arrived) and the application has not called close() on its own. The kernel never times these out: each holds a file descriptor and buffers until %1 closes it or exits, and they pile up until it runs out of descriptors. %2 of them still have unread data queued.</source>
        <translation>CLOSE_WAIT 表示对端已关闭其一端（其 FIN 已到达），而应用程序尚未对自己这一端调用 close()。内核从不让它们超时：每个都占用一个文件描述符和缓冲区，直到 %1 关闭它或退出；它们会不断堆积，直到文件描述符耗尽。其中 %2 个仍有未读取的数据在排队。</translation>
    </message>
    <message>
        <source>CLOSE_WAIT on %1</source>
        <translation>%1 上的 CLOSE_WAIT</translation>
    </message>
    <message>
        <source>CLOSE_WAIT held by %1</source>
        <translation>%1 持有的 CLOSE_WAIT</translation>
    </message>
    <message>
        <source>Of them with unread data</source>
        <translation>其中有未读数据的</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>对端</translation>
    </message>
    <message numerus="yes">
        <source>%Ln endpoint(s), most often %1</source>
        <translation>
            <numerusform>%Ln 个端点，最常见的是 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Fix the code path in %1 that stops using a connection without closing it: close the socket when a read returns end of file (0 bytes), and in a finally block, defer or destructor on every error path.</source>
        <translation>修复 %1 中不再使用连接却没有关闭它的代码路径：在读操作返回文件结束（0 字节）时关闭套接字，并在每条错误路径上通过 finally 块、defer 或析构函数关闭它。</translation>
    </message>
    <message>
        <source>Check connection pools: a pool that keeps idle connections longer than the server&apos;s keep-alive timeout holds the ones the server closed in CLOSE_WAIT until it uses them. Evict idle connections before the server does, and validate a connection before use.</source>
        <translation>检查连接池：如果连接池保留空闲连接的时间长于服务器的 keep-alive 超时，被服务器关闭的连接会一直处于 CLOSE_WAIT，直到连接池再次使用它们。应赶在服务器之前淘汰空闲连接，并在使用前校验连接。</translation>
    </message>
    <message>
        <source>Restarting %1 clears them only until they pile up again.</source>
        <translation>重启 %1 只能暂时清除它们，之后还会再次堆积。</translation>
    </message>
    <message>
        <source>%1 holds %2 of its %3 local ports towards %4 (%5 %)</source>
        <translation>%1 到 %4 的连接占用了其 %3 个本地端口中的 %2 个（%5 %）</translation>
    </message>
    <message>
        <source>Every connection to one destination (address and port) from one local address needs its own local port, and the port stays taken while the socket is in TIME_WAIT. ip_local_port_range gives %1 ports (%2–%3); when they are used up, connect() fails with EADDRNOTAVAIL (&quot;Cannot assign requested address&quot;) and the caller&apos;s requests fail.</source>
        <translation>从同一个本地地址到同一个目标（地址和端口）的每个连接都需要单独占用一个本地端口，而套接字处于 TIME_WAIT 期间该端口仍被占用。ip_local_port_range 提供 %1 个端口（%2–%3）；端口用尽时，connect() 会以 EADDRNOTAVAIL（“Cannot assign requested address”）失败，调用方的请求也随之失败。</translation>
    </message>
    <message>
        <source>tcp_tw_reuse lets connect() take over a TIME_WAIT port older than a second towards this destination (with TCP timestamps), so the %1 TIME_WAIT among them are less of a risk than the count suggests.</source>
        <translation>tcp_tw_reuse 允许 connect() 接管到该目标的、处于 TIME_WAIT 已超过 1 秒的端口（需启用 TCP 时间戳），因此其中 %1 个 TIME_WAIT 的风险比数量所显示的要小。</translation>
    </message>
    <message>
        <source>Connections from %1 to %2</source>
        <translation>从 %1 到 %2 的连接</translation>
    </message>
    <message>
        <source>Of them in TIME_WAIT</source>
        <translation>其中处于 TIME_WAIT 的</translation>
    </message>
    <message>
        <source>Local port range (ip_local_port_range)</source>
        <translation>本地端口范围（ip_local_port_range）</translation>
    </message>
    <message>
        <source>%1–%2: %3 ports</source>
        <translation>%1–%2：%3 个端口</translation>
    </message>
    <message>
        <source>Share of the range in use</source>
        <translation>端口范围已用比例</translation>
    </message>
    <message>
        <source>Reuse connections to %1 (HTTP keep-alive, a connection pool) instead of opening one per request: that removes the TIME_WAIT at its source.</source>
        <translation>复用到 %1 的连接（HTTP keep-alive、连接池），而不是每个请求新建一个连接：这样可以从源头上消除 TIME_WAIT。</translation>
    </message>
    <message>
        <source>For room meanwhile: a wider net.ipv4.ip_local_port_range (clear of the ports this host listens on), more destination addresses or ports, and net.ipv4.tcp_tw_reuse = 1, which lets outgoing connections reuse TIME_WAIT ports safely when TCP timestamps are on. Not SO_LINGER 0, not tcp_tw_recycle (removed from Linux in 4.12).</source>
        <translation>在此期间腾出余量的办法：扩大 net.ipv4.ip_local_port_range（避开本机监听的端口），增加目标地址或端口，以及设置 net.ipv4.tcp_tw_reuse = 1，在启用 TCP 时间戳时让主动发起的连接安全地复用 TIME_WAIT 端口。不要用 SO_LINGER 0，也不要用 tcp_tw_recycle（已在 Linux 4.12 中移除）。</translation>
    </message>
    <message>
        <source>TIME_WAIT fills %1 % of tcp_max_tw_buckets (%2 of %3)</source>
        <translation>TIME_WAIT 已占用 tcp_max_tw_buckets 的 %1 %（%2 / %3）</translation>
    </message>
    <message>
        <source>The kernel keeps at most tcp_max_tw_buckets sockets in TIME_WAIT. Beyond that it closes a connection without TIME_WAIT and logs &quot;TCP: time wait bucket table overflow&quot;: a late segment of the old connection can then be taken into a new one with the same addresses and ports. TCPTimeWaitOverflow counts these since boot.</source>
        <translation>内核最多让 tcp_max_tw_buckets 个套接字处于 TIME_WAIT。超出后，它会直接关闭连接而不经过 TIME_WAIT，并记录日志“TCP: time wait bucket table overflow”：此时旧连接迟到的报文段可能被误收进地址和端口都相同的新连接。TCPTimeWaitOverflow 统计了自启动以来发生这种情况的次数。</translation>
    </message>
    <message>
        <source>Share of the table in use</source>
        <translation>表的已用比例</translation>
    </message>
    <message>
        <source>Cut the churn that fills the table: keep-alive between the services that open a connection per request (see the other findings).</source>
        <translation>减少填满该表的连接新建与回收：在每个请求都新建连接的服务之间启用 keep-alive（见其他发现）。</translation>
    </message>
    <message>
        <source>Meanwhile a larger net.ipv4.tcp_max_tw_buckets gives room: a TIME_WAIT socket costs well under a kilobyte.</source>
        <translation>在此期间，调大 net.ipv4.tcp_max_tw_buckets 可以腾出余量：一个 TIME_WAIT 套接字占用的内存远不到 1 KB。</translation>
    </message>
    <message>
        <source>%1 opens a new connection to %2 for every request: %3 TIME_WAIT, %4 ESTABLISHED</source>
        <translation>%1 每个请求都新建一个到 %2 的连接：%3 个 TIME_WAIT，%4 个 ESTABLISHED</translation>
    </message>
    <message>
        <source>%1 has callers of its own and passes their requests on to %2: it is a proxy. Its connections to %2 are almost all in TIME_WAIT (%3, against %4 open), so it does not keep them for the next request but opens and closes one each time, about %5 a second. nginx does exactly that by default: it talks HTTP/1.0 to upstreams and sends &quot;Connection: close&quot;.</source>
        <translation>%1 自己有调用方，并把它们的请求转发给 %2：它是一个代理。它到 %2 的连接几乎全部处于 TIME_WAIT（%3 个，而打开的只有 %4 个），说明它没有为下一个请求保留连接，而是每次都新建并关闭一个，约每秒 %5 个。nginx 默认正是如此：它与上游之间使用 HTTP/1.0，并发送“Connection: close”。</translation>
    </message>
    <message>
        <source>Upstream edge</source>
        <translation>上游拓扑边</translation>
    </message>
    <message>
        <source>%1 → %2 (%3)</source>
        <translation>%1 → %2（%3）</translation>
    </message>
    <message>
        <source>TIME_WAIT on it</source>
        <translation>该边上的 TIME_WAIT</translation>
    </message>
    <message>
        <source>ESTABLISHED on it</source>
        <translation>该边上的 ESTABLISHED</translation>
    </message>
    <message>
        <source>New upstream connections per second (TIME_WAIT ÷ %1 s)</source>
        <translation>每秒新建上游连接数（TIME_WAIT ÷ %1 秒）</translation>
    </message>
    <message>
        <source>Requests per second through %1 (access log)</source>
        <translation>经过 %1 的每秒请求数（访问日志）</translation>
    </message>
    <message>
        <source>New upstream connections per request</source>
        <translation>每个请求新建的上游连接数</translation>
    </message>
    <message>
        <source>Keep idle upstream connections open in %1 and reuse them. In nginx: a keepalive pool in the upstream block, and HTTP/1.1 without the &quot;Connection: close&quot; header in every location that proxies to it:</source>
        <translation>在 %1 中保持空闲的上游连接并复用它们。对于 nginx：在 upstream 块中配置 keepalive 连接池，并在每个代理到它的 location 中使用 HTTP/1.1、不发送“Connection: close”头：</translation>
    </message>
    <message>
        <source>%1 has to keep the connection open as well (HTTP/1.1 keep-alive on, no &quot;Connection: close&quot; in its answers, an idle timeout longer than nginx&apos;s keepalive_timeout in the upstream block); otherwise it still closes after every answer.</source>
        <translation>%1 也必须保持连接打开（开启 HTTP/1.1 keep-alive，响应中不带“Connection: close”，空闲超时长于 nginx upstream 块中的 keepalive_timeout）；否则它仍会在每次响应后关闭连接。</translation>
    </message>
    <message>
        <source>keepalive N is the number of idle connections each nginx worker keeps, not a limit: size it to the requests in flight towards the upstream. Other proxies have the same switch: reuse of idle upstream connections.</source>
        <translation>keepalive N 是每个 nginx worker 保留的空闲连接数，而不是连接数上限：请按发往该上游的并发请求数来设置。其他代理也有同样的开关：复用空闲的上游连接。</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %Ln more</source>
        <translation>
            <numerusform>%1，另有 %Ln 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 is called by containers on this host through the %2 gateway: %Ln connection(s)</source>
        <translation>
            <numerusform>本机容器经 %2 网关调用 %1：%Ln 个连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Every one of these connections comes from %1, the gateway of docker network %2. A container on this same host that calls a published port (the host&apos;s address rather than %3&apos;s own on the network) goes out and back in through it, translated to the gateway&apos;s address, and so does a host process that reaches a published port through docker-proxy: the real caller is hidden behind the gateway.</source>
        <translation>这些连接全部来自 %1，即 docker 网络 %2 的网关。同一主机上的容器如果调用的是发布端口（用的是主机地址，而不是 %3 在该网络上自己的地址），连接会经网关出去再进来，源地址被转换为网关地址；通过 docker-proxy 访问发布端口的主机进程也是如此：真正的调用方被隐藏在网关之后。</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>%1 (network %2)</source>
        <translation>%1（网络 %2）</translation>
    </message>
    <message>
        <source>Connections from it</source>
        <translation>来自它的连接</translation>
    </message>
    <message>
        <source>Containers on %1 that could be the caller</source>
        <translation>%1 上可能是调用方的容器</translation>
    </message>
    <message>
        <source>Find the caller among %1: read their sockets (run twbench as root or with sudo -n, so it reads every container&apos;s namespace), or look at %2&apos;s access log for the path and user agent the gateway&apos;s requests carry.</source>
        <translation>在 %1 中找出调用方：读取它们的套接字（以 root 身份或通过 sudo -n 运行 twbench，使其能读取每个容器的命名空间），或在 %2 的访问日志中查看来自网关的请求所带的路径和 User-Agent。</translation>
    </message>
    <message>
        <source>Find the caller: no running container on %1 is known, so look at the host&apos;s own processes (docker-proxy) and at %2&apos;s access log.</source>
        <translation>找出调用方：%1 上没有已知的运行中容器，因此请查看主机自身的进程（docker-proxy）以及 %2 的访问日志。</translation>
    </message>
    <message>
        <source>Let containers call %1 over the docker network, by its service name and container port, instead of through the host&apos;s published port: no NAT on the way, and the caller shows up as itself.</source>
        <translation>让容器通过 docker 网络、用服务名和容器端口调用 %1，而不是经由主机的发布端口：这样途中没有 NAT，调用方会以自己的身份出现。</translation>
    </message>
    <message numerus="yes">
        <source>The kernel is dropping TIME_WAIT sockets: the TIME_WAIT table overflowed %Ln time(s) while watched</source>
        <translation>
            <numerusform>内核正在丢弃 TIME_WAIT 套接字：监视期间 TIME_WAIT 表已溢出 %Ln 次</numerusform>
        </translation>
    </message>
    <message>
        <source>Overflows while watched</source>
        <translation>监视期间的溢出次数</translation>
    </message>
    <message>
        <source>TcpExt.TCPTimeWaitOverflow since boot</source>
        <translation>自启动以来的 TcpExt.TCPTimeWaitOverflow</translation>
    </message>
    <message>
        <source>Whichever end of a TCP connection closes first keeps it in TIME_WAIT for %1 s. These %2 sockets are on %3, where %4 listens: they are the server side of its connections, so it ends each connection itself, typically right after answering. Every request then costs its caller a new connection (about %5 a second here), and the pile is renewed as fast as the kernel reclaims it.</source>
        <translation>TCP 连接中先关闭的一端会让连接在 TIME_WAIT 中停留 %1 秒。这 %2 个套接字位于 %3，%4 在此监听：它们是其连接的服务端一侧，说明它自己结束每个连接，通常在应答后立即关闭。于是每个请求都让调用方新建一个连接（此处约每秒 %5 个），内核回收多快，这堆 TIME_WAIT 就补充多快。</translation>
    </message>
    <message>
        <source>Let the callers close, or better, keep the connections open: enable HTTP keep-alive between %1 and its callers (HTTP/1.1 without &quot;Connection: close&quot;, a keep-alive timeout longer than the callers&apos; pause between requests; behind a proxy, also the proxy&apos;s upstream keep-alive), so one connection carries many requests.</source>
        <translation>让调用方来关闭连接，更好的是保持连接：在 %1 与其调用方之间启用 HTTP keep-alive（HTTP/1.1 且不带“Connection: close”，keep-alive 超时长于调用方两次请求之间的间隔；若经过代理，还要开启代理的上游 keep-alive），让一个连接承载多个请求。</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <comment>callers</comment>
        <translation>
            <numerusform>以及另外 %n 个</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::DockerInventory</name>
    <message>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>%1: unexpected value &quot;%2&quot;</source>
        <translation>%1：意外的值“%2”</translation>
    </message>
    <message>
        <source>%1 is not %2</source>
        <translation>%1 不是%2</translation>
    </message>
    <message>
        <source>%1 did not answer: %2</source>
        <translation>%1 没有响应：%2</translation>
    </message>
    <message>
        <source>%1 printed no valid JSON: %2 at byte %3</source>
        <translation>%1 输出的不是有效的 JSON：%2（位于第 %3 字节）</translation>
    </message>
    <message>
        <source>%1 printed JSON that is not a list</source>
        <translation>%1 输出的 JSON 不是列表</translation>
    </message>
    <message>
        <source>no container Id</source>
        <translation>缺少容器 Id</translation>
    </message>
    <message>
        <source>NetworkSettings.Networks.%1 is not an object</source>
        <translation>NetworkSettings.Networks.%1 不是对象</translation>
    </message>
    <message>
        <source>an alias of network %1 is not a string</source>
        <translation>网络 %1 的某个别名不是字符串</translation>
    </message>
    <message>
        <source>a binding of port %1 is not an object</source>
        <translation>端口 %1 的某个绑定不是对象</translation>
    </message>
    <message>
        <source>a network without a name or Id</source>
        <translation>某个网络既没有名称也没有 Id</translation>
    </message>
    <message>
        <source>an IPAM entry is not an object</source>
        <translation>某个 IPAM 条目不是对象</translation>
    </message>
    <message>
        <source>an element is not an object</source>
        <translation>某个元素不是对象</translation>
    </message>
    <message>
        <source>The docker command was not found on this host, so containers are not shown. If docker or podman is installed elsewhere, set the host&apos;s &quot;docker command&quot; to its full path (or to &quot;podman&quot;).</source>
        <translation>此主机上找不到 docker 命令，因此不显示容器。如果 docker 或 podman 安装在其他位置，请将该主机的“Docker 命令”设为其完整路径（或设为“podman”）。</translation>
    </message>
    <message>
        <source>This account may not use the Docker daemon&apos;s socket, so containers are not shown. Add the account to the docker group (&quot;sudo usermod -aG docker USER&quot;, then connect again), or set the host&apos;s &quot;docker command&quot; to &quot;sudo -n docker&quot; with a sudoers rule that lets this account run docker without a password.</source>
        <translation>此账户无权使用 Docker 守护进程的套接字，因此不显示容器。请将该账户加入 docker 组（“sudo usermod -aG docker USER”，然后重新连接），或将该主机的“Docker 命令”设为“sudo -n docker”，并添加允许此账户免密码运行 docker 的 sudoers 规则。</translation>
    </message>
    <message>
        <source>The Docker daemon is not running on this host (or listens on another socket), so containers are not shown. Start it (&quot;systemctl start docker&quot;), or set the host&apos;s &quot;docker command&quot; to use the right context or host.</source>
        <translation>此主机上的 Docker 守护进程未运行（或监听在其他套接字上），因此不显示容器。请启动它（“systemctl start docker”），或在该主机的“Docker 命令”中指定正确的 context 或 host。</translation>
    </message>
    <message>
        <source>sudo asks for a password to run docker, and twbench never types one. Allow this account to run docker without a password (a NOPASSWD sudoers rule), or add it to the docker group and set the host&apos;s &quot;docker command&quot; to &quot;docker&quot;.</source>
        <translation>sudo 运行 docker 时要求输入密码，而 twbench 从不代为输入密码。请允许此账户免密码运行 docker（sudoers 中的 NOPASSWD 规则），或将其加入 docker 组，并把该主机的“Docker 命令”设为“docker”。</translation>
    </message>
    <message>
        <source>expected &quot;&lt;container id&gt; &lt;pid&gt; &lt;netns inode&gt;&quot;</source>
        <translation>应为“&lt;container id&gt; &lt;pid&gt; &lt;netns inode&gt;”格式</translation>
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
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
</context>
<context>
    <name>twbench::ExportActions</name>
    <message>
        <source>&amp;Export View…</source>
        <translation>导出视图(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the current view as PNG, SVG or PDF (a table also as CSV), with the hosts and time range under it</source>
        <translation>将当前视图保存为 PNG、SVG 或 PDF（表还可保存为 CSV），并在下方附上主机和时间范围</translation>
    </message>
    <message>
        <source>&amp;Copy View as Image</source>
        <translation>将视图复制为图像(&amp;C)</translation>
    </message>
    <message>
        <source>Put the current view on the clipboard as an image (a table also as CSV text)</source>
        <translation>将当前视图作为图像放到剪贴板（表还会附带 CSV 文本）</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>There is no view to export here.</source>
        <translation>此处没有可导出的视图。</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>twbench::Finding</name>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>twbench::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
</context>
<context>
    <name>twbench::FindingsView</name>
    <message>
        <source>This workstation</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Show the &amp;connections</source>
        <translation>显示连接(&amp;C)</translation>
    </message>
    <message>
        <source>Open the connection table filtered to this finding&apos;s sockets</source>
        <translation>打开连接表，只显示此发现涉及的套接字</translation>
    </message>
    <message>
        <source>&amp;Findings</source>
        <translation>发现(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Findings (%1)</source>
        <translation>发现（%1）(&amp;F)</translation>
    </message>
    <message>
        <source>No findings: nothing the rules look for (a service that closes its own connections, a proxy without upstream keep-alive, a polling loop, CLOSE_WAIT piling up, port or TIME_WAIT limits near) shows on the watched hosts right now. The rules run again with every socket table.</source>
        <translation>没有发现：受监视的主机上目前没有出现规则所检查的任何情况（服务自己关闭连接、代理未启用上游 keep-alive、轮询循环、CLOSE_WAIT 堆积、端口或 TIME_WAIT 接近上限）。每次收到套接字表后，规则都会重新运行。</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>Rule: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <source>Critical: %1 · Warning: %2 · Info: %3. Select a finding to see its evidence here, in the graph and on the charts.</source>
        <translation>严重：%1 · 警告：%2 · 提示：%3。选中一条发现，即可在此处、拓扑图和图表中查看其证据。</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现</translation>
    </message>
</context>
<context>
    <name>twbench::Fleet</name>
    <message>
        <source>No SSH host with the id &quot;%1&quot;.</source>
        <translation>没有 ID 为“%1”的 SSH 主机。</translation>
    </message>
</context>
<context>
    <name>twbench::GraphLayout</name>
    <message>
        <source>Graphviz could not start (no layout plugins found).</source>
        <translation>Graphviz 无法启动（未找到布局插件）。</translation>
    </message>
    <message>
        <source>Graphviz did not accept the graph.</source>
        <translation>Graphviz 不接受该图。</translation>
    </message>
    <message>
        <source>Graphviz&apos;s dot layout failed.</source>
        <translation>Graphviz 的 dot 布局失败。</translation>
    </message>
    <message>
        <source>Graphviz&apos;s layout could not be read back.</source>
        <translation>无法读回 Graphviz 的布局结果。</translation>
    </message>
</context>
<context>
    <name>twbench::GroupCodec</name>
    <message>
        <source>the grouped table has an unknown format</source>
        <translation>分组表的格式未知</translation>
    </message>
    <message>
        <source>the grouped table is damaged (%1)</source>
        <translation>分组表已损坏（%1）</translation>
    </message>
    <message>
        <source>the grouped table is damaged or cut short</source>
        <translation>分组表已损坏或被截断</translation>
    </message>
</context>
<context>
    <name>twbench::HostDialog</name>
    <message>
        <source>Add host</source>
        <translation>添加主机</translation>
    </message>
    <message>
        <source>Duplicate host</source>
        <translation>复制主机</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1（副本）</translation>
    </message>
    <message>
        <source>Edit host</source>
        <translation>编辑主机</translation>
    </message>
    <message>
        <source>as the hosts list shows it</source>
        <translation>在主机列表中显示的名称</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>host name or IP address</source>
        <translation>主机名或 IP 地址</translation>
    </message>
    <message>
        <source>the local user name</source>
        <translation>默认为本地用户名</translation>
    </message>
    <message>
        <source>SSH agent</source>
        <translation>SSH 代理（ssh-agent）</translation>
    </message>
    <message>
        <source>Identity file</source>
        <translation>私钥文件</translation>
    </message>
    <message>
        <source>Password or keyboard-interactive</source>
        <translation>密码或键盘交互（keyboard-interactive）</translation>
    </message>
    <message>
        <source>~/.ssh/id_ed25519</source>
        <translation>~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>[user@]host[:port], empty for a direct connection</source>
        <translation>[user@]host[:port]，留空表示直连</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Run on this workstation to reach the host, as in ~/.ssh/config; %h and %p stand for the host and port.</source>
        <translation>在本机上运行以连接该主机，同 ~/.ssh/config 中的 ProxyCommand；%h 和 %p 分别代表主机和端口。</translation>
    </message>
    <message>
        <source>Remember the password in the system &amp;keychain</source>
        <translation>在系统密钥环中记住密码(&amp;K)</translation>
    </message>
    <message>
        <source>The password is kept in the system keychain (Secret Service), never in a file, and saved only after a successful login. Turning this off deletes the stored password.</source>
        <translation>密码保存在系统密钥环（Secret Service）中，绝不写入文件，且仅在登录成功后保存。关闭此项会删除已保存的密码。</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>登录方式(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Identity file:</source>
        <translation>私钥文件(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Jump host:</source>
        <translation>跳板机(&amp;J)：</translation>
    </message>
    <message>
        <source>Pro&amp;xy command:</source>
        <translation>代理命令(&amp;X)：</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>采集</translation>
    </message>
    <message>
        <source>Use &quot;&amp;sudo -n&quot; for root-only data (container sockets)</source>
        <translation>使用“sudo -n”读取需要 root 权限的数据（容器套接字）(&amp;S)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>TIME_WAIT, connection and CPU counters: cheap, read often.</source>
        <translation>TIME_WAIT、连接和 CPU 计数器：开销小，可频繁读取。</translation>
    </message>
    <message>
        <source>The whole socket table: costs kernel time on busy hosts; the probe stretches it when the table is large.</source>
        <translation>完整的套接字表：在繁忙的主机上会消耗内核时间；表很大时探针会自动拉长间隔。</translation>
    </message>
    <message>
        <source>&amp;Docker command:</source>
        <translation>Docker 命令(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Counters every:</source>
        <translation>计数器采集间隔(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Table every:</source>
        <translation>套接字表采集间隔(&amp;T)：</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>required: ~/.ssh/id_ed25519</source>
        <translation>必填：~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Choose the private key</source>
        <translation>选择私钥</translation>
    </message>
    <message>
        <source>Access logs</source>
        <translation>访问日志</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>File path or container</source>
        <translation>文件路径或容器</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Followed with tail -F (survives log rotation) or docker logs -f, beside the probe. Formats: combined and common (nginx, Apache), or regex:PATTERN with named groups client, method, path or request, status and time.</source>
        <translation>与探针一同运行，用 tail -F（日志轮转后仍能继续）或 docker logs -f 跟踪。格式：combined 和 common（nginx、Apache），或 regex:模式，使用命名分组 client、method、path 或 request、status 和 time。</translation>
    </message>
    <message>
        <source>Add &amp;log file</source>
        <translation>添加日志文件(&amp;L)</translation>
    </message>
    <message>
        <source>Add c&amp;ontainer log</source>
        <translation>添加容器日志(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>The log file&apos;s absolute path on the host</source>
        <translation>日志文件在主机上的绝对路径</translation>
    </message>
    <message>
        <source>The container&apos;s name or id, as docker ps shows it</source>
        <translation>容器名称或 ID，与 docker ps 显示的一致</translation>
    </message>
    <message>
        <source>Access log %1: %2</source>
        <translation>访问日志 %1：%2</translation>
    </message>
</context>
<context>
    <name>twbench::HostKeyDialog</name>
    <message>
        <source>twbench has not seen the keys of these hosts before. Compare each fingerprint with one you got another way (the server&apos;s console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before you trust it.</source>
        <translation>twbench 以前没有见过这些主机的密钥。信任之前，请将每个指纹与通过其他途径获得的指纹进行比对（在服务器控制台上执行：ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub）。</translation>
    </message>
    <message>
        <source>Selected host</source>
        <translation>所选主机</translation>
    </message>
    <message>
        <source>paste the fingerprint you expect (SHA256:…)</source>
        <translation>粘贴预期的指纹（SHA256:…）</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>指纹：</translation>
    </message>
    <message>
        <source>&amp;Expected:</source>
        <translation>预期指纹(&amp;E)：</translation>
    </message>
    <message>
        <source>Saved to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Connect &amp;once</source>
        <translation>仅本次连接(&amp;O)</translation>
    </message>
    <message>
        <source>Connect the selected hosts this time; ask again next time.</source>
        <translation>本次连接所选主机；下次仍会询问。</translation>
    </message>
    <message>
        <source>&amp;Trust and save</source>
        <translation>信任并保存(&amp;T)</translation>
    </message>
    <message>
        <source>Add the selected hosts&apos; keys to your known_hosts file, then connect.</source>
        <translation>将所选主机的密钥添加到 known_hosts 文件，然后连接。</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Do not connect to the selected hosts.</source>
        <translation>不连接所选主机。</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>%1, port %2</source>
        <translation>%1，端口 %2</translation>
    </message>
    <message>
        <source>%1, %2 bits</source>
        <translation>%1，%2 位</translation>
    </message>
    <message>
        <source>your known_hosts file</source>
        <translation>您的 known_hosts 文件</translation>
    </message>
    <message>
        <source>Paste a fingerprint to compare it with the one shown.</source>
        <translation>粘贴一个指纹，与上面显示的指纹进行比对。</translation>
    </message>
    <message>
        <source>✓ Match: the fingerprints are the same.</source>
        <translation>✓ 匹配：指纹一致。</translation>
    </message>
    <message>
        <source>✗ No match: this is not the key you expect. Do not trust it.</source>
        <translation>✗ 不匹配：这不是预期的密钥。请勿信任。</translation>
    </message>
    <message numerus="yes">
        <source>Unknown host keys (%n)</source>
        <translation>
            <numerusform>未知的主机密钥（%n）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::HostKeyQuestionModel</name>
    <message>
        <source>%1 port %2</source>
        <translation>%1 端口 %2</translation>
    </message>
    <message>
        <source>%1 (%2 bits)</source>
        <translation>%1（%2 位）</translation>
    </message>
    <message>
        <source>not compared</source>
        <translation>未比对</translation>
    </message>
    <message>
        <source>✓ matches</source>
        <translation>✓ 匹配</translation>
    </message>
    <message>
        <source>✗ does not match</source>
        <translation>✗ 不匹配</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Key type</source>
        <translation>密钥类型</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期指纹</translation>
    </message>
</context>
<context>
    <name>twbench::HostKeyRefusalDialog</name>
    <message>
        <source>WARNING: REVOKED HOST KEY DETECTED!</source>
        <translation>WARNING: REVOKED HOST KEY DETECTED! 警告：检测到已吊销的主机密钥！</translation>
    </message>
    <message>
        <source>The %1 host key for %2 is marked as revoked.
This could mean that a stolen key is being used to impersonate this host.
</source>
        <translation>%2 的 %1 主机密钥已被标记为吊销。
这可能意味着有人正在使用被盗的密钥冒充该主机。
</translation>
    </message>
    <message>
        <source>The fingerprint for the %1 key sent by the remote host is
%2.
</source>
        <translation>远程主机发送的 %1 密钥指纹为：
%2
</translation>
    </message>
    <message>
        <source>Revoked in %1
</source>
        <translation>吊销记录位于 %1
</translation>
    </message>
    <message>
        <source>WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!</source>
        <translation>WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! 警告：远程主机标识已更改！</translation>
    </message>
    <message>
        <source>The host %1 sent an %2 key, but known_hosts holds only keys of other types for it.
Someone could be eavesdropping on you right now (man-in-the-middle attack)!
</source>
        <translation>主机 %1 发送了 %2 密钥，但 known_hosts 中只有该主机其他类型的密钥。
可能有人正在窃听您的通信（中间人攻击）！
</translation>
    </message>
    <message>
        <source>Known key in %1
</source>
        <translation>已知密钥位于 %1
</translation>
    </message>
    <message>
        <source>IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Someone could be eavesdropping on you right now (man-in-the-middle attack)!
It is also possible that a host key has just been changed.
</source>
        <translation>IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
可能有人正在进行恶意操作！
可能有人正在窃听您的通信（中间人攻击）！
也可能是主机密钥刚刚更换过。
</translation>
    </message>
    <message>
        <source>Offending %1 key in %2
</source>
        <translation>冲突的 %1 密钥位于 %2
</translation>
    </message>
    <message>
        <source>Host key verification failed.</source>
        <translation>Host key verification failed. 主机密钥验证失败。</translation>
    </message>
    <message>
        <source>Host key refused: %1</source>
        <translation>已拒绝主机密钥：%1</translation>
    </message>
    <message>
        <source>twbench did not connect: the server&apos;s key does not match the one on record.</source>
        <translation>twbench 未连接：服务器的密钥与记录中的不一致。</translation>
    </message>
    <message>
        <source>If you know why the key changed (the server was reinstalled, its keys were rotated), confirm the new fingerprint with its administrator, then use Hosts → Forget host key… to remove the old lines from known_hosts and connect again.</source>
        <translation>如果清楚密钥变更的原因（服务器重装、密钥轮换），请先与其管理员确认新的指纹，然后通过“主机 → 忘记主机密钥…”从 known_hosts 中删除旧条目，再重新连接。</translation>
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
    <message>
        <source>The log %1 cannot be followed: %2</source>
        <translation>无法跟踪日志 %1：%2</translation>
    </message>
    <message>
        <source>The follower of %1 says: %2</source>
        <translation>%1 的跟踪进程报告：%2</translation>
    </message>
    <message>
        <source>The log %1 could not be followed yet.</source>
        <translation>暂时还无法跟踪日志 %1。</translation>
    </message>
    <message>
        <source>This kind of host cannot follow logs.</source>
        <translation>此类主机无法跟踪日志。</translation>
    </message>
</context>
<context>
    <name>twbench::ImportHostModel</name>
    <message>
        <source>%1 via %2</source>
        <translation>%1，经由 %2</translation>
    </message>
    <message>
        <source>%1 via a proxy command</source>
        <translation>%1，经由代理命令</translation>
    </message>
    <message>
        <source>%1, key %2</source>
        <translation>%1，密钥 %2</translation>
    </message>
    <message>
        <source>%1 — %2 (already in the list)</source>
        <translation>%1 — %2（已在列表中）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>twbench::KeychainVault</name>
    <message>
        <source>No system keychain is available (no Secret Service is running).</source>
        <translation>没有可用的系统密钥环（Secret Service 未运行）。</translation>
    </message>
    <message>
        <source>The system keychain is locked or refused access.</source>
        <translation>系统密钥环已锁定或拒绝访问。</translation>
    </message>
    <message>
        <source>The system keychain could not be used: %1</source>
        <translation>无法使用系统密钥环：%1</translation>
    </message>
    <message numerus="yes">
        <source>The system keychain did not answer within %n second(s).</source>
        <translation>
            <numerusform>系统密钥环在 %n 秒内没有响应。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::Language</name>
    <message>
        <source>&amp;System language</source>
        <translation>跟随系统(&amp;S)</translation>
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
    <message>
        <source>Could not start %1 to follow %2: %3</source>
        <translation>无法启动 %1 来跟踪 %2：%3</translation>
    </message>
    <message>
        <source>The follower of %1 was killed.</source>
        <translation>%1 的跟踪进程被终止。</translation>
    </message>
    <message>
        <source>The follower of %1 exited with status %2.</source>
        <translation>%1 的跟踪进程已退出，退出码 %2。</translation>
    </message>
    <message>
        <source>Its last message: %1</source>
        <translation>最后一条消息：%1</translation>
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
    <message>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <source>Keychain, %1: %2</source>
        <translation>系统密钥环（%1）：%2</translation>
    </message>
    <message>
        <source>&amp;Add host…</source>
        <translation>添加主机(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>D&amp;uplicate…</source>
        <translation>复制(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Import from ~/.ssh/config…</source>
        <translation>从 ~/.ssh/config 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Forget host key…</source>
        <translation>忘记主机密钥(&amp;F)…</translation>
    </message>
    <message>
        <source>Remove this host&apos;s lines from known_hosts, after its key changed for a known reason.</source>
        <translation>主机密钥因已知原因变更后，从 known_hosts 中删除该主机的条目。</translation>
    </message>
    <message>
        <source>Host %1 removed.</source>
        <translation>已移除主机 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%n host(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 台主机。</numerusform>
        </translation>
    </message>
    <message>
        <source>Forget host key</source>
        <translation>忘记主机密钥</translation>
    </message>
    <message>
        <source>Forget the host key of %1?</source>
        <translation>忘记 %1 的主机密钥？</translation>
    </message>
    <message>
        <source>This removes the lines for %1 from %2, as &quot;ssh-keygen -R&quot; does. The next connection shows the server&apos;s key and asks you to trust it again.

Do this only when you know why the key changed (the server was reinstalled or its keys were rotated) and have the new fingerprint from its administrator.</source>
        <translation>此操作会像“ssh-keygen -R”一样，从 %2 中删除 %1 的条目。下次连接时会显示服务器的密钥，并再次询问是否信任。

请仅在清楚密钥变更的原因（服务器重装或密钥轮换）、并已从其管理员处获得新指纹时执行此操作。</translation>
    </message>
    <message>
        <source>&amp;Forget host key</source>
        <translation>忘记主机密钥(&amp;F)</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n name(s) of %1 from known_hosts.</source>
        <translation>
            <numerusform>已从 known_hosts 中删除 %1 的 %n 个名称。</numerusform>
        </translation>
    </message>
    <message>
        <source>Lines %1 still match it through a wildcard; edit them by hand.</source>
        <translation>第 %1 行仍通过通配符匹配该主机，请手动编辑。</translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation>拓扑(&amp;T)</translation>
    </message>
    <message>
        <source>H&amp;osts</source>
        <translation>主机(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message numerus="yes">
        <source>%Ln socket(s) in the last table</source>
        <translation>
            <numerusform>最近一张套接字表中有 %Ln 个套接字</numerusform>
        </translation>
    </message>
    <message>
        <source>C&amp;allers</source>
        <translation>调用方(&amp;A)</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Open &amp;sample investigation</source>
        <translation>打开示例排查记录(&amp;S)</translation>
    </message>
    <message>
        <source>Sample #%1 at %2</source>
        <translation>采样 #%1，时间 %2</translation>
    </message>
    <message>
        <source>&amp;Open capture…</source>
        <translation>打开采集文件(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Callers</source>
        <translation>调用方</translation>
    </message>
    <message>
        <source>Export &amp;report…</source>
        <translation>导出报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Re&amp;dact addresses and host names in reports</source>
        <translation>在报告中对地址和主机名脱敏(&amp;D)</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <source>%1 copied to the clipboard.</source>
        <translation>%1 已复制到剪贴板。</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>table of %1</source>
        <translation>%1 的表</translation>
    </message>
    <message>
        <source>Nothing is recorded: there is nothing to report.</source>
        <translation>尚未录制任何内容：没有可生成报告的数据。</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;HTML (*.html)</source>
        <translation>PDF (*.pdf);;HTML (*.html)</translation>
    </message>
    <message>
        <source>Building the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Report written to %1.</source>
        <translation>报告已写入 %1。</translation>
    </message>
    <message>
        <source>The report was not written.</source>
        <translation>报告未写入。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The investigation was not saved to %1.</source>
        <translation>排查记录未保存到 %1。</translation>
    </message>
    <message>
        <source>Recording stopped: %1</source>
        <translation>录制已停止：%1</translation>
    </message>
    <message>
        <source>%1 (recorded) — twbench</source>
        <translation>%1（已录制） — twbench</translation>
    </message>
    <message>
        <source>Untitled investigation</source>
        <translation>未命名排查记录</translation>
    </message>
    <message>
        <source>%1[*] — twbench</source>
        <translation>%1[*] — twbench</translation>
    </message>
    <message>
        <source>Open capture</source>
        <translation>打开采集文件</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>%1 cannot be opened.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <source>The sample investigation could not be copied to %1.</source>
        <translation>无法将示例排查记录复制到 %1。</translation>
    </message>
    <message>
        <source>twbench is watching this workstation. To see a whole investigation, open the sample: an API behind nginx piling up TIME_WAIT, recorded in the lab.</source>
        <translation>twbench 正在监视本机。要查看一次完整的排查，请打开示例排查记录：一个位于 nginx 之后的 API 不断堆积 TIME_WAIT，在实验环境中录制。</translation>
    </message>
    <message>
        <source>Open sample investigation</source>
        <translation>打开示例排查记录</translation>
    </message>
    <message>
        <source>twbench did not close normally on %1. What it recorded until then is kept.</source>
        <translation>twbench 在 %1 未正常关闭。此前录制的内容已保留。</translation>
    </message>
    <message>
        <source>Open that recording</source>
        <translation>打开该录制</translation>
    </message>
    <message>
        <source>Save investigation</source>
        <translation>保存排查记录</translation>
    </message>
    <message>
        <source>Quit twbench</source>
        <translation>退出 twbench</translation>
    </message>
    <message>
        <source>Save the investigation before quitting?</source>
        <translation>退出前是否保存排查记录？</translation>
    </message>
    <message>
        <source>What was recorded since the last save is lost otherwise.</source>
        <translation>否则，自上次保存以来录制的内容将会丢失。</translation>
    </message>
    <message>
        <source>No recent captures</source>
        <translation>没有最近的采集文件</translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>Could not read the capture: %1</source>
        <translation>无法读取采集文件：%1</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>Drag to show the tables and the graph as they were then (← → one second, Page Up/Down ten)</source>
        <translation>拖动滑块，查看表和拓扑图在当时的状态（← → 每次一秒，Page Up/Down 每次十秒）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开头</translation>
    </message>
    <message>
        <source>The capture&apos;s first moment (Home)</source>
        <translation>采集的起始时刻（Home）</translation>
    </message>
    <message>
        <source>−10 s</source>
        <translation>−10 秒</translation>
    </message>
    <message>
        <source>+10 s</source>
        <translation>+10 秒</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结尾</translation>
    </message>
    <message>
        <source>The capture&apos;s last moment (End)</source>
        <translation>采集的结束时刻（End）</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1（%2 / %3）</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Recording &amp;keeps</source>
        <translation>录制保留(&amp;K)</translation>
    </message>
    <message>
        <source>The last 6 hours</source>
        <translation>最近 6 小时</translation>
    </message>
    <message>
        <source>The last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>The last 3 days</source>
        <translation>最近 3 天</translation>
    </message>
    <message>
        <source>Everything (the file grows without limit)</source>
        <translation>全部（文件会无限增长）</translation>
    </message>
    <message>
        <source>At most %1 on disk: with many hosts, the oldest go first</source>
        <translation>磁盘上最多 %1：主机多时，最早的数据先删除</translation>
    </message>
</context>
<context>
    <name>twbench::ReportBuilder</name>
    <message>
        <source>TIME_WAIT investigation</source>
        <translation>TIME_WAIT 排查</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Hosts: %1</source>
        <translation>主机：%1</translation>
    </message>
    <message>
        <source>Captured: %1 (local time, %2)</source>
        <translation>采集时间：%1（本地时间，%2）</translation>
    </message>
    <message>
        <source>Written by twbench %1 on %2</source>
        <translation>由 twbench %1 于 %2 生成</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>采样数</translation>
    </message>
    <message>
        <source>TIME_WAIT (end)</source>
        <translation>TIME_WAIT（结束时）</translation>
    </message>
    <message>
        <source>TIME_WAIT (max)</source>
        <translation>TIME_WAIT（最大）</translation>
    </message>
    <message>
        <source>CPU (mean)</source>
        <translation>CPU（平均）</translation>
    </message>
    <message>
        <source>CPU (max)</source>
        <translation>CPU（最大）</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>No rule fired: nothing in this capture looks like a TIME_WAIT or connection-churn problem.</source>
        <translation>没有触发任何规则：此采集文件中看不到 TIME_WAIT 或连接新建与回收方面的问题。</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>TIME_WAIT, connection churn, CPU and requests over the capture</source>
        <translation>采集期间的 TIME_WAIT、连接新建与回收、CPU 和请求</translation>
    </message>
    <message>
        <source>Topology: %1</source>
        <translation>拓扑：%1</translation>
    </message>
    <message>
        <source>Who connects to whom at the end of the capture; edge labels give the connections by state and which side closes (and so holds TIME_WAIT).</source>
        <translation>采集结束时谁连接到谁；边上的标签按状态给出连接数，并标明哪一方关闭连接（因而持有 TIME_WAIT）。</translation>
    </message>
    <message>
        <source>Topology of %1</source>
        <translation>%1 的拓扑</translation>
    </message>
    <message>
        <source>Top local endpoints: %1</source>
        <translation>本地端点排行：%1</translation>
    </message>
    <message>
        <source>No socket table was captured.</source>
        <translation>没有采集到套接字表。</translation>
    </message>
    <message>
        <source>netstat -tn | grep TIME_WAIT | awk &apos;{print $4}&apos; | sort | uniq -c, as a table: the local endpoints with the most TIME_WAIT sockets at the end of the capture.</source>
        <translation>netstat -tn | grep TIME_WAIT | awk &apos;{print $4}&apos; | sort | uniq -c 的表格形式：采集结束时 TIME_WAIT 套接字最多的本地端点。</translation>
    </message>
    <message>
        <source>Local endpoint</source>
        <translation>本地端点</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>TIME_WAIT</source>
        <translation>TIME_WAIT</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>container %1</source>
        <translation>容器 %1</translation>
    </message>
    <message>
        <source>Top callers: %1</source>
        <translation>调用方排行：%1</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态码</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Per second</source>
        <translation>每秒</translation>
    </message>
    <message>
        <source>Steady</source>
        <translation>稳定</translation>
    </message>
    <message>
        <source>yes: a loop</source>
        <translation>是：循环</translation>
    </message>
    <message>
        <source>Appendix: check it by hand</source>
        <translation>附录：手动核对</translation>
    </message>
    <message>
        <source>Each figure of this report, as shell commands to run on the server itself. Values taken from the capture are quoted for a POSIX shell.</source>
        <translation>本报告中的每项数据都对应一组可直接在服务器上运行的 shell 命令。取自采集文件的值已按 POSIX shell 的规则加上引号。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>twbench %1</source>
        <translation>twbench %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message numerus="yes">
        <source>Redacted: %n address(es) and %1 host name(s) were replaced by aliases (IPv4 by 198.18.x.y and up, other loopback addresses by 127.N.x.y, IPv6 by 2001:db8::/32, hosts by host-N), the same original always by the same alias. 0.0.0.0, ::, 127.0.0.1, 127.0.0.53, ::1, ports, container, image and process names and paths are as captured.</source>
        <translation>
            <numerusform>已脱敏：%n 个地址和 %1 个主机名已替换为别名（IPv4 用 198.18.x.y 起的地址，其他回环地址用 127.N.x.y，IPv6 用 2001:db8::/32，主机用 host-N），同一个原值始终对应同一个别名。0.0.0.0、::、127.0.0.1、127.0.0.53、::1、端口、容器名、镜像名、进程名和路径保持采集时的原样。</numerusform>
        </translation>
    </message>
    <message>
        <source>ESTAB</source>
        <translation>ESTAB</translation>
    </message>
</context>
<context>
    <name>twbench::ReportCommand</name>
    <message>
        <source>The capture file is missing (see twbench report --help).</source>
        <translation>缺少采集文件（参见 twbench report --help）。</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot; (see twbench report --help).</source>
        <translation>意外的参数“%1”（参见 twbench report --help）。</translation>
    </message>
    <message>
        <source>--%1 is given more than once.</source>
        <translation>--%1 指定了多次。</translation>
    </message>
    <message>
        <source>Nothing to write: give at least one of --html, --pdf and --json.</source>
        <translation>没有要写入的内容：请至少指定 --html、--pdf 和 --json 中的一个。</translation>
    </message>
    <message>
        <source>%1 is a directory.</source>
        <translation>%1 是一个目录。</translation>
    </message>
    <message>
        <source>%1 is given as more than one output.</source>
        <translation>%1 被指定为多个输出。</translation>
    </message>
    <message>
        <source>%1 is the capture file itself.</source>
        <translation>%1 就是采集文件本身。</translation>
    </message>
    <message>
        <source>Usage: twbench report FILE [--html OUT] [--pdf OUT] [--json OUT] [--redact]

Writes the report of a capture file (.twbench): findings with their evidence and remedies,
the charts and topology graphs, the top endpoints and callers, and the shell commands
that show each figure by hand. Needs no display.

  --html OUT      a self-contained HTML file (images inline)
  --pdf OUT       a PDF (A4)
  --json OUT      the findings and figures as JSON (as twbench diagnose writes them,
                  with the capture&apos;s time range)
  --redact        replace IP addresses and host names by aliases, consistently in every
                  output (loopback, wildcards, ports, container names and paths are kept)
  --title TEXT    the report&apos;s title

At least one of --html, --pdf and --json. Files are written atomically.

Exit codes: 0 written, 1 an output could not be written, 2 bad arguments,
6 the capture file cannot be read.
</source>
        <translation>用法：twbench report FILE [--html OUT] [--pdf OUT] [--json OUT] [--redact]

为采集文件（.twbench）生成报告：包括各条发现及其证据和建议、
图表和拓扑图、主要端点和调用方，以及可手动得出每项数据的 shell 命令。
不需要图形显示环境。

  --html OUT      自包含的 HTML 文件（图片内嵌）
  --pdf OUT       PDF（A4）
  --json OUT      以 JSON 格式输出发现和数据（与 twbench diagnose 写出的格式相同，
                  附带采集的时间范围）
  --redact        将 IP 地址和主机名替换为别名，在所有输出中保持一致
                  （环回地址、通配地址、端口、容器名和路径保持不变）
  --title TEXT    报告标题

至少指定 --html、--pdf 和 --json 中的一个。文件以原子方式写入。

退出码：0 已写入，1 有输出无法写入，2 参数错误，
6 无法读取采集文件。
</translation>
    </message>
    <message>
        <source>twbench report needs a QApplication.</source>
        <translation>twbench report 需要 QApplication。</translation>
    </message>
    <message>
        <source>%1 cannot be read as a capture file.</source>
        <translation>无法将 %1 作为采集文件读取。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>twbench::ReproduceCommands</name>
    <message>
        <source>TIME_WAIT in all</source>
        <translation>TIME_WAIT 总数</translation>
    </message>
    <message>
        <source>How many sockets are in TIME_WAIT now. In /proc/net/sockstat, &quot;tw&quot; on the TCP line is the kernel&apos;s own count: the TIME_WAIT line of the charts. Sockets inside containers count in their own namespace only.</source>
        <translation>当前处于 TIME_WAIT 的套接字数。/proc/net/sockstat 中 TCP 行的“tw”是内核自己的计数，即图表中的 TIME_WAIT 曲线。容器内的套接字只计入其自身的命名空间。</translation>
    </message>
    <message>
        <source>TIME_WAIT by local endpoint</source>
        <translation>按本地端点统计 TIME_WAIT</translation>
    </message>
    <message>
        <source>Which address and port of this host holds the TIME_WAIT sockets, largest first. A listening port on top means that service closed its connections first; ephemeral ports mean this host&apos;s own clients did.</source>
        <translation>本机哪个地址和端口持有 TIME_WAIT 套接字，按数量从多到少排列。排在最前的若是监听端口，说明该服务先关闭了连接；若是临时端口，则是本机自己的客户端先关闭的。</translation>
    </message>
    <message>
        <source>TIME_WAIT by remote endpoint</source>
        <translation>按远端端点统计 TIME_WAIT</translation>
    </message>
    <message>
        <source>The peers of those sockets, largest first: towards whom this host closed connections, or whose connections it served and closed.</source>
        <translation>这些套接字的对端，按数量从多到少排列：本机主动关闭了到谁的连接，或者为谁服务后关闭了其连接。</translation>
    </message>
    <message>
        <source>Every connection on %1, then the same counted by state and peer address: who talks to it.</source>
        <translation>%1 上的所有连接，再按状态和对端地址计数：谁在与它通信。</translation>
    </message>
    <message>
        <source>Every connection on %1 inside the container %2 (its own network namespace; needs root), counted by state and peer address: who talks to it.</source>
        <translation>容器 %2 内（其自身的网络命名空间；需要 root 权限）%1 上的所有连接，按状态和对端地址计数：谁在与它通信。</translation>
    </message>
    <message>
        <source>Who talks to %1</source>
        <translation>谁在与 %1 通信</translation>
    </message>
    <message>
        <source>Connection churn</source>
        <translation>连接新建与回收</translation>
    </message>
    <message>
        <source>ActiveOpens (connections this host opened) and PassiveOpens (connections it accepted), read twice 10 s apart: the difference divided by 10 is new connections per second. A steady TIME_WAIT pile of N needs about N ÷ 60 new connections a second.</source>
        <translation>ActiveOpens（本机主动发起的连接）和 PassiveOpens（本机接受的连接），间隔 10 秒读取两次：差值除以 10 即每秒新建连接数。要维持稳定堆积的 N 个 TIME_WAIT，每秒大约需要 N ÷ 60 个新连接。</translation>
    </message>
    <message>
        <source>TIME_WAIT limits and overflow</source>
        <translation>TIME_WAIT 上限与溢出</translation>
    </message>
    <message>
        <source>TCPTimeWaitOverflow counts TIME_WAIT sockets the kernel could not keep because tcp_max_tw_buckets was reached; the port range bounds the connections to one destination.</source>
        <translation>TCPTimeWaitOverflow 统计因达到 tcp_max_tw_buckets 而内核无法保留的 TIME_WAIT 套接字；端口范围限制了到同一目标的连接数。</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>The busiest processes now; /proc/stat&apos;s first line is the CPU time counters the charts are computed from (read it twice to get a rate).</source>
        <translation>当前最繁忙的进程；/proc/stat 的第一行是图表所依据的 CPU 时间计数器（读取两次即可得到速率）。</translation>
    </message>
    <message>
        <source>Containers and their addresses</source>
        <translation>容器及其地址</translation>
    </message>
    <message>
        <source>The running containers and their IP addresses on each docker network, to put names on the addresses of the tables above.</source>
        <translation>正在运行的容器及其在各个 docker 网络上的 IP 地址，用于为上面各表中的地址对应上名称。</translation>
    </message>
    <message>
        <source>container %1</source>
        <translation>容器 %1</translation>
    </message>
    <message>
        <source>Access-log callers: %1</source>
        <translation>访问日志中的调用方：%1</translation>
    </message>
    <message>
        <source>The most frequent client, method and path of the last 10,000 requests, then requests per minute: a caller with the same count minute after minute is a program in a loop, not people.</source>
        <translation>最近 10,000 个请求中出现最多的客户端、方法和路径，然后是每分钟请求数：每分钟请求数都相同的调用方是在循环运行的程序，而不是人。</translation>
    </message>
    <message>
        <source>Finding: %1</source>
        <translation>发现：%1</translation>
    </message>
    <message>
        <source>TIME_WAIT on the service&apos;s own side: the service sent the first FIN. The second command lists its callers by address.</source>
        <translation>TIME_WAIT 在服务自己这一侧：是服务先发送了 FIN。第二条命令按地址列出其调用方。</translation>
    </message>
    <message>
        <source>Connections the peer closed and the service has not: a count that only grows is a leak in the service.</source>
        <translation>对端已关闭而服务尚未关闭的连接：数量只增不减，说明服务存在泄漏。</translation>
    </message>
    <message>
        <source>Towards the upstream: many TIME-WAIT and few ESTAB mean a new connection per request. The nginx configuration shows whether the upstream block has keepalive, proxy_http_version 1.1 and an empty Connection header.</source>
        <translation>到上游方向：TIME-WAIT 多而 ESTAB 少，意味着每个请求都新建一个连接。nginx 配置可显示 upstream 块是否配置了 keepalive、proxy_http_version 1.1 以及空的 Connection 头。</translation>
    </message>
    <message>
        <source>Connections from a docker network&apos;s gateway come from containers on this host (through a published port) or from the host itself; the networks and containers listed are the candidates.</source>
        <translation>来自 docker 网络网关的连接，源自本机上的容器（经由发布端口）或主机自身；列出的网络和容器就是候选对象。</translation>
    </message>
    <message>
        <source>The caller&apos;s requests per minute in the access log: nearly the same count every minute, day and night, is a loop.</source>
        <translation>访问日志中该调用方每分钟的请求数：无论昼夜，每分钟的数量都几乎相同，就是循环。</translation>
    </message>
    <message>
        <source>New connections per second, counted by the kernel: compare with the TIME_WAIT pile ÷ 60 s.</source>
        <translation>内核统计的每秒新建连接数：与 TIME_WAIT 堆积量 ÷ 60 秒进行比较。</translation>
    </message>
    <message>
        <source>The local port range and the TIME_WAIT bucket limit, and how many connections go to the destination now.</source>
        <translation>本地端口范围和 TIME_WAIT bucket 上限，以及当前到该目标的连接数。</translation>
    </message>
    <message>
        <source>The busiest processes, and the connection counters: when both rise and fall together, the connections cost the CPU.</source>
        <translation>最繁忙的进程和连接计数器：两者同步升降时，说明是这些连接在消耗 CPU。</translation>
    </message>
    <message>
        <source>The connections the finding is about.</source>
        <translation>该发现所涉及的连接。</translation>
    </message>
</context>
<context>
    <name>twbench::SampleCodec</name>
    <message>
        <source>compressed data cut short</source>
        <translation>压缩数据被截断</translation>
    </message>
    <message>
        <source>compressed data claims an impossible size (%1 bytes)</source>
        <translation>压缩数据声明的大小不可能成立（%1 字节）</translation>
    </message>
    <message>
        <source>compressed data is damaged</source>
        <translation>压缩数据已损坏</translation>
    </message>
    <message>
        <source>the sample data is cut short</source>
        <translation>采样数据被截断</translation>
    </message>
    <message>
        <source>the sample data has an unknown format (version %1)</source>
        <translation>采样数据的格式未知（版本 %1）</translation>
    </message>
    <message>
        <source>the sample data is damaged (%1)</source>
        <translation>采样数据已损坏（%1）</translation>
    </message>
    <message>
        <source>the sample data is damaged (unknown storage %1)</source>
        <translation>采样数据已损坏（未知的存储方式 %1）</translation>
    </message>
    <message>
        <source>the sample data is damaged or cut short</source>
        <translation>采样数据已损坏或被截断</translation>
    </message>
    <message>
        <source>the socket table is empty</source>
        <translation>套接字表为空</translation>
    </message>
    <message>
        <source>the socket table has an unknown format (version %1)</source>
        <translation>套接字表的格式未知（版本 %1）</translation>
    </message>
    <message>
        <source>the socket table is damaged (%1)</source>
        <translation>套接字表已损坏（%1）</translation>
    </message>
    <message>
        <source>the socket table is damaged or cut short</source>
        <translation>套接字表已损坏或被截断</translation>
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
    <name>twbench::SshImportDialog</name>
    <message>
        <source>Import hosts from ssh config</source>
        <translation>从 ssh 配置导入主机</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Read</source>
        <translation>读取(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation>全部勾选(&amp;A)</translation>
    </message>
    <message>
        <source>Check &amp;none</source>
        <translation>全部不选(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Warnings:</source>
        <translation>警告(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Choose an ssh config file</source>
        <translation>选择 ssh 配置文件</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Import %n host(s)</source>
        <translation>
            <numerusform>导入 %n 台主机(&amp;I)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n host(s) found, %1 already in the list (unchecked).</source>
        <translation>
            <numerusform>找到 %n 台主机，其中 %1 台已在列表中（未勾选）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n host(s) found.</source>
        <translation>
            <numerusform>找到 %n 台主机。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::SshTransport</name>
    <message>
        <source>This host is not an SSH host.</source>
        <translation>此主机不是 SSH 主机。</translation>
    </message>
    <message>
        <source>%1 line %2</source>
        <translation>%1 第 %2 行</translation>
    </message>
    <message>
        <source>The host key of %1 is not known (%2) and this run may not ask: refused. Add the key to %3, or allow new host keys.</source>
        <translation>%1 的主机密钥未知（%2），且本次运行不允许询问：已拒绝。请将该密钥添加到 %3，或允许接受新的主机密钥。</translation>
    </message>
    <message>
        <source>WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! Someone could be eavesdropping on you right now (a man-in-the-middle attack), or the host key has just been changed. %1 now shows the %2; %3 holds another key for it. twbench does not connect. If the change is expected, forget the old key and connect again.</source>
        <translation>WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!（警告：远程主机标识已更改！）可能有人正在窃听您的通信（中间人攻击），也可能是主机密钥刚刚更换过。%1 现在出示的是 %2，而 %3 中记录的是另一个密钥。twbench 不会连接。如果此变更在预期之中，请忘记旧密钥后重新连接。</translation>
    </message>
    <message>
        <source>WARNING: the host key of %1 is a %2, but %3 holds a key of another type for it: the host may have been replaced, or someone may be in the middle. twbench does not connect. If the change is expected, forget the old key and connect again.</source>
        <translation>警告：%1 的主机密钥是 %2，但 %3 中记录的是另一种类型的密钥：该主机可能已被替换，也可能有人在中间拦截。twbench 不会连接。如果此变更在预期之中，请忘记旧密钥后重新连接。</translation>
    </message>
    <message>
        <source>The host key of %1 (%2) is marked as revoked in %3. twbench does not connect.</source>
        <translation>%1 的主机密钥（%2）在 %3 中被标记为已吊销。twbench 不会连接。</translation>
    </message>
    <message>
        <source>The host key of %1 was not accepted.</source>
        <translation>%1 的主机密钥未被接受。</translation>
    </message>
    <message>
        <source>Logging in to %1 failed: %2</source>
        <translation>登录 %1 失败：%2</translation>
    </message>
    <message>
        <source>Login as %1 was refused by the server.</source>
        <translation>服务器拒绝以 %1 身份登录。</translation>
    </message>
    <message>
        <source>Tried: %1.</source>
        <translation>已尝试：%1。</translation>
    </message>
    <message>
        <source>The server accepts: %1.</source>
        <translation>服务器接受：%1。</translation>
    </message>
    <message>
        <source>%1 accepted, more required</source>
        <translation>%1 已通过，但还需要其他认证</translation>
    </message>
    <message>
        <source>the agent&apos;s keys</source>
        <translation>ssh-agent 中的密钥</translation>
    </message>
    <message>
        <source>the agent&apos;s key</source>
        <translation>ssh-agent 中的密钥</translation>
    </message>
    <message>
        <source>the key %1 (not accepted)</source>
        <translation>密钥 %1（未被接受）</translation>
    </message>
    <message>
        <source>the key %1 needs a passphrase, which this run may not ask for</source>
        <translation>密钥 %1 需要口令，但本次运行不允许询问</translation>
    </message>
    <message>
        <source>the key %1 (wrong passphrase)</source>
        <translation>密钥 %1（口令错误）</translation>
    </message>
    <message>
        <source>the key %1 (cannot be read)</source>
        <translation>密钥 %1（无法读取）</translation>
    </message>
    <message>
        <source>keyboard-interactive (this run may not ask)</source>
        <translation>keyboard-interactive（本次运行不允许询问）</translation>
    </message>
    <message>
        <source>keyboard-interactive</source>
        <translation>keyboard-interactive</translation>
    </message>
    <message>
        <source>a password (this run may not ask)</source>
        <translation>密码（本次运行不允许询问）</translation>
    </message>
    <message>
        <source>a password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>the password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Login as %1 was cancelled.</source>
        <translation>已取消以 %1 身份登录。</translation>
    </message>
    <message>
        <source>The probe or its parameters are missing from this build.</source>
        <translation>此构建中缺少探针或其参数。</translation>
    </message>
    <message>
        <source>%1 did not open a channel: %2</source>
        <translation>%1 未打开通道：%2</translation>
    </message>
    <message>
        <source>Could not watch the probe&apos;s exit on %1.</source>
        <translation>无法监视 %1 上探针的退出。</translation>
    </message>
    <message>
        <source>%1 did not start the probe: %2</source>
        <translation>%1 未启动探针：%2</translation>
    </message>
    <message>
        <source>Could not send the probe to %1: %2</source>
        <translation>无法将探针发送到 %1：%2</translation>
    </message>
    <message>
        <source>The connection to %1 was lost: %2</source>
        <translation>与 %1 的连接已断开：%2</translation>
    </message>
    <message>
        <source>No data from %1 for %2 s: the connection counts as dropped.</source>
        <translation>%2 秒内未收到 %1 的数据：视为连接已断开。</translation>
    </message>
    <message>
        <source>The probe on %1 was killed by signal %2.</source>
        <translation>%1 上的探针被信号 %2 终止。</translation>
    </message>
    <message>
        <source>The probe on %1 ended.</source>
        <translation>%1 上的探针已退出。</translation>
    </message>
    <message>
        <source>The probe on %1 exited with status %2.</source>
        <translation>%1 上的探针已退出，退出码 %2。</translation>
    </message>
    <message>
        <source>The probe on %1 ended without an exit status.</source>
        <translation>%1 上的探针已结束，但没有退出码。</translation>
    </message>
    <message>
        <source>Its last error output: %1</source>
        <translation>最后的错误输出：%1</translation>
    </message>
    <message>
        <source>Could not make a channel to follow %1 on %2: %3</source>
        <translation>无法在 %2 上创建通道来跟踪 %1：%3</translation>
    </message>
    <message>
        <source>%1 refused a channel to follow %2 (%3); sshd allows MaxSessions channels on one connection, 10 by default, the probe&apos;s included.</source>
        <translation>%1 拒绝了用于跟踪 %2 的通道（%3）；sshd 在一个连接上最多允许 MaxSessions 个通道（默认 10 个，包括探针的通道）。</translation>
    </message>
    <message>
        <source>%1 did not start following %2: %3</source>
        <translation>%1 未开始跟踪 %2：%3</translation>
    </message>
    <message>
        <source>%1 did not start following %2 within %3 s.</source>
        <translation>%1 未在 %3 秒内开始跟踪 %2。</translation>
    </message>
    <message>
        <source>Reading the follower of %1 on %2 failed: %3</source>
        <translation>读取 %2 上 %1 的跟踪输出失败：%3</translation>
    </message>
    <message>
        <source>The follower of %1 on %2 was killed by signal %3.</source>
        <translation>%2 上 %1 的跟踪进程被信号 %3 终止。</translation>
    </message>
    <message>
        <source>The follower of %1 on %2 exited with status %3.</source>
        <translation>%2 上 %1 的跟踪进程已退出，退出码 %3。</translation>
    </message>
    <message>
        <source>The follower of %1 on %2 ended.</source>
        <translation>%2 上 %1 的跟踪进程已结束。</translation>
    </message>
    <message>
        <source>Its last message: %1</source>
        <translation>最后一条消息：%1</translation>
    </message>
    <message>
        <source>%1 key fingerprint is %2</source>
        <translation>%1 密钥指纹为 %2</translation>
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
    <message>
        <source>Container CPU</source>
        <translation>容器 CPU</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>TIME_WAIT overflows/s</source>
        <translation>TIME_WAIT 溢出/s</translation>
    </message>
</context>
<context>
    <name>twbench::TopCallersModel</name>
    <message>
        <source>steady</source>
        <translation>稳定</translation>
    </message>
    <message>
        <source>This caller&apos;s request rate has stayed nearly constant for minutes, as a program&apos;s loop does and people do not.</source>
        <translation>该调用方的请求速率数分钟内几乎不变：程序循环会这样，人不会。</translation>
    </message>
    <message>
        <source>The address the log gives: behind a proxy or a published docker port, the proxy or the docker gateway rather than the caller itself</source>
        <translation>日志记录的地址：若经过代理或 docker 发布端口，则是代理或 docker 网关的地址，而不是调用方本身</translation>
    </message>
    <message>
        <source>Query strings are dropped and identifiers folded to {id}, so that one endpoint is one row</source>
        <translation>去掉查询字符串并把标识符归并为 {id}，使一个接口只占一行</translation>
    </message>
    <message>
        <source>Requests per second while the log was followed</source>
        <translation>跟踪日志期间的每秒请求数</translation>
    </message>
    <message>
        <source>A near-constant request rate for minutes: a program calling in a loop</source>
        <translation>请求速率数分钟内几乎恒定：程序在循环调用</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态码</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>Steady</source>
        <translation>稳定</translation>
    </message>
</context>
<context>
    <name>twbench::Topology</name>
    <message>
        <source>server closes</source>
        <translation>服务端关闭</translation>
    </message>
    <message>
        <source>client closes</source>
        <translation>客户端关闭</translation>
    </message>
    <message>
        <source>both close</source>
        <translation>双方均关闭</translation>
    </message>
    <message>
        <source>≈%1 new/s</source>
        <translation>≈%1 新建/s</translation>
    </message>
    <message>
        <source>%1 port %2</source>
        <translation>%1 端口 %2</translation>
    </message>
    <message>
        <source>containers on this host via the %1 gateway</source>
        <translation>本机容器（经 %1 网关）</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2 上的 %1</translation>
    </message>
    <message>
        <source>network namespace %1</source>
        <translation>网络命名空间 %1</translation>
    </message>
    <message>
        <source>&lt;%1 new/s</source>
        <translation>&lt;%1 新建/s</translation>
    </message>
    <message>
        <source>this host</source>
        <translation>该主机</translation>
    </message>
    <message>
        <source>%1 port %2 · %3</source>
        <comment>host name, port, the listening process</comment>
        <translation>%1 端口 %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>%Ln other ports of %1</source>
        <comment>folded host ports</comment>
        <translation>
            <numerusform>%1 的其他 %Ln 个端口</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln other peers</source>
        <comment>folded peers</comment>
        <translation>
            <numerusform>其他 %Ln 个对端</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::TopologyView</name>
    <message>
        <source>Waiting for the first socket table…</source>
        <translation>正在等待第一张套接字表…</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the graph to the window (F, Ctrl+0)</source>
        <translation>使拓扑图适应窗口大小（F，Ctrl+0）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>放大（Ctrl++）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>缩小（Ctrl+-）</translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges, %3 TIME_WAIT · %4</source>
        <translation>%1 个节点，%2 条边，%3 个 TIME_WAIT · %4</translation>
    </message>
    <message>
        <source>positions kept</source>
        <translation>保留原有布局</translation>
    </message>
    <message>
        <source>laid out in %1 ms</source>
        <translation>布局耗时 %1 ms</translation>
    </message>
    <message>
        <source>Docker: %1</source>
        <translation>Docker：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n container namespace(s)</source>
        <translation>
            <numerusform>%n 个容器命名空间</numerusform>
        </translation>
    </message>
    <message>
        <source>The sockets inside these containers could not be read: %1. Their connections show only from the other end, so their counts are lower bounds and who closes may be missing. Reading a container&apos;s sockets (/proc/&lt;pid&gt;/net/tcp) needs root: connect as root, or let this account run it through &quot;sudo -n&quot; without a password (a NOPASSWD rule in sudoers).</source>
        <translation>无法读取这些容器内的套接字：%1。它们的连接只能从另一端看到，因此计数只是下限，且可能无法判断由哪一方关闭。读取容器的套接字（/proc/&lt;pid&gt;/net/tcp）需要 root 权限：请以 root 身份连接，或允许此账户通过“sudo -n”免密码运行（在 sudoers 中添加 NOPASSWD 规则）。</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>this host&apos;s own processes</source>
        <translation>该主机自身的进程</translation>
    </message>
    <message>
        <source>a listening port of the host</source>
        <translation>主机上的监听端口</translation>
    </message>
    <message>
        <source>compose service</source>
        <translation>compose 服务</translation>
    </message>
    <message>
        <source>container</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>docker network gateway</source>
        <translation>docker 网络网关</translation>
    </message>
    <message>
        <source>peer outside the host</source>
        <translation>主机外部的对端</translation>
    </message>
    <message>
        <source>address on a docker network</source>
        <translation>docker 网络中的地址</translation>
    </message>
    <message>
        <source>unexplained network namespace</source>
        <translation>未识别的网络命名空间</translation>
    </message>
    <message numerus="yes">
        <source>+%n more</source>
        <translation>
            <numerusform>另有 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>replicas: %n</source>
        <translation>
            <numerusform>副本：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>Containers:</source>
        <translation>容器：</translation>
    </message>
    <message>
        <source>Network: %1</source>
        <translation>网络：%1</translation>
    </message>
    <message>
        <source>Addresses: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Listening ports: %1</source>
        <translation>监听端口：%1</translation>
    </message>
    <message>
        <source>ESTAB</source>
        <comment>short for ESTABLISHED</comment>
        <translation>ESTAB</translation>
    </message>
    <message>
        <source>no connections</source>
        <translation>无连接</translation>
    </message>
    <message>
        <source>%1 connection(s) to port %2; %3 seen from both ends</source>
        <translation>到端口 %2 的连接 %1 个；其中 %3 个两端均可见</translation>
    </message>
    <message>
        <source>TIME_WAIT held by the server end: %1, by the client end: %2</source>
        <translation>TIME_WAIT 由服务端持有：%1，由客户端持有：%2</translation>
    </message>
    <message>
        <source>The caller&apos;s end of %1 connection(s) could not be read: counts on that side are lower bounds.</source>
        <translation>有 %1 个连接的调用方一端无法读取：该侧的计数只是下限。</translation>
    </message>
    <message>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <source>callers with the least TIME_WAIT</source>
        <translation>TIME_WAIT 最少的调用方</translation>
    </message>
    <message>
        <source>services with the least TIME_WAIT</source>
        <translation>TIME_WAIT 最少的服务</translation>
    </message>
    <message numerus="yes">
        <source>(%Ln ports)</source>
        <comment>a long list of ports, cut short</comment>
        <translation>
            <numerusform>（%Ln 个端口）</numerusform>
        </translation>
    </message>
    <message>
        <source>The %1 callers with the least TIME_WAIT, folded into one node so the graph stays readable. Its edges count all of their connections.</source>
        <translation>TIME_WAIT 最少的 %1 个调用方已合并为一个节点，以保持图清晰可读。其连线计入它们的全部连接。</translation>
    </message>
    <message>
        <source>The %1 services with the least TIME_WAIT, folded into one node so the graph stays readable. Its edges count all of their connections.</source>
        <translation>TIME_WAIT 最少的 %1 个服务已合并为一个节点，以保持图清晰可读。其连线计入它们的全部连接。</translation>
    </message>
    <message>
        <source>Among them:</source>
        <translation>其中：</translation>
    </message>
    <message numerus="yes">
        <source>%Ln quiet peer(s) folded</source>
        <translation>
            <numerusform>已合并 %Ln 个安静的对端</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>twbench::ViewExporter</name>
    <message>
        <source>twbench %1</source>
        <translation>twbench %1</translation>
    </message>
    <message>
        <source> · </source>
        <extracomment>Between the parts of an exported image&apos;s caption: hosts, time range, version.</extracomment>
        <translation> · </translation>
    </message>
    <message>
        <source>“%1” is not a table and cannot be exported as CSV.</source>
        <translation>“%1”不是表，无法导出为 CSV。</translation>
    </message>
    <message>
        <source>Cannot write “%1”: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>Cannot export “%1”: the image would be too large.</source>
        <translation>无法导出“%1”：图像会过大。</translation>
    </message>
    <message>
        <source>drawing the view failed</source>
        <translation>绘制视图失败</translation>
    </message>
    <message>
        <source>Cannot save “%1”: %2</source>
        <translation>无法保存“%1”：%2</translation>
    </message>
</context>
<context>
    <name>twbench::Workbench</name>
    <message>
        <source>The password stored in the system keychain was not accepted.</source>
        <translation>系统密钥环中保存的密码未被接受。</translation>
    </message>
    <message>
        <source>The password was not saved in the system keychain: %1</source>
        <translation>密码未能保存到系统密钥环：%1</translation>
    </message>
    <message>
        <source>The stored password could not be removed from the system keychain: %1</source>
        <translation>无法从系统密钥环中删除已保存的密码：%1</translation>
    </message>
</context>
</TS>
