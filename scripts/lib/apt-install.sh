#!/usr/bin/env bash
# Shared by the install scripts: apt-get install Debian packages, as root or with sudo.
#   apt_install PKG...
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "$@"
}
