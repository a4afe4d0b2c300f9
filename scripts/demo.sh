#!/usr/bin/env bash
# elastiq's demo, one command on a fresh machine with Node >= 20 and npm:
#
#   bash scripts/demo.sh            install what is missing, build, start Redis + cloud-sim + two
#                                   workers, start a 5-node cluster with live progress, list its
#                                   nodes, run a command on its frontend over SSH, stop it, and
#                                   shut everything down
#   bash scripts/demo.sh --keep     the same, but leave the cluster and the services running
#   bash scripts/demo.sh --down     shut down what an earlier --keep left running
#
# Everything listens on 127.0.0.1 (cloud-sim's instances on 127.x.y.z) on ports chosen free.
# State, logs and the demo key pair live in .elastiq-demo/ (git-ignored). Every process this
# script starts is recorded there by pid and killed by that pid on exit, unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
DEMO_DIR=$REPO/.elastiq-demo
PIDS_FILE=$DEMO_DIR/pids
ENV_FILE=$DEMO_DIR/env
LOGS=$DEMO_DIR/logs

keep=0
down=0
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    --down) down=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$arg' (use --keep, --down or --help)" >&2; exit 64 ;;
  esac
done

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "demo.sh: $*" >&2; exit 1; }

# --- processes we start: recorded as "pid name", stopped by pid (never by name) --------------
record_pid() { echo "$1 $2" >>"$PIDS_FILE"; }

stop_recorded() {
  [ -f "$PIDS_FILE" ] || return 0
  # Reverse order: workers and the dashboard before cloud-sim and Redis they talk to.
  tac "$PIDS_FILE" | while read -r pid name; do
    # Only a process that still runs what we started (a pid may have been reused since).
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -e "$REPO" -e redis-server; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
      echo "  stopped $name (pid $pid)"
    fi
  done
  rm -f "$PIDS_FILE" "$ENV_FILE"
}

if [ "$down" = 1 ]; then
  step "Shutting down what an earlier run left (.elastiq-demo/pids)"
  stop_recorded
  exit 0
fi

cleanup() {
  local status=$?
  if [ "$keep" = 1 ]; then
    echo
    echo "Left running (--keep). Use the CLI with:"
    echo "  source .elastiq-demo/env && node apps/cli/dist/main.js -c examples/demo/demo.conf list-nodes demo"
    echo "Shut everything down with: bash scripts/demo.sh --down"
  else
    step "Shutting down"
    stop_recorded
  fi
  exit "$status"
}

# --- 1. what the machine needs ----------------------------------------------------------------
step "Checking the system packages (redis-server, sshd, ssh, ansible)"
command -v node >/dev/null || fail "Node.js >= 20 is needed: https://nodejs.org/ (or apt-get install nodejs npm)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || fail "Node.js >= 20 is needed, found $(node --version)"
ELASTIQ_SKIP_CHROMIUM=1 bash scripts/install-system-deps.sh || fail "install the packages named above, then run this again"
if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd; fi

step "Installing npm dependencies and building"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
# Only what the demo runs (and, through turbo, what those depend on); cached when unchanged.
npx turbo run build --output-logs=errors-only \
  --filter=@elastiq/cli --filter=@elastiq/worker --filter=@elastiq/cloud-sim --filter=@elastiq/dashboard >/dev/null ||
  fail "the build failed: run \`npx turbo run build --filter=@elastiq/cli --filter=@elastiq/worker --filter=@elastiq/cloud-sim\` to see why"

# --- 2. the services --------------------------------------------------------------------------
mkdir -p "$LOGS"
# A run that was interrupted or kept leaves recorded processes: stop them first (idempotent).
stop_recorded >/dev/null
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

