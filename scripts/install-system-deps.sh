#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when missing:
#  - openssh-client: the OpenSSH interop tests run the real ssh/sftp against the lab;
#  - iputils-ping: the ssh transport's reachability probe uses the system ping;
#  - wine: the Windows executables are smoke-tested under Wine;
#  - chromium (+ a font): the HTML report is opened in a real headless browser;
#  - libxml2-utils: xmllint validates the JUnit report against its schema;
#  - tmux: the fleet grid's test runs the connector on a real terminal and captures the pane.
#  - python3-winrm: pywinrm, a WinRM client no one here wrote, runs commands on a lab host.
set -euo pipefail
need=()
command -v ssh >/dev/null 2>&1 && command -v sftp >/dev/null 2>&1 || need+=(openssh-client)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || need+=(python3-winrm)
if [ "${WSUS_SKIP_WINE:-0}" != "1" ]; then
  command -v wine >/dev/null 2>&1 || need+=(wine wine64)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "install-system-deps: installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" = "0" ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
