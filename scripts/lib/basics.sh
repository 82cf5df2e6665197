# The helpers that scripts/nexus-local (through scripts/lib/common.sh) and the benchmarks (through
# benchmarks/lib/common.sh) share. Sourced, never run.
# Messages (info, warn, die) go to stderr: stdout is kept for what a script or function prints as its result (the
# benchmarks' RESULT lines, the values callers capture with $(...)).
# shellcheck shell=bash

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid listening on port $1, empty when none (or when ss cannot tell).
port_holder() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $*: this is not a Debian machine; install it and retry"
  if [ "$APT_UPDATED" -eq 0 ]; then
    info "apt-get update"
    as_root apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  info "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "could not install $*"
}

# ensure_command COMMAND PACKAGE: installs the Debian package PACKAGE when COMMAND is missing.
ensure_command() { command -v "$1" >/dev/null || apt_install "$2"; }
