# Starting and stopping the five binaries of the workspace (four APIs and the
# worker) as background processes with pid files and logs under a directory.

# shellcheck shell=bash

SERVICES=(service-api seller-api admin-api external-api)

# services_start DIR BIN_DIR: the environment (APP_ENV, APP__...) configures them.
services_start() {
  local dir=$1 bin=$2 name
  mkdir -p "$dir"
  for name in "${SERVICES[@]}" worker; do
    if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      continue
    fi
    local args=()
    [ "$name" = worker ] && args=(run)
    nohup "$bin/$name" "${args[@]}" >"$dir/$name.log" 2>&1 &
    echo $! >"$dir/$name.pid"
  done
}

# services_wait PORTS...: each port answers /livez.
services_wait() {
  local port
  for port in "$@"; do
    wait_for 30 "the service on port $port" curl -fsS "http://127.0.0.1:$port/livez"
  done
}

services_stop() { # services_stop DIR
  local dir=$1 name pid
  for name in worker "${SERVICES[@]}"; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for name in worker "${SERVICES[@]}"; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/$name.pid"
  done
}
