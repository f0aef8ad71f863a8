# wsus-connector WUA bridge: marshals the Windows Update Agent COM API to JSON lines.
# One request per stdin line, one reply per stdout line. No decisions are made here: which
# updates, in which batches, and what a result means are decided by the TypeScript side
# (src/windows/wua/agent.ts). Protocol: docs/windows.md "WUA bridge protocol".
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false

$session = New-Object -ComObject Microsoft.Update.Session
$session.ClientApplicationID = 'wsus-connector'
$found = @{}

function Send($obj) {
  [Console]::Out.WriteLine((ConvertTo-Json -InputObject $obj -Depth 6 -Compress))
  [Console]::Out.Flush()
}

function Get-Failure($err) {
  $e = $err.Exception
  while ($null -ne $e) {
    if ($e -is [System.Runtime.InteropServices.COMException]) { return @{ com = $true; hresult = [int]$e.HResult } }
    $e = $e.InnerException
  }
  return @{ com = $false; hresult = [int]$err.Exception.HResult }
}

# The IUpdateCollection itself: PowerShell enumerates a COM collection written to the pipeline, so
# a plain `return $coll` would hand back its IUpdate items instead (none, one, or an array).
# A Boolean property of a WUA object. PowerShell turns a property getter that throws into $null,
# not an error (docs/windows-facts.md#powershell-51-and-7), and [bool]$null is $false: a reboot
# flag that cannot be read must fail the request, never read as "no".
function Read-Flag($obj, [string]$name) {
  $v = $obj.$name
  if ($v -isnot [bool]) { throw "unreadable:$name" }
  return $v
}

function Get-Collection($ids) {
  $coll = New-Object -ComObject Microsoft.Update.UpdateColl
  foreach ($id in $ids) {
    if (-not $found.ContainsKey($id)) { throw "unknown-id:$id" }
    $null = $coll.Add($found[$id])
  }
  return , $coll
}

function Get-Results($result, $count) {
  $list = @()
  for ($i = 0; $i -lt $count; $i++) {
    $u = $result.GetUpdateResult($i)
    $reboot = $false
    if ($null -ne ($u | Get-Member -Name RebootRequired)) { $reboot = [bool]$u.RebootRequired }
    $list += , @{ resultCode = [int]$u.ResultCode; hresult = [int]$u.HResult; rebootRequired = $reboot }
  }
  return , $list
}

function Invoke-Search($req) {
  $searcher = $session.CreateUpdateSearcher()
  $searcher.ServerSelection = [int]$req.serverSelection
  if ($req.serviceId) { $searcher.ServiceID = [string]$req.serviceId }
  $res = $searcher.Search([string]$req.criteria)
  $found.Clear()
  $updates = @()
  foreach ($u in $res.Updates) {
    $id = ([string]$u.Identity.UpdateID).ToLowerInvariant()
    $found[$id] = $u
    $cats = @()
    foreach ($c in $u.Categories) { $cats += , @{ name = [string]$c.Name; type = [string]$c.Type; id = [string]$c.CategoryID } }
    $updates += , @{
      id = $id; revision = [int]$u.Identity.RevisionNumber; title = [string]$u.Title
      kbs = @($u.KBArticleIDs | ForEach-Object { [string]$_ }); categories = $cats
      severity = [string]$u.MsrcSeverity; maxDownloadSize = [double]$u.MaxDownloadSize
      rebootBehavior = [int]$u.InstallationBehavior.RebootBehavior; impact = [int]$u.InstallationBehavior.Impact
      canRequestUserInput = [bool]$u.InstallationBehavior.CanRequestUserInput
      eulaAccepted = [bool]$u.EulaAccepted; browseOnly = [bool]$u.BrowseOnly; downloaded = [bool]$u.IsDownloaded
      published = ([DateTime]$u.LastDeploymentChangeTime).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
    }
  }
  $warnings = @()
  foreach ($w in $res.Warnings) { $warnings += , @{ hresult = [int]$w.HResult; message = [string]$w.Message; context = [int]$w.Context } }
  return @{ resultCode = [int]$res.ResultCode; updates = $updates; warnings = $warnings }
}