wait_for() { # timeout seconds, command...
  local timeout=$1; shift
  for _ in $(seq 1 $((timeout * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

if [ ! -f "$DEMO_DIR/id_ed25519" ]; then
  ssh-keygen -q -t ed25519 -N '' -C elastiq-demo -f "$DEMO_DIR/id_ed25519"
fi

step "Starting Redis, cloud-sim and two elastiq workers (loopback only)"
redis_port=$(free_port)
# setsid: the services leave the terminal's session, so Ctrl+C on `elastiq start` only detaches the
# watcher (it must not also stop the workers), and --keep survives closing the terminal.
setsid redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
  --dir "$DEMO_DIR" --daemonize no --loglevel warning >"$LOGS/redis.log" 2>&1 &
record_pid $! redis-server
wait_for 10 sh -c "[ \"\$(redis-cli -h 127.0.0.1 -p $redis_port ping)\" = PONG ]" || fail "Redis did not answer within 10 s (see $LOGS/redis.log)"
echo "  Redis      redis://127.0.0.1:$redis_port"

sim_port=$(free_port)
setsid node "$REPO/apps/cloud-sim/dist/main.js" --host 127.0.0.1 --port "$sim_port" --log-level warn >"$LOGS/cloud-sim.log" 2>&1 &
record_pid $! cloud-sim
wait_for 20 grep -q 'cloud-sim ready' "$LOGS/cloud-sim.log" || fail "cloud-sim did not start within 20 s (see $LOGS/cloud-sim.log)"
echo "  cloud-sim  http://127.0.0.1:$sim_port"

export ELASTIQ_REDIS_URL="redis://127.0.0.1:$redis_port"
export ELASTIQ_QUEUE_PREFIX=demo
export ELASTIQ_DEMO_EC2_URL="http://127.0.0.1:$sim_port"
export ELASTIQ_DEMO_KEY="$DEMO_DIR/id_ed25519"
cat >"$ENV_FILE" <<EOF
export ELASTIQ_REDIS_URL=$ELASTIQ_REDIS_URL
export ELASTIQ_QUEUE_PREFIX=$ELASTIQ_QUEUE_PREFIX
export ELASTIQ_DEMO_EC2_URL=$ELASTIQ_DEMO_EC2_URL
export ELASTIQ_DEMO_KEY=$ELASTIQ_DEMO_KEY
EOF

for n in 1 2; do
  # cloud-sim accepts any credentials; these dummy ones keep the AWS SDK from looking elsewhere
  # (never the instance metadata service: only loopback is ever contacted).
  AWS_ACCESS_KEY_ID=elastiq-demo AWS_SECRET_ACCESS_KEY=elastiq-demo-not-a-secret AWS_EC2_METADATA_DISABLED=true \
    ELASTIQ_LOG_LEVEL=warn setsid node --max-semi-space-size=4 --heap-growing-percent=50 "$REPO/apps/worker/dist/main.js" >"$LOGS/worker-$n.log" 2>&1 &
  record_pid $! "worker-$n"
done
echo "  workers    2 (logs in .elastiq-demo/logs/)"

if [ -f apps/dashboard/dist/main.js ]; then
  dashboard_port=$(free_port)
  [ -f "$DEMO_DIR/dashboard-password" ] || (umask 077 && node -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))' >"$DEMO_DIR/dashboard-password")
  ELASTIQ_DASHBOARD_HOST=127.0.0.1 ELASTIQ_DASHBOARD_PORT=$dashboard_port ELASTIQ_DASHBOARD_USERNAME=elastiq \
    ELASTIQ_DASHBOARD_PASSWORD_FILE="$DEMO_DIR/dashboard-password" ELASTIQ_LOG_LEVEL=warn \
    setsid node "$REPO/apps/dashboard/dist/main.js" >"$LOGS/dashboard.log" 2>&1 &
  record_pid $! dashboard
  if wait_for 15 node -e "require('node:net').connect($dashboard_port, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"; then
    # A loopback-only demo credential, made for this machine: shown so that the dashboard can be
    # opened right away. It is never written to a log.
    echo "  dashboard  http://127.0.0.1:$dashboard_port/admin/queues  (user elastiq, password $(cat "$DEMO_DIR/dashboard-password"))"
  else
    echo "  dashboard  did not start (see .elastiq-demo/logs/dashboard.log); the demo goes on without it"
  fi
else
  echo "  dashboard  not built yet (apps/dashboard/dist/main.js): skipped"
fi

# --- 3. the cluster ---------------------------------------------------------------------------
elastiq() {
  echo "\$ elastiq $*"
  node apps/cli/dist/main.js -c examples/demo/demo.conf "$@"
}

step "Starting the demo cluster: 1 frontend + 4 compute nodes"
elastiq start demo

step "Its nodes"
elastiq list-nodes demo

step "A command on the frontend, over SSH with the host key the fleet pinned"
elastiq ssh demo -- 'echo "logged in as $(whoami) on the frontend"; cat ~/elastiq/frontend-marker 2>/dev/null || true'

if [ "$keep" = 0 ]; then
  step "Stopping the cluster"
  elastiq stop -y --wait demo
  elastiq list
fi
