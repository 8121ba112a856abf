#!/bin/sh
# nginx-lab.sh DIR PORT [SECONDS]: a real nginx on 127.0.0.1:PORT for trying twbench by hand.
# It answers every path with a small JSON token and closes each connection itself
# (keepalive_timeout 0), so TIME_WAITs pile up on the server side as in the incident; each
# request is one "combined" line in DIR/access.log. It runs in the foreground for SECONDS
# (default 900) and then stops: nothing is left running. Pair it with
#   twbench-lab --http 127.0.0.1:PORT/oauth/token --rate 12 --count 7200
set -eu
dir=${1:?usage: nginx-lab.sh DIR PORT [SECONDS]}
port=${2:?usage: nginx-lab.sh DIR PORT [SECONDS]}
seconds=${3:-900}
case $port in '' | *[!0-9]*) echo "nginx-lab.sh: PORT must be a number" >&2; exit 2 ;; esac
case $seconds in '' | *[!0-9]*) echo "nginx-lab.sh: SECONDS must be a number" >&2; exit 2 ;; esac
mkdir -p "$dir/tmp"
dir=$(cd "$dir" && pwd)
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon off;
events { worker_connections 512; }
http {
    access_log $dir/access.log combined;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_timeout 0;
    server {
        listen 127.0.0.1:$port;
        location / {
            default_type application/json;
            return 200 '{"access_token":"lab","expires_in":7200}\n';
        }
    }
}
CONF
exec timeout "$seconds" /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
