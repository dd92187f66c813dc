#!/usr/bin/env bash
# Makes a Debian 12 (bookworm) machine ready to build, run and test Docent without
# Docker. Idempotent: every step checks before it acts, so re-running is cheap.
#
#   Node 24 (if the system Node is older than 22), pnpm, pgvector 0.8 built from
#   Debian's source package, PostgreSQL and Redis running, a `docent` role and
#   database, and the Compose v2 plugin (to validate docker-compose.yml).
#
# Usage: sudo bash infra/setup-debian.sh   (root is needed for apt and make install)
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PNPM_VERSION="${PNPM_VERSION:-10.34.8}"
NODE_MAJOR_WANTED=24
TOOLS_DIR="${DOCENT_TOOLS_DIR:-/opt/docent-tools}"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_update_once
    log "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Installs an npm package's command into its own prefix under $TOOLS_DIR and links it
# from /usr/local/bin (before /usr/bin on the default PATH): nothing system-wide changes.
install_npm_tool() {
  local name="$1" spec="$2"
  log "installing $spec from the npm registry into $TOOLS_DIR/$name"
  as_root npm install -g --prefix "$TOOLS_DIR/$name" --no-audit --no-fund "$spec" >/dev/null
  as_root ln -sf "$TOOLS_DIR/$name/bin/$name" "/usr/local/bin/$name"
  hash -r
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge 22 ]; then
    log "node $(node --version) already satisfies >= 22"
    return
  fi
  # The npm package `node` ships the official Linux binaries. Install it into its own
  # prefix (the system Node stays untouched) and link it from /usr/local/bin, which
  # comes before /usr/bin on the default PATH.
  install_npm_tool node "node@${NODE_MAJOR_WANTED}"
  log "node is now $(node --version)"
}

ensure_pnpm() {
  if have pnpm && [ "$(pnpm --version)" = "$PNPM_VERSION" ]; then
    log "pnpm $PNPM_VERSION present"
    return
  fi
  install_npm_tool pnpm "pnpm@${PNPM_VERSION}"
}

pgvector_installed() {
  local sharedir
  sharedir="$(/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config --sharedir 2>/dev/null || true)"
  [ -n "$sharedir" ] && ls "$sharedir"/extension/vector--0.8*.sql >/dev/null 2>&1 &&
    [ -f "$(/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config --pkglibdir)/vector.so" ]
}

ensure_pgvector() {
  apt_install "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev
  if pgvector_installed; then
    log "pgvector already installed for PostgreSQL ${PG_MAJOR}"
    return
  fi
  # pgvector 0.8 is not packaged for bookworm: build it from trixie's source package.
  # Only a deb-src entry is added, so no binary package can come from trixie.
  local src_list=/etc/apt/sources.list.d/docent-trixie-src.sources
  if [ ! -f "$src_list" ]; then
    log "adding trixie deb-src entry for pgvector"
    as_root tee "$src_list" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt_updated=0
  fi
  apt_update_once
  local build_dir
  build_dir="$(mktemp -d)"
  (
    cd "$build_dir"
    apt-get source --download-only pgvector >/dev/null 2>&1 || apt-get source --download-only pgvector
    tar xf pgvector_*.orig.tar.*
    cd pgvector-*/
    log "building pgvector $(basename "$PWD")"
    make -s PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null 2>&1
    as_root make -s install PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config" >/dev/null
  )
  rm -rf "$build_dir"
  pgvector_installed || { echo "pgvector build did not install" >&2; exit 1; }
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL ${PG_MAJOR}"
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  local psql=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname='docent'")" != "1" ]; then
    log "creating role docent"
    # CREATEDB: the test fixtures clone a template database per test file.
    "${psql[@]}" -c "create role docent login createdb password 'docent'"
  fi
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname='docent'")" != "1" ]; then
    log "creating database docent"
    "${psql[@]}" -c "create database docent owner docent"
  fi
  # The extension needs superuser to create; do it once here so migrations by the
  # unprivileged docent role find it (CREATE EXTENSION IF NOT EXISTS is then a no-op).
  for db in docent template1; do
    "${psql[@]}" -d "$db" -c "set client_min_messages = warning; create extension if not exists vector"
  done
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    apt_install redis-server
    log "starting Redis"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/docent.log
    for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  # BullMQ loses jobs under any eviction policy; the worker refuses to start otherwise.
  redis-cli -h 127.0.0.1 -p 6379 config set maxmemory-policy noeviction >/dev/null
}

ensure_compose_plugin() {
  # Compose v2 only to *validate* docker-compose.yml (`docker compose config`); there is
  # no Docker engine here. Debian trixie packages it; extract it without installing.
  local plugin="$TOOLS_DIR/docker-cli-plugins/docker-compose"
  if [ -x "$plugin" ]; then
    log "compose plugin present"
    return
  fi
  local list=/etc/apt/sources.list.d/docent-trixie-bin.sources
  local pref=/etc/apt/preferences.d/docent-trixie
  if [ ! -f "$list" ]; then
    # Priority 1: never chosen for installs or upgrades, only fetched by `apt-get download`.
    as_root tee "$pref" >/dev/null <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 1
EOF
    as_root tee "$list" >/dev/null <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt_updated=0
  fi
  apt_update_once
  local tmp
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    apt-get download -qq docker-compose/trixie >/dev/null
    dpkg-deb -x docker-compose_*.deb root
    as_root mkdir -p "$(dirname "$plugin")"
    as_root cp "$(find root -type f -name docker-compose -perm -u+x | head -n1)" "$plugin"
  )
  rm -rf "$tmp"
  log "compose plugin at $plugin"
}

link_compose_plugin() {
  # The docker CLI looks for plugins in /usr/local/lib/docker/cli-plugins among others.
  as_root mkdir -p /usr/local/lib/docker/cli-plugins
  as_root ln -sf "$TOOLS_DIR/docker-cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/docker-compose
}

ensure_chromium() {
  apt_install chromium
}

main() {
  ensure_node
  ensure_pnpm
  ensure_pgvector
  ensure_postgres
  ensure_redis
  ensure_compose_plugin
  link_compose_plugin
  if [ "${DOCENT_SKIP_BROWSER:-0}" != "1" ]; then ensure_chromium; fi
  log "ready: node $(node --version), pnpm $(pnpm --version)"
}

main "$@"
