# Shared helpers for scripts/dev and scripts/test: find or install the local
# servers and start/stop them with their data under a directory we own.
# Each server is a pair of functions (<name>_start DIR PORT, <name>_stop DIR),
# so adding one to the stack is adding one pair.

# shellcheck shell=bash

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs a Debian package, or says exactly what to install.
install_package() { # install_package PACKAGE REASON
  local pkg=$1 reason=$2
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing $pkg ($reason)"
    if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq >&2; _APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2 || die "apt-get install $pkg failed"
  else
    die "$reason: install the '$pkg' package (Debian/Ubuntu: sudo apt-get install $pkg)"
  fi
}

# Installs the package providing COMMAND when it is missing.
need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || install_package "$2" "for $1"
}

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    need psql postgresql >/dev/null
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -x "$dir/initdb" ] || need initdb postgresql
  echo "$dir"
}

# PostgreSQL refuses to run as root; run its tools as the 'postgres' user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up in ${seconds}s"
    sleep 0.1
  done
}

pg_start() { # pg_start DIR PORT [SETTING=VALUE ...]
  local dir port=$2 bin settings=""
  bin=$(pg_bindir)
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir/data"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || die "initdb failed: see $dir/initdb.log"
  fi
  if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    return 0
  fi
  for setting in "${@:3}"; do settings+=" -c $setting"; done
  # Tuned for tests and development, never for durability.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off$settings" \
    >/dev/null || die "PostgreSQL did not start: see $dir/postgres.log"
}

pg_stop() { # pg_stop DIR
  local dir=$1 bin
  [ -f "$dir/data/PG_VERSION" ] || return 0
  bin=$(pg_bindir)
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

redis_start() { # redis_start DIR PORT
  local dir port=$2
  need redis-server redis-server
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)  # redis changes into --dir before opening its log
  if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return 0; fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  wait_for 10 "Redis on port $port" redis-cli -p "$port" ping
}

