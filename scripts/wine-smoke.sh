#!/usr/bin/env bash
# Wine smoke of the Windows executables (docs/windows.md#what-is-verified-and-what-is-not): installs Debian's Wine when absent,
# builds dist/windows (npm run build:windows), then runs the checks in scripts/wine-smoke.mjs in a
# fresh WINEPREFIX under a temp dir. Set WSUS_SKIP_WINE=1 to skip, WINE_SMOKE_SKIP_BUILD=1 to reuse
# an existing dist/windows, WINE_SMOKE_KEEP=1 to keep the work dir.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${WSUS_SKIP_WINE:-0}" = "1" ]; then
  echo "wine-smoke: skipped (WSUS_SKIP_WINE=1)"
  exit 0
fi

if ! command -v wine >/dev/null 2>&1; then
  echo "wine-smoke: installing wine (apt-get)"
  sudo_cmd=()
  [ "$(id -u)" = "0" ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # Debian 12 ships the 64-bit loader in `wine64`; 32-bit Wine (wine32:i386) is not needed.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null
fi
echo "wine-smoke: $(wine --version)"

if [ "${WINE_SMOKE_SKIP_BUILD:-0}" != "1" ] || [ ! -f dist/windows/wsus-client.exe ]; then
  start=$(date +%s)
  node scripts/build-windows.mjs
  echo "wine-smoke: build took $(( $(date +%s) - start ))s"
fi

exec node --import tsx scripts/wine-smoke.mjs
