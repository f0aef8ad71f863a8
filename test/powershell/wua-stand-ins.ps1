# Stand-ins for the Windows Update Agent COM objects, so bridge.ps1 runs under real PowerShell
# off Windows. A function named New-Object is resolved before the cmdlet of that name, so the
# bridge's `New-Object -ComObject Microsoft.Update.*` gets these objects; every other New-Object
# goes to the real cmdlet. Each class has the members Microsoft Learn documents for its interface
# (docs/windows-facts.md#wua-objects); a member the bridge reads that is not here fails under
# Set-StrictMode, which the tests turn on. (Their own state fields are public only because PowerShell
# hides `hidden` members from script properties.)
#
# What WUA "does" comes from the scenario in $env:WSUS_WUA_SCENARIO (JSON), read when the session
# is created. Every call is recorded in $global:WuaCalls, for the tests to assert.

$global:WuaCalls = [System.Collections.Generic.List[string]]::new()

function global:Get-WuaScenario {
  if ([string]::IsNullOrEmpty($env:WSUS_WUA_SCENARIO)) { return [pscustomobject]@{} }
  return ConvertFrom-Json -InputObject $env:WSUS_WUA_SCENARIO
}

# The value of a scenario field, or the default when the scenario leaves it out.
function global:Get-WuaSetting($scenario, [string]$name, $default) {
  $p = $scenario.PSObject.Properties[$name]
  if ($null -eq $p) { return $default }
  return $p.Value
}

