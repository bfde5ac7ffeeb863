#!/usr/bin/env bash
# Starts nginx + Nchan in the foreground on 127.0.0.1:PORT with nchan.conf.template, installing
# Debian's libnginx-mod-nchan (and nginx) when missing. Files go to a fresh temp directory.
#   perf/peers/nchan/run.sh PORT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PORT=${1:?port}
if [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx libnginx-mod-nchan >/dev/null
fi
dir=$(mktemp -d /tmp/nchan-bench.XXXXXX)
sed -e "s|__DIR__|$dir|g" -e "s|__PORT__|$PORT|g" "$here/nchan.conf.template" > "$dir/nginx.conf"
exec /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
