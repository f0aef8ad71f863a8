# Opens the SMB session to \\server\IPC$ with explicit credentials for the windows transport,
# without the password on any command line (docs/windows.md "Credentials (windows transport)").
# net.exe has no documented way to read a password from a pipe, so this calls the Win32 API for
# the connection, WNetAddConnection2W (mpr.dll), with the password read from standard input.
# Input: line 1 the remote name (\\server\IPC$), line 2 the user, line 3 the password.
# Output: one JSON line {"code": <Win32 error or null>, "message": "..."}; exit 0 only on success.
# Stays within Windows PowerShell 5.1 (the connector machine's shell).
$ErrorActionPreference = 'Stop'

function Write-Outcome($Code, [string]$Message) {
  [Console]::Out.WriteLine((ConvertTo-Json -Compress -InputObject @{ code = $Code; message = $Message }))
}

$remote = [Console]::In.ReadLine()
$user = [Console]::In.ReadLine()
$password = [Console]::In.ReadLine()
if ([string]::IsNullOrEmpty($remote) -or [string]::IsNullOrEmpty($user) -or $null -eq $password) {
  Write-Outcome $null 'expected three input lines: remote name, user, password'
  exit 2
}

# NETRESOURCEW in winnetwk.h's member order; WNetAddConnection2 reads only dwType, lpLocalName,
# lpRemoteName and lpProvider. The type is compiled once per session, so a second run reuses it.
if (-not ('WsusConnector.Mpr' -as [type])) {
  Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
namespace WsusConnector {
  public static class Mpr {
    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    public class NetResource {
      public int Scope;
      public int Type;
      public int DisplayType;
      public int Usage;
      public string LocalName;
      public string RemoteName;
      public string Comment;
      public string Provider;
    }
    [DllImport("mpr.dll", CharSet = CharSet.Unicode, EntryPoint = "WNetAddConnection2W")]
    private static extern int WNetAddConnection2W(NetResource resource, string password, string user, int flags);
    public static int Connect(string remote, string user, string password) {
      NetResource r = new NetResource();
      r.Type = 0;
      r.RemoteName = remote;
      return WNetAddConnection2W(r, password, user, 0);
    }
  }
}
'@
}

try {
  # RESOURCETYPE_ANY (0) with no local name: a deviceless connection, which Windows never
  # remembers across logons, so flags 0 leaves nothing behind after `net use /delete`.
  $code = [WsusConnector.Mpr]::Connect($remote, $user, $password)
} catch {
  Write-Outcome $null ('WNetAddConnection2W could not be called: ' + $_.Exception.GetBaseException().Message)
  exit 2
}
$password = $null
if ($code -eq 0) {
  Write-Outcome 0 'connected'
  exit 0
}
Write-Outcome $code (New-Object System.ComponentModel.Win32Exception ([int]$code)).Message
exit 1