# What PowerShell's COM adapter throws for a failing COM call: a MethodInvocationException whose
# inner exception is the COMException carrying the HRESULT.
function global:New-ComFailure([string]$call, [long]$hresult) {
  if ($hresult -gt [int]::MaxValue) { $hresult -= 0x100000000L }
  $code = [int]$hresult
  $com = [System.Runtime.InteropServices.COMException]::new("Exception from HRESULT: 0x{0:X8}" -f $code, $code)
  return [System.Management.Automation.MethodInvocationException]::new("Exception calling `"$call`": `"$($com.Message)`"", $com)
}

# IUpdateCollection / IStringCollection / ICategoryCollection: Count, Item(i), Add, Clear, Copy,
# Insert, RemoveAt, ReadOnly, and enumeration (_NewEnum).
class WuaCollection : System.Collections.IEnumerable {
  [System.Collections.Generic.List[object]]$items = [System.Collections.Generic.List[object]]::new()
  [bool]$ReadOnly = $false
  [int]$Count = 0
  [object] Item([int]$i) { return $this.items[$i] }
  [int] Add([object]$v) { $this.items.Add($v); $this.Count = $this.items.Count; return $this.Count - 1 }
  [void] Clear() { $this.items.Clear(); $this.Count = 0 }
  [WuaCollection] Copy() { $c = [WuaCollection]::new(); foreach ($v in $this.items) { $null = $c.Add($v) }; return $c }
  [void] Insert([int]$i, [object]$v) { $this.items.Insert($i, $v); $this.Count = $this.items.Count }
  [void] RemoveAt([int]$i) { $this.items.RemoveAt($i); $this.Count = $this.items.Count }
  [System.Collections.IEnumerator] GetEnumerator() { return $this.items.GetEnumerator() }
  static [WuaCollection] Of([object[]]$values) {
    $c = [WuaCollection]::new()
    foreach ($v in $values) { $null = $c.Add($v) }
    return $c
  }
}

# IUpdateIdentity.
class WuaIdentity { [string]$UpdateID; [int]$RevisionNumber }

# ICategory (the members the bridge and peers read).
class WuaCategory { [string]$Name; [string]$Type; [string]$CategoryID; [string]$Description; [int]$Order }

# IInstallationBehavior.
class WuaInstallationBehavior {
  [bool]$CanRequestUserInput; [int]$Impact; [int]$RebootBehavior; [bool]$RequiresNetworkConnectivity
}

# IUpdate (the members the bridge reads, plus AcceptEula()).
class WuaUpdate {
  [string]$Title; [WuaIdentity]$Identity; [WuaCollection]$KBArticleIDs; [WuaCollection]$Categories
  [object]$MsrcSeverity; [decimal]$MaxDownloadSize; [decimal]$MinDownloadSize
  [WuaInstallationBehavior]$InstallationBehavior; [bool]$EulaAccepted; [bool]$BrowseOnly
  [bool]$IsDownloaded; [bool]$IsInstalled; [bool]$IsHidden; [bool]$IsMandatory; [string]$Type = '1'
  [bool]$IsUninstallable; [DateTime]$LastDeploymentChangeTime = [DateTime]'2026-11-10T18:00:00'
  [void] AcceptEula() { $global:WuaCalls.Add("AcceptEula:$($this.Identity.UpdateID)"); $this.EulaAccepted = $true }
}

# IUpdateSearchResult's warnings: IUpdateException (HResult, Message, Context).
class WuaUpdateException { [int]$HResult; [string]$Message; [int]$Context }

# ISearchResult.
class WuaSearchResult {
  [int]$ResultCode; [WuaCollection]$RootCategories; [WuaCollection]$Updates; [WuaCollection]$Warnings
}

# IUpdateDownloadResult / IUpdateInstallationResult (the latter adds RebootRequired).
class WuaUpdateDownloadResult { [int]$HResult; [int]$ResultCode }
class WuaUpdateInstallationResult { [int]$HResult; [int]$ResultCode; [bool]$RebootRequired }

# IDownloadResult / IInstallationResult: HResult, ResultCode, (RebootRequired), GetUpdateResult(i).
class WuaOperationResult {
  [int]$HResult; [int]$ResultCode; [bool]$RebootRequired
  [object[]]$perUpdate
  [object] GetUpdateResult([int]$i) { return $this.perUpdate[$i] }
}

# IDownloadProgress / IInstallationProgress (the members both have).
class WuaProgress {
  [int]$CurrentUpdateIndex; [int]$CurrentUpdatePercentComplete; [int]$PercentComplete
  [object] GetUpdateResult([int]$i) { return $null }
}

# IDownloadJob / IInstallationJob: AsyncState, IsCompleted, Updates, CleanUp(), GetProgress(),
# RequestAbort(). IsCompleted turns true after `polls` reads; GetProgress() fails with
# `progressHresult` when the scenario sets one.
class WuaJob {
  [object]$AsyncState; [WuaCollection]$Updates
  [int]$reads = 0
  [int]$polls
  [object]$progressHresult
  [object] GetProgress() {
    $global:WuaCalls.Add('GetProgress')
    if ($null -ne $this.progressHresult) { throw (New-ComFailure 'GetProgress' $this.progressHresult) }
    $n = [math]::Max(1, $this.Updates.Count)
    $p = [WuaProgress]::new()
    $p.CurrentUpdateIndex = [math]::Min($this.reads - 1, $n - 1)
    $p.CurrentUpdatePercentComplete = 50
    $p.PercentComplete = [int](100 * ($this.reads - 0.5) / [math]::Max(1, $this.polls))
    return $p
  }
  [void] CleanUp() { $global:WuaCalls.Add('CleanUp') }
  [void] RequestAbort() { $global:WuaCalls.Add('RequestAbort') }
}

# The shared part of IUpdateDownloader and IUpdateInstaller: one scenario section (`download` or
# `install`) decides the call's result, a COM failure, and the per-update results.
class WuaOperation {
  [string]$ClientApplicationID; [bool]$IsForced; [WuaCollection]$Updates
  [object]$scenario
  [string]$sectionName
  [object] Section() { return Get-WuaSetting $this.scenario $this.sectionName ([pscustomobject]@{}) }
  [object] Run([string]$call) {
    $global:WuaCalls.Add("${call}:$($this.Updates.Count)")
    $s = $this.Section()
    $fail = Get-WuaSetting $s 'throwHresult' $null
    if ($null -ne $fail) { throw (New-ComFailure $call $fail) }
    $r = [WuaOperationResult]::new()
    $r.ResultCode = Get-WuaSetting $s 'resultCode' 2
    $r.HResult = Get-WuaSetting $s 'hresult' 0
    $r.RebootRequired = Get-WuaSetting $s 'rebootRequired' $false
    $each = @(Get-WuaSetting $s 'perUpdate' @())
    $r.perUpdate = @(for ($i = 0; $i -lt $this.Updates.Count; $i++) {
      $one = if ($i -lt $each.Count) { $each[$i] } else { [pscustomobject]@{} }
      $u = if ($this.sectionName -eq 'install') { [WuaUpdateInstallationResult]::new() } else { [WuaUpdateDownloadResult]::new() }
      $u.ResultCode = Get-WuaSetting $one 'resultCode' 2
      $u.HResult = Get-WuaSetting $one 'hresult' 0
      if ($this.sectionName -eq 'install') { $u.RebootRequired = Get-WuaSetting $one 'rebootRequired' $false }
      $u
    })
    return $r
  }
  [WuaJob] Begin([string]$call, [object]$progressCallback, [object]$completedCallback, [object]$state) {
    $global:WuaCalls.Add("${call}:$($progressCallback.GetType().FullName)")
    $job = [WuaJob]::new()
    $job.AsyncState = $state
    $job.Updates = $this.Updates
    $job.polls = Get-WuaSetting $this.scenario 'polls' 1
    $job.progressHresult = Get-WuaSetting $this.scenario 'progressHresult' $null
    Add-Member -InputObject $job -MemberType ScriptProperty -Name IsCompleted -Value { $this.reads++; $this.reads -gt $this.polls }
    return $job
  }
}

# IUpdateDownloader: BeginDownload, Download, EndDownload, IsForced, Priority, Updates.
class WuaDownloader : WuaOperation {
  [int]$Priority = 2
  [object] Download() { return $this.Run('Download') }
  [object] BeginDownload([object]$p, [object]$c, [object]$s) { return $this.Begin('BeginDownload', $p, $c, $s) }
  [object] EndDownload([object]$job) { return $this.Run('EndDownload') }
}

# IUpdateInstaller(2): AllowSourcePrompts, ForceQuiet, IsBusy, RebootRequiredBeforeInstallation,
# Install, BeginInstall, EndInstall, Uninstall, ...
class WuaInstaller : WuaOperation {
  [bool]$AllowSourcePrompts = $true; [bool]$ForceQuiet = $false; [object]$ParentHwnd; [object]$ParentWindow
  [object] Install() { $global:WuaCalls.Add("ForceQuiet=$($this.ForceQuiet)"); return $this.Run('Install') }
  [object] BeginInstall([object]$p, [object]$c, [object]$s) {
    $global:WuaCalls.Add("ForceQuiet=$($this.ForceQuiet)")
    return $this.Begin('BeginInstall', $p, $c, $s)
  }
  [object] EndInstall([object]$job) { return $this.Run('EndInstall') }
  [object] Uninstall() { throw (New-ComFailure 'Uninstall' 0x80004001) }
}

# IUpdateSearcher: ServerSelection, ServiceID, Online, Search(criteria), ...
class WuaSearcher {
  [string]$ClientApplicationID; [int]$ServerSelection; [string]$ServiceID; [bool]$Online = $true
  [bool]$IncludePotentiallySupersededUpdates; [bool]$CanAutomaticallyUpgradeService
  [object]$scenario
  [object] Search([string]$criteria) {
    $global:WuaCalls.Add("Search:$criteria|ServerSelection=$($this.ServerSelection)|ServiceID=$($this.ServiceID)")
    $fail = Get-WuaSetting $this.scenario 'searchHresult' $null
    if ($null -ne $fail) { throw (New-ComFailure 'Search' $fail) }
    $r = [WuaSearchResult]::new()
    $r.ResultCode = Get-WuaSetting $this.scenario 'searchResultCode' 2
    $r.RootCategories = [WuaCollection]::new()
    $r.Updates = [WuaCollection]::Of(@(foreach ($u in @(Get-WuaSetting $this.scenario 'updates' @())) { New-WuaUpdate $u }))
    $r.Warnings = [WuaCollection]::Of(@(foreach ($w in @(Get-WuaSetting $this.scenario 'warnings' @())) {
      $x = [WuaUpdateException]::new(); $x.HResult = [int]$w.hresult; $x.Message = $w.message; $x.Context = $w.context; $x
    }))
    return $r
  }
}

# IUpdateService(2): Name, ServiceID, IsManaged, IsDefaultAUService, IsRegisteredWithAU, ...
class WuaService { [string]$Name; [string]$ServiceID; [bool]$IsManaged; [bool]$IsDefaultAUService; [bool]$IsRegisteredWithAU }

# IUpdateServiceManager: Services, AddService2, RemoveService, ...
class WuaServiceManager {
  [string]$ClientApplicationID; [WuaCollection]$Services
}

# ISystemInformation: OemHardwareSupportLink, RebootRequired.
class WuaSystemInformation {
  [string]$OemHardwareSupportLink = ''
  [object]$scenario
}

function global:New-WuaSystemInformation($scenario) {
  $s = [WuaSystemInformation]@{ scenario = $scenario }
  Add-Member -InputObject $s -MemberType ScriptProperty -Name RebootRequired -Value {
    $fail = Get-WuaSetting $this.scenario 'rebootRequiredHresult' $null
    if ($null -ne $fail) { throw (New-ComFailure 'RebootRequired' $fail) }
    [bool](Get-WuaSetting $this.scenario 'rebootRequired' $false)
  }
  return $s
}

# IUpdateSession: ClientApplicationID, ReadOnly, WebProxy, CreateUpdateSearcher/Downloader/Installer.
class WuaSession {
  [string]$ClientApplicationID; [bool]$ReadOnly; [object]$WebProxy
  [object]$scenario
  [object] CreateUpdateSearcher() { $s = [WuaSearcher]::new(); $s.scenario = $this.scenario; return $s }
  [object] CreateUpdateDownloader() {
    $d = [WuaDownloader]::new(); $d.scenario = $this.scenario; $d.sectionName = 'download'; return $d
  }
  [object] CreateUpdateInstaller() {
    $i = [WuaInstaller]::new(); $i.scenario = $this.scenario; $i.sectionName = 'install'
    Add-Member -InputObject $i -MemberType ScriptProperty -Name IsBusy -Value { [bool](Get-WuaSetting $this.scenario 'installerBusy' $false) }
    Add-Member -InputObject $i -MemberType ScriptProperty -Name RebootRequiredBeforeInstallation -Value {
      [bool](Get-WuaSetting $this.Section() 'rebootRequiredBeforeInstallation' $false)
    }
    return $i
  }
  [object] CreateUpdateServiceManager() { return New-WuaServiceManager $this.scenario }
}

function global:New-WuaUpdate($u) {
  $x = [WuaUpdate]::new()
  $x.Title = $u.title
  $x.Identity = [WuaIdentity]@{ UpdateID = $u.id; RevisionNumber = $u.revision }
  $x.KBArticleIDs = [WuaCollection]::Of(@($u.kbs))
  $x.Categories = [WuaCollection]::Of(@(foreach ($c in @($u.categories)) { [WuaCategory]@{ Name = $c.name; Type = $c.type; CategoryID = $c.id } }))
  $x.MsrcSeverity = $u.severity
  $x.MaxDownloadSize = $u.maxDownloadSize
  $x.InstallationBehavior = [WuaInstallationBehavior]@{
    RebootBehavior = $u.rebootBehavior; Impact = $u.impact
    CanRequestUserInput = (Get-WuaSetting $u 'canRequestUserInput' $false)
  }
  $x.EulaAccepted = $u.eulaAccepted
  $x.BrowseOnly = $u.browseOnly
  $x.IsDownloaded = $u.downloaded
  return $x
}

function global:New-WuaServiceManager($scenario) {
  $m = [WuaServiceManager]::new()
  $m.Services = [WuaCollection]::Of(@(foreach ($s in @(Get-WuaSetting $scenario 'services' @())) {
    [WuaService]@{ Name = $s.name; ServiceID = $s.id; IsManaged = $s.isManaged; IsDefaultAUService = $s.isDefaultAUService }
  }))
  return $m
}

function New-Object {
  [CmdletBinding(DefaultParameterSetName = 'Net')]
  param(
    [Parameter(ParameterSetName = 'Net', Mandatory = $true, Position = 0)][string]$TypeName,
    [Parameter(ParameterSetName = 'Net', Position = 1)][object[]]$ArgumentList,
    [Parameter(ParameterSetName = 'Com', Mandatory = $true)][string]$ComObject
  )
  if ($PSCmdlet.ParameterSetName -eq 'Net') {
    $real = @{ TypeName = $TypeName }
    if ($PSBoundParameters.ContainsKey('ArgumentList')) { $real.ArgumentList = $ArgumentList }
    return Microsoft.PowerShell.Utility\New-Object @real
  }
  $global:WuaCalls.Add("New-Object:$ComObject")
  # Written as the cmdlet writes it: a collection is one object, not enumerated.
  $PSCmdlet.WriteObject((New-WuaComObject $ComObject), $false)
}

function global:New-WuaComObject([string]$ComObject) {
  $scenario = Get-WuaScenario
  $sessionHresult = Get-WuaSetting $scenario 'sessionHresult' $null
  switch ($ComObject) {
    'Microsoft.Update.Session' {
      if ($null -ne $sessionHresult) { throw [System.Runtime.InteropServices.COMException]::new('Retrieving the COM class factory failed', [int]$sessionHresult) }
      return [WuaSession]@{ scenario = $scenario }
    }
    'Microsoft.Update.UpdateColl' { return , [WuaCollection]::new() }
    'Microsoft.Update.SystemInfo' { return New-WuaSystemInformation $scenario }
    'Microsoft.Update.ServiceManager' { return New-WuaServiceManager $scenario }
    default { throw "wua-stand-ins: no stand-in for COM class $ComObject" }
  }
}

# Get-Service exists only on Windows; the bridge asks it for wuauserv's state.
function Get-Service {
  param([string]$Name, [System.Management.Automation.ActionPreference]$ErrorAction)
  $status = Get-WuaSetting (Get-WuaScenario) 'wuauserv' 'Running'
  if ($status -eq 'Missing') { return $null }
  return [pscustomobject]@{ Name = $Name; Status = $status }
}
