#!/bin/sh
# Re-captures nginx_combined.log: runs the system's nginx as the current user on 127.0.0.1 and
# ::1 (a private prefix under a temp dir, no root), sends it the requests the parser tests rely
# on, and copies its access log (the stock "combined" format) here. Made with nginx 1.22.1.
#   tests/data/accesslog/capture_nginx.sh [port]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
port=${1:-18471}
prefix=$(mktemp -d)
mkdir -p "$prefix/logs" "$prefix/conf" "$prefix/tmp"
cat >"$prefix/conf/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    access_log $prefix/logs/access.log combined;
    server {
        listen 127.0.0.1:$port;
        listen [::1]:$port;
        location / { return 200 "ok\n"; }
        location /api/token { return 200 "{\"access_token\":\"x\"}\n"; }
        location /missing { return 404; }
    }
}
CONF
/usr/sbin/nginx -p "$prefix" -c "$prefix/conf/nginx.conf"
trap 'kill "$(cat "$prefix/nginx.pid")"; rm -rf "$prefix"' EXIT
sleep 0.5

u=http://127.0.0.1:$port
# Raw bytes to the port, for requests curl will not send.
raw() { printf "$1" | timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat >&3; timeout 1 cat <&3 >/dev/null" || true; }

curl -s -o /dev/null "$u/api/token?appid=wx123&secret=s"
curl -s -o /dev/null -A 'Mozilla/5.0 (X11; Linux x86_64) "quoted" \back' \
    -e 'https://example.com/ref?x=1' "$u/users/12345/orders/5f2b9c1e0a"
curl -s -o /dev/null -X POST -d 'a=1' "$u/api/token"
curl -s -o /dev/null "http://[::1]:$port/missing/550e8400-e29b-41d4-a716-446655440000"
curl -s -o /dev/null -u 'bob:pw' "$u/private/page"
curl -s -o /dev/null --path-as-is "$u//double//slash/"
curl -s -o /dev/null -H 'User-Agent: evil\x1b[31mRED' "$u/ua"
raw 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'
raw 'GET /esc\x1b[2J\xe2\x80\xae/x HTTP/1.1\r\nHost: x\r\nUser-Agent: a\x01b\r\n\r\n'
raw '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03'
raw 'GET http://example.org/abs/42?q=1 HTTP/1.1\r\nHost: example.org\r\n\r\n'
curl -s -o /dev/null -X OPTIONS --request-target '*' "$u/"
sleep 1.5
cp "$prefix/logs/access.log" "$here/nginx_combined.log"