redis_stop() { # redis_stop DIR
  local dir=$1 pid
  [ -f "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/redis.pid"
}

# Renders deploy/nginx/templates/*.template (${VAR} placeholders, as the
# official nginx image does at start) into DIR and starts nginx on it.
nginx_start() { # nginx_start DIR  (with LISTEN_PORT and *_UPSTREAM exported)
  local dir=$1 root
  need nginx nginx-light
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  mkdir -p "$dir/conf.d" "$dir/tmp"
  export NGINX_SNIPPETS="${NGINX_SNIPPETS:-$root/deploy/nginx/snippets}"
  # Locally every client is 127.0.0.1 (the benchmarks' buyers too): the
  # per-client limit is set out of the way unless a caller sets its own.
  export REQUESTS_PER_SECOND_PER_IP="${REQUESTS_PER_SECOND_PER_IP:-100000}"
  export REQUEST_BURST_PER_IP="${REQUEST_BURST_PER_IP:-100000}"
  local template
  for template in "$root"/deploy/nginx/templates/*.template; do
    python3 - "$template" > "$dir/conf.d/$(basename "${template%.template}")" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
def value(m):
    name = m.group(1)
    if name not in os.environ:
        sys.exit(f"{sys.argv[1]}: ${{{name}}} is not set")
    return os.environ[name]
# Only ${UPPER_CASE} names are ours; nginx's own $variables stay untouched.
print(re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}", value, text), end="")
PY
  done
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root root;"
  cat > "$dir/nginx.conf" <<CONF
$user_line
worker_processes 1;
# A flash sale opens hundreds of connections at once, each proxied (two
# connections per request).
worker_rlimit_nofile 16384;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  include $dir/conf.d/*.conf;
}
CONF
  nginx -t -q -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx configuration is invalid"
  if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    nginx -c "$dir/nginx.conf" -e "$dir/error.log" -s reload
  else
    nginx -c "$dir/nginx.conf" -e "$dir/error.log"
  fi
}

nginx_stop() { # nginx_stop DIR
  local dir=$1
  [ -f "$dir/nginx.pid" ] || return 0
  nginx -c "$dir/nginx.conf" -e "$dir/error.log" -s quit 2>/dev/null || kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  rm -f "$dir/nginx.pid"
}

DIESEL_CLI_VERSION=2.3.7

# The diesel CLI (schema generation and the drift check) links libpq.
ensure_diesel_cli() {
  if command -v diesel >/dev/null 2>&1 && diesel --version | grep -q "$DIESEL_CLI_VERSION"; then
    return 0
  fi
  [ -f /usr/include/postgresql/libpq-fe.h ] || install_package libpq-dev "libpq headers for diesel_cli"
  log "installing diesel_cli $DIESEL_CLI_VERSION (once)"
  cargo install diesel_cli --version "$DIESEL_CLI_VERSION" --no-default-features --features postgres --locked >&2
}

# Where cargo puts binaries of PROFILE (debug by default; honours
# CARGO_TARGET_DIR and cargo config).
cargo_bin_dir() { # cargo_bin_dir [PROFILE]
  cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"] + "/" + sys.argv[1])' "${1:-debug}"
}

MAILDEV_VERSION=2.2.1

# The SMTP sink of development and tests: accepts every message and serves
# them as JSON (GET /email). Installed from npm into .local/tools once.
maildev_start() { # maildev_start DIR SMTP_PORT WEB_PORT
  local dir port=$2 web=$3 root tools
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  tools=$root/.local/tools/maildev
  if [ ! -x "$tools/node_modules/.bin/maildev" ]; then
    need npm npm
    log "installing maildev $MAILDEV_VERSION (once)"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --silent "maildev@$MAILDEV_VERSION" >&2 \
      || die "npm install maildev@$MAILDEV_VERSION failed"
  fi
  if [ -f "$dir/maildev.pid" ] && kill -0 "$(cat "$dir/maildev.pid")" 2>/dev/null; then return 0; fi
  nohup "$tools/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$port" --web "$web" --mail-directory "$dir/mail" \
    >"$dir/maildev.log" 2>&1 &
  echo $! >"$dir/maildev.pid"
  wait_for 30 "maildev on port $web" curl -fsS "http://127.0.0.1:$web/email"
}

maildev_stop() { # maildev_stop DIR
  local dir=$1 pid
  [ -f "$dir/maildev.pid" ] || return 0
  pid=$(cat "$dir/maildev.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/maildev.pid"
}

# A provider double of the development stack: runs COMMAND in the
# background (once), pid and log in DIR, and waits until URL answers (an
# HTTP URL, or tcp://HOST:PORT for a server that only has to accept).
double_start() { # double_start DIR NAME URL COMMAND...
  local dir name=$2 url=$3
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  shift 3
  if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then return 0; fi
  nohup "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  case "$url" in
    tcp://*)
      local address=${url#tcp://}
      wait_for 10 "the $name double at $url" bash -c "exec 3<>/dev/tcp/${address%:*}/${address##*:}"
      ;;
    *) wait_for 10 "the $name double at $url" curl -sS -o /dev/null "$url" ;;
  esac
}

double_stop() { # double_stop DIR NAME
  [ -f "$1/$2.pid" ] || return 0
  kill "$(cat "$1/$2.pid")" 2>/dev/null || true
  rm -f "$1/$2.pid"
}

# The SMS provider (crates/testkit/src/bin/sms-double.rs, built with the services).
sms_double_start() { # sms_double_start DIR PORT BIN_DIR
  double_start "$1" sms "http://127.0.0.1:$2/messages" "$3/sms-double" "$2"
}

sms_double_stop() { double_stop "$1" sms; }

# Parcel tracking (crates/testkit/src/bin/tracker-double.rs, built with the services).
tracker_double_start() { # tracker_double_start DIR PORT BIN_DIR
  double_start "$1" tracker "http://127.0.0.1:$2/graphql" "$3/tracker-double" "$2"
}

tracker_double_stop() { double_stop "$1" tracker; }

# Identity verification (crates/testkit/src/bin/identity-double.rs, built with the services).
identity_double_start() { # identity_double_start DIR PORT BIN_DIR
  double_start "$1" identity "http://127.0.0.1:$2/verify" "$3/identity-double" "$2"
}

identity_double_stop() { double_stop "$1" identity; }

# Sign-in provider (crates/testkit/src/bin/oidc-double.rs, built with the services).
sso_double_start() { # sso_double_start DIR PORT BIN_DIR
  double_start "$1" sso "http://127.0.0.1:$2/oauth/authorize" "$3/oidc-double" "$2"
}

sso_double_stop() { double_stop "$1" sso; }

# Payment providers: TossPayments, KakaoPay, PayPal and Google Play
# (crates/testkit/src/bin/payments-double.rs, built with the services).
payments_double_start() { # payments_double_start DIR PORT BIN_DIR
  double_start "$1" payments "http://127.0.0.1:$2/" "$3/payments-double" "$2"
}

payments_double_stop() { double_stop "$1" payments; }

# The discarding SMTP relay of load benchmarks
# (crates/testkit/src/bin/smtp-sink.rs, built with the services): accepts
# every message and keeps a count, which it writes to its log when stopped.
smtp_sink_start() { # smtp_sink_start DIR PORT BIN_DIR
  double_start "$1" smtp-sink "tcp://127.0.0.1:$2" "$3/smtp-sink" "$2"
}

smtp_sink_stop() { double_stop "$1" smtp-sink; }

S3S_FS_VERSION=0.14.1

# The S3-compatible object store of development and tests (s3s-fs: real
# SigV4 checks, pre-signed URL expiry included). Installed with cargo once.
ensure_s3s_fs() {
  if command -v s3s-fs >/dev/null 2>&1 && s3s-fs --version | grep -q "$S3S_FS_VERSION"; then
    return 0
  fi
  log "installing s3s-fs $S3S_FS_VERSION (once)"
  cargo install s3s-fs --version "$S3S_FS_VERSION" --features binary --locked >&2
}

objects_start() { # objects_start DIR PORT ACCESS_KEY SECRET_KEY BUCKET...
  local dir port=$2 access=$3 secret=$4 bucket
  ensure_s3s_fs
  mkdir -p "$1/data"
  dir=$(cd "$1" && pwd)
  shift 4
  for bucket in "$@"; do mkdir -p "$dir/data/$bucket"; done
  if [ -f "$dir/s3s.pid" ] && kill -0 "$(cat "$dir/s3s.pid")" 2>/dev/null; then return 0; fi
  nohup s3s-fs --host 127.0.0.1 --port "$port" --access-key "$access" --secret-key "$secret" "$dir/data" \
    >"$dir/s3s.log" 2>&1 &
  echo $! >"$dir/s3s.pid"
  wait_for 10 "the object store on port $port" curl -sS -o /dev/null "http://127.0.0.1:$port/"
}

objects_stop() { # objects_stop DIR
  local dir=$1 pid
  [ -f "$dir/s3s.pid" ] || return 0
  pid=$(cat "$dir/s3s.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/s3s.pid"
}

# The stores tests need: TEST_DATABASE_URL (a superuser URL), TEST_REDIS_URL,
# TEST_SMTP_URL, TEST_MAILDEV_URL and TEST_S3_URL when set; otherwise a
# throwaway PostgreSQL, Redis, SMTP sink (maildev) and object store (s3s-fs,
# with the keys of config/test.toml) on free ports, which
# test_stores_stop removes (call it on exit).
test_stores_started=""
test_stores_start() {
  if [ -n "${TEST_DATABASE_URL:-}" ] && [ -n "${TEST_REDIS_URL:-}" ] && [ -n "${TEST_SMTP_URL:-}" ] \
    && [ -n "${TEST_S3_URL:-}" ]; then
    return 0
  fi
  local started pg_port redis_port smtp_port mail_web_port s3_port
  started=$(mktemp -d /tmp/mkt-test-XXXXXX)
  test_stores_started=$started
  chmod 755 "$started"
  pg_port=$(free_port)
  redis_port=$(free_port)
  smtp_port=$(free_port)
  mail_web_port=$(free_port)
  s3_port=$(free_port)
  log "starting throwaway PostgreSQL (:$pg_port), Redis (:$redis_port), maildev (:$smtp_port, :$mail_web_port) and s3s-fs (:$s3_port)"
  pg_start "$started/postgres" "$pg_port"
  redis_start "$started/redis" "$redis_port"
  maildev_start "$started/maildev" "$smtp_port" "$mail_web_port"
  objects_start "$started/objects" "$s3_port" test-access-key test-secret-key-0000000000000001 marketplace-test
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
  export TEST_REDIS_URL="redis://127.0.0.1:$redis_port/"
  export TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port"
  export TEST_MAILDEV_URL="http://127.0.0.1:$mail_web_port"
  export TEST_S3_URL="http://127.0.0.1:$s3_port"
}

test_stores_stop() {
  local started=$test_stores_started
  [ -n "$started" ] || return 0
  pg_stop "$started/postgres"
  redis_stop "$started/redis"
  maildev_stop "$started/maildev"
  objects_stop "$started/objects"
  rm -rf "$started"
  test_stores_started=""
}

