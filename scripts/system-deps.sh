#!/bin/sh
# Debian packages the live video and browser tests need: nginx with the RTMP
# module (ingest), ffmpeg (test pattern, replays), Chromium (end-to-end tests),
# a CJK font (Chinese text in images and screenshots) and npm (front-end libraries). Installs only what
# is missing; needs root (or sudo) the first time.
set -e
missing=""
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing="$missing libnginx-mod-rtmp"
command -v ffmpeg >/dev/null 2>&1 || missing="$missing ffmpeg"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
# npm fetches the front-end libraries the tests need (hls.js, jsQR, china-area-data, axe-core)
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts nginx's own site on port 80 after installing it; this project runs its own instance.
$SUDO service nginx stop >/dev/null 2>&1 || true
