# Pester 5 suite of src/windows/smb-connect.ps1 under real PowerShell. WNetAddConnection2W exists
# only on Windows, so most cases define the script's type WsusConnector.Mpr beforehand with a
# stand-in of the same shape (the script compiles its own only when the type is missing), which
# records what it was given and returns the Win32 error the case asks for. One case runs the real
# script in a fresh pwsh, where the real C# compiles and the call reaches the native boundary.

BeforeAll {
  $script:ScriptPath = Join-Path $PSScriptRoot '../../src/windows/smb-connect.ps1'
  if (-not ('WsusConnector.Mpr' -as [type])) {
    Add-Type -TypeDefinition @'
namespace WsusConnector {
  public static class Mpr {
    public static int NextCode;
    public static int Calls;
    public static string Remote, User, Password;
    public static int Connect(string remote, string user, string password) {
      Calls++; Remote = remote; User = user; Password = password;
      return NextCode;
    }
  }
}
'@
  }

  # Runs the script with the given stdin text; returns its exit code and its parsed JSON line.
  function Invoke-SmbConnect([string]$Stdin, [int]$Code = 0) {
    [WsusConnector.Mpr]::NextCode = $Code
    [WsusConnector.Mpr]::Calls = 0
    $stdout = [System.IO.StringWriter]::new()
    $in0 = [Console]::In; $out0 = [Console]::Out
    [Console]::SetIn([System.IO.StringReader]::new($Stdin)); [Console]::SetOut($stdout)
    try {
      Set-StrictMode -Version Latest
      # A child scope, as powershell.exe -EncodedCommand runs it; `exit` ends only the script.
      & $script:ScriptPath
      $exit = $LASTEXITCODE
    } finally {
      Set-StrictMode -Off
      [Console]::SetIn($in0); [Console]::SetOut($out0)
    }
    $line = @($stdout.ToString() -split "`r?`n" | Where-Object { $_ -ne '' })
    return @{ Exit = $exit; Lines = $line; Outcome = ($line | Select-Object -First 1 | ConvertFrom-Json) }
  }
}

Describe 'smb-connect.ps1' {
  It 'passes the remote name, user and password from stdin, unchanged, and reports success' {
    $r = Invoke-SmbConnect "\\srv01\IPC$`nCORP\patcher`n s3cr%t `"pw`" ^&|`n"
    $r.Exit | Should -Be 0
    $r.Lines.Count | Should -Be 1
    $r.Outcome.code | Should -Be 0
    [WsusConnector.Mpr]::Calls | Should -Be 1
    [WsusConnector.Mpr]::Remote | Should -BeExactly '\\srv01\IPC$'
    [WsusConnector.Mpr]::User | Should -BeExactly 'CORP\patcher'
    [WsusConnector.Mpr]::Password | Should -BeExactly ' s3cr%t "pw" ^&|'
  }

  It 'reads CRLF input as Windows pipes deliver it' {
    $r = Invoke-SmbConnect "\\srv01\IPC$`r`nu`r`np`r`n"
    $r.Exit | Should -Be 0
    [WsusConnector.Mpr]::Password | Should -BeExactly 'p'
  }

  It 'reports a Win32 error with its code and the system message, and exits 1' {
    $r = Invoke-SmbConnect "\\srv01\IPC$`nu`nwrong`n" -Code 1326
    $r.Exit | Should -Be 1
    $r.Outcome.code | Should -Be 1326
    $r.Outcome.message | Should -BeExactly ([System.ComponentModel.Win32Exception]::new(1326).Message)
  }

  It 'an empty password is passed as empty (no password), not refused' {
    $r = Invoke-SmbConnect "\\srv01\IPC$`nu`n`n"
    $r.Exit | Should -Be 0
    [WsusConnector.Mpr]::Password | Should -BeExactly ''
  }

  It 'refuses input without a password line, before any call' {
    $r = Invoke-SmbConnect "\\srv01\IPC$`nu"
    $r.Exit | Should -Be 2
    $r.Outcome.code | Should -BeNullOrEmpty
    $r.Outcome.message | Should -Match 'three input lines'
    [WsusConnector.Mpr]::Calls | Should -Be 0
  }

  # Off Windows, pwsh cannot resolve a native library for an in-memory assembly, so the call
  # throws at the native boundary: the C# compiled and Connect ran up to WNetAddConnection2W.
  It 'compiles the real P/Invoke declaration in a fresh pwsh and calls it (off Windows it cannot load)' {
    # The pwsh that runs this suite (scripts/test-powershell.mjs says which), else the one on PATH.
    $pwsh = if ($env:WSUS_PWSH) { $env:WSUS_PWSH } else { 'pwsh' }
    $out = "\\srv01\IPC$`nu`np`n" | & $pwsh -NoProfile -NonInteractive -File $script:ScriptPath
    $LASTEXITCODE | Should -Be 2
    $o = $out | Where-Object { $_ -like '{*' } | Select-Object -First 1 | ConvertFrom-Json
    $o.code | Should -BeNullOrEmpty
    $o.message | Should -Match '^WNetAddConnection2W could not be called: '
  }
}