# Callbacks for BeginDownload/BeginInstall: the documentation asks scripts for callback objects
# and never mentions $null (docs/windows-facts.md#wua-asynchronous-calls). They do nothing:
# progress is polled with GetProgress(), so no PowerShell runs on a WUA thread.
$callbackSource = @'
using System.Runtime.InteropServices;
namespace WsusConnector {
  [ComImport, Guid("8C3F1CDD-6173-4591-AEBD-A56A53CA77C1"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  public interface IDownloadProgressChangedCallback { void Invoke([MarshalAs(UnmanagedType.IUnknown)] object job, [MarshalAs(UnmanagedType.IUnknown)] object args); }
  [ComImport, Guid("77254866-9F5B-4C8E-B9E2-C77A8530D64B"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  public interface IDownloadCompletedCallback { void Invoke([MarshalAs(UnmanagedType.IUnknown)] object job, [MarshalAs(UnmanagedType.IUnknown)] object args); }
  [ComImport, Guid("E01402D5-F8DA-43BA-A012-38894BD048F1"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  public interface IInstallationProgressChangedCallback { void Invoke([MarshalAs(UnmanagedType.IUnknown)] object job, [MarshalAs(UnmanagedType.IUnknown)] object args); }
  [ComImport, Guid("45F4F6F3-D602-4F98-9A8A-3EFA152AD2D3"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  public interface IInstallationCompletedCallback { void Invoke([MarshalAs(UnmanagedType.IUnknown)] object job, [MarshalAs(UnmanagedType.IUnknown)] object args); }
  [ComVisible(true)]
  public sealed class WuaCallback : IDownloadProgressChangedCallback, IDownloadCompletedCallback, IInstallationProgressChangedCallback, IInstallationCompletedCallback {
    void IDownloadProgressChangedCallback.Invoke(object job, object args) { }
    void IDownloadCompletedCallback.Invoke(object job, object args) { }
    void IInstallationProgressChangedCallback.Invoke(object job, object args) { }
    void IInstallationCompletedCallback.Invoke(object job, object args) { }
  }
}
'@
$callback = $null
$callbackTried = $false

# The callback object, compiled on first use; $null when Add-Type is not allowed here, and the
# caller falls back to the blocking call (no percentages, same result).
function Get-Callback {
  if (-not $script:callbackTried) {
    $script:callbackTried = $true
    try {
      Add-Type -TypeDefinition $callbackSource -Language CSharp
      $script:callback = New-Object WsusConnector.WuaCallback
    } catch {
      [Console]::Error.WriteLine("wua-bridge: no callback object, blocking calls: $($_.Exception.Message)")
    }
  }
  return $script:callback
}

# Polls a download or installation job until it is complete, one progress line a second. The
# wait pumps COM messages (Thread.Join), so WUA can reach the callbacks on this STA thread.
function Watch-Job($job, $reqId) {
  while (-not $job.IsCompleted) {
    $null = [System.Threading.Thread]::CurrentThread.Join(1000)
    try {
      $p = $job.GetProgress()
      Send @{ id = $reqId; progress = @{ index = [int]$p.CurrentUpdateIndex; percent = [int]$p.CurrentUpdatePercentComplete; overall = [int]$p.PercentComplete } }
    } catch {
      # A progress read that fails is not the operation failing: EndDownload/EndInstall says.
    }
  }
}

function Invoke-Download($req) {
  $downloader = $session.CreateUpdateDownloader()
  $downloader.Updates = Get-Collection $req.ids
  $cb = Get-Callback
  if ($null -eq $cb) {
    $r = $downloader.Download()
  } else {
    $job = $downloader.BeginDownload($cb, $cb, $null)
    try { Watch-Job $job $req.id; $r = $downloader.EndDownload($job) } finally { $job.CleanUp() }
  }
  return @{ resultCode = [int]$r.ResultCode; hresult = [int]$r.HResult; rebootRequired = $false; updates = (Get-Results $r @($req.ids).Count) }
}

function Invoke-Install($req) {
  $installer = $session.CreateUpdateInstaller()
  $installer.AllowSourcePrompts = $false
  if ($req.forceQuiet) { $installer.ForceQuiet = $true }
  $installer.Updates = Get-Collection $req.ids
  $cb = Get-Callback
  if ($null -eq $cb) {
    $r = $installer.Install()
  } else {
    $job = $installer.BeginInstall($cb, $cb, $null)
    try { Watch-Job $job $req.id; $r = $installer.EndInstall($job) } finally { $job.CleanUp() }
  }
  return @{
    resultCode = [int]$r.ResultCode; hresult = [int]$r.HResult; rebootRequired = [bool]$r.RebootRequired
    rebootRequiredBeforeInstallation = (Get-RebootBeforeInstall $installer); updates = (Get-Results $r @($req.ids).Count)
  }
}

# IUpdateInstaller.RebootRequiredBeforeInstallation: once true, WUA refuses further installs until
# a restart (docs/windows-facts.md#wua-results). A failed read is reported as unknown ($null).
function Get-RebootBeforeInstall($installer) {
  try { return Read-Flag $installer 'RebootRequiredBeforeInstallation' } catch {
    [Console]::Error.WriteLine("wua-bridge: RebootRequiredBeforeInstallation unreadable: $($_.Exception.Message)")
    return $null
  }
}

function Invoke-ServiceCheck {
  $services = @()
  foreach ($s in (New-Object -ComObject Microsoft.Update.ServiceManager).Services) {
    $services += , @{ id = ([string]$s.ServiceID).ToLowerInvariant(); name = [string]$s.Name; isDefaultAUService = [bool]$s.IsDefaultAUService; isManaged = [bool]$s.IsManaged }
  }
  $svc = Get-Service -Name wuauserv -ErrorAction SilentlyContinue
  $status = if ($null -ne $svc) { [string]$svc.Status } else { 'Missing' }
  return @{ services = $services; wuauserv = $status }
}

# Hide, unhide and uninstall (docs/usage.md#uninstall-and-hide). Updates are matched by their
# KBArticleIDs; which ones, and what a refusal means, is decided by the TypeScript side.
function Get-KbMatch($u, $kbs) {
  foreach ($k in $u.KBArticleIDs) { if ($kbs -contains ('KB' + [string]$k)) { return $true } }
  return $false
}

function Invoke-SetHidden($req) {
  $hidden = [bool]$req.hidden
  $state = if ($hidden) { 0 } else { 1 }
  $res = $session.CreateUpdateSearcher().Search("IsInstalled=0 and IsHidden=$state")
  $changed = @()
  foreach ($u in $res.Updates) {
    if (-not (Get-KbMatch $u @($req.kbs))) { continue }
    $u.IsHidden = $hidden
    $changed += , @{ id = ([string]$u.Identity.UpdateID).ToLowerInvariant(); title = [string]$u.Title; kbs = @($u.KBArticleIDs | ForEach-Object { [string]$_ }) }
  }
  return , $changed
}

function Invoke-Installed {
  $res = $session.CreateUpdateSearcher().Search('IsInstalled=1')
  $found.Clear()
  $list = @()
  foreach ($u in $res.Updates) {
    $id = ([string]$u.Identity.UpdateID).ToLowerInvariant()
    $found[$id] = $u
    $list += , @{ id = $id; title = [string]$u.Title; kbs = @($u.KBArticleIDs | ForEach-Object { [string]$_ }); uninstallable = [bool]$u.IsUninstallable }
  }
  return , $list
}

function Invoke-Uninstall($req) {
  $installer = $session.CreateUpdateInstaller()
  $installer.AllowSourcePrompts = $false
  $installer.Updates = Get-Collection $req.ids
  $r = $installer.Uninstall()
  return @{ resultCode = [int]$r.ResultCode; hresult = [int]$r.HResult; rebootRequired = [bool]$r.RebootRequired; updates = (Get-Results $r @($req.ids).Count) }
}

Send @{ ready = $true; protocol = 1; powershell = [string]$PSVersionTable.PSVersion }

while ($null -ne ($line = [Console]::In.ReadLine())) {
  $id = $null
  try {
    $req = ConvertFrom-Json -InputObject $line
    $id = $req.id
    switch ([string]$req.op) {
      'ping' { $result = 'pong' }
      'search' { $result = Invoke-Search $req }
      'acceptEula' { $null = Get-Collection @($req.updateId); $found[[string]$req.updateId].AcceptEula(); $result = $true }
      'download' { $result = Invoke-Download $req }
      'install' { $result = Invoke-Install $req }
      'rebootRequired' { $result = Read-Flag (New-Object -ComObject Microsoft.Update.SystemInfo) 'RebootRequired' }
      'installerBusy' { $result = Read-Flag $session.CreateUpdateInstaller() 'IsBusy' }
      'rebootRequiredBeforeInstallation' { $result = Read-Flag $session.CreateUpdateInstaller() 'RebootRequiredBeforeInstallation' }
      'serviceCheck' { $result = Invoke-ServiceCheck }
      'setHidden' { $result = Invoke-SetHidden $req }
      'installed' { $result = Invoke-Installed }
      'uninstall' { $result = Invoke-Uninstall $req }
      'exit' { Send @{ id = $id; ok = $true; result = $true }; exit 0 }
      default { throw "unknown-op:$($req.op)" }
    }
    Send @{ id = $id; ok = $true; result = $result }
  } catch {
    $f = Get-Failure $_
    Send @{ id = $id; ok = $false; com = $f.com; hresult = $f.hresult; message = [string]$_.Exception.Message }
  }
}
