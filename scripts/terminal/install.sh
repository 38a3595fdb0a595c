#!/usr/bin/env bash
# Installs the real terminal the terminal tests drive (test/terminal/): Debian's tmux.
# Run as root (CI images) or with sudo. Idempotent.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then
  echo "tmux already installed: $(tmux -V)"
  exit 0
fi
source "$(dirname "$0")/../lib/apt-install.sh"
apt_install tmux
tmux -V
