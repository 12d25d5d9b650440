#!/usr/bin/env bash
# Start the local Cognito emulator (moto's server) and Django's development
# server together; Ctrl-C stops both. Called by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=127.0.0.1
PORT="${PORT:-8000}"
SANDBOX_PORT="${SANDBOX_PORT:-5055}"

port_free() {
  "$PY" - "$1" <<'PYEOF'
import socket, sys
s = socket.socket()
# As the servers do: connections closed a moment ago (TIME_WAIT) don't count.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PYEOF
}

if ! port_free "$PORT"; then
  echo "error: port $PORT is already in use (is another 'make run' still running?)." >&2
  echo "       Stop it, or pick another port: make run PORT=8001" >&2
  exit 1
fi
if ! port_free "$SANDBOX_PORT"; then
  echo "error: port $SANDBOX_PORT, for the Cognito emulator, is already in use." >&2
  echo "       Stop what uses it, or pick another: make run SANDBOX_PORT=5056" >&2
  exit 1
fi

mkdir -p .local
.venv/bin/moto_server -H "$HOST" -p "$SANDBOX_PORT" >.local/emulator.log 2>&1 &
MOTO_PID=$!
cleanup() { kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  if "$PY" -c "import urllib.request; urllib.request.urlopen('http://$HOST:$SANDBOX_PORT/moto-api/', timeout=1)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$MOTO_PID" 2>/dev/null; then
    echo "error: the Cognito emulator did not start; see .local/emulator.log" >&2
    exit 1
  fi
  sleep 0.2
done

# Print the address once the server answers, so that it works when clicked:
# runserver's own banner comes a moment before it accepts connections.
(
  for _ in $(seq 1 150); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://$HOST:$PORT/accounts/login/', timeout=1)" 2>/dev/null; then
      cat <<MSG

  poolconsole is running at  http://$HOST:$PORT/
  log in as                  admin / poolconsole-demo
  Cognito emulator (moto)    http://$HOST:$SANDBOX_PORT/  (log: .local/emulator.log)

  Ctrl-C stops both.

MSG
      exit 0
    fi
    sleep 0.2
  done
) &
export SANDBOX_ENDPOINT_URL="http://$HOST:$SANDBOX_PORT"
"$PY" manage.py runserver "$HOST:$PORT"
