# Runs the Pester suites of this folder with the Pester module at $env:WSUS_PESTER_MODULE (the
# Pester.psd1 that scripts/install-powershell.sh restored) and exits with the number of failures.
$ErrorActionPreference = 'Stop'
Import-Module -Name $env:WSUS_PESTER_MODULE -RequiredVersion 5.7.1
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
Invoke-Pester -Configuration $config
