#!/usr/bin/env bash
# Installs the real terminal the terminal tests drive (test/terminal/): Debian's tmux.
# Run as root (CI images) or with sudo. Idempotent.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then
  echo "tmux already installed: $(tmux -V)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends tmux
tmux -V
