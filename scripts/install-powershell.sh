#!/usr/bin/env bash
# Installs what `npm run test:powershell` needs, only when missing (docs/windows.md "The bridge under
# real PowerShell"):
#  - pwsh 7.6.10 as a .NET global tool (7.7.0 does not install here), into ~/.dotnet/tools;
#  - Pester 5.7.1 from NuGet, restored by a throwaway project's PackageDownload into
#    ${WSUS_PESTER_CACHE:-~/.cache/wsus-connector/nuget}; scripts/test-powershell.mjs imports it from there.
set -euo pipefail
pwsh_version=7.6.10
pester_version=5.7.1
cache="${WSUS_PESTER_CACHE:-$HOME/.cache/wsus-connector/nuget}"
tools="$HOME/.dotnet/tools"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-powershell: dotnet (the .NET SDK) is missing; cannot install pwsh and Pester" >&2
  exit 1
fi
if [ ! -x "$tools/pwsh" ] && ! command -v pwsh >/dev/null 2>&1; then
  echo "install-powershell: installing PowerShell $pwsh_version (dotnet global tool)"
  dotnet tool install --global PowerShell --version "$pwsh_version" >/dev/null
fi
if [ ! -f "$cache/pester/$pester_version/tools/Pester.psd1" ]; then
  echo "install-powershell: restoring Pester $pester_version from NuGet into $cache"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat >"$work/pester-download.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
XML
  timeout 600 dotnet restore "$work/pester-download.csproj" --packages "$cache" >/dev/null
fi
