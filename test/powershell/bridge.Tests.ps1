# Pester 5 suite of src/windows/wua/bridge.ps1 under real PowerShell, with the WUA COM objects
# replaced by the stand-ins of wua-stand-ins.ps1. Each case runs the real script with its stdin
# and stdout swapped for strings, and checks the JSON lines it writes. The TypeScript side's own
# schemas read the same bridge in test/windows/wua/bridge-pwsh.test.ts.

BeforeAll {
  $script:BridgePath = Join-Path $PSScriptRoot '../../src/windows/wua/bridge.ps1'
  . (Join-Path $PSScriptRoot 'wua-stand-ins.ps1')

  $script:Ssu = @{
    id = '0A6B3A0E-1B1C-4F43-9D5A-2B0F4E1C0001'; revision = 1; title = 'Servicing Stack Update (KB5044414)'
    kbs = @('5044414')
    categories = @(@{ name = 'Security Updates'; type = 'UpdateClassification'; id = '0fa1201d-4330-4fa8-8ae9-b877473b6441' })
    severity = 'Critical'; maxDownloadSize = 15728640; rebootBehavior = 0; impact = 1
    eulaAccepted = $true; browseOnly = $false; downloaded = $false
  }
  $script:Lcu = @{
    id = '7a0c11e2-5d3b-4e7e-9c43-6f1b8e2d0002'; revision = 200; title = 'Cumulative Update (KB5044281)'
    kbs = @('5044281', '5044282', '5044283')
    categories = @(
      @{ name = 'Security Updates'; type = 'UpdateClassification'; id = '0fa1201d-4330-4fa8-8ae9-b877473b6441' },
      @{ name = 'Windows Server 2022'; type = 'Product'; id = '71718f13-7324-4c0f-8f6e-4e1f0f1a2a3c' }
    )
    severity = $null; maxDownloadSize = 545259520; rebootBehavior = 2; impact = 0; canRequestUserInput = $true
    eulaAccepted = $false; browseOnly = $false; downloaded = $true
  }
  $script:Driver = @{
    id = 'c0ffee00-0000-4000-8000-000000000003'; revision = 3; title = 'A driver with no KB and no category'
    kbs = @(); categories = @(); severity = ''; maxDownloadSize = 0; rebootBehavior = 1; impact = 2
    eulaAccepted = $true; browseOnly = $true; downloaded = $false
  }

  # Runs bridge.ps1 once over the given request lines; returns every JSON line it wrote, parsed,
  # with the raw text of each in .raw (for the checks on JSON arrays).
  function Invoke-Bridge([hashtable]$Scenario, [string[]]$Requests) {
    $env:WSUS_WUA_SCENARIO = ConvertTo-Json -InputObject $Scenario -Depth 8 -Compress
    $global:WuaCalls.Clear()
    $stdin = [System.IO.StringReader]::new((($Requests | ForEach-Object { $_ }) -join "`n") + "`n")
    $stdout = [System.IO.StringWriter]::new()
    $stdin0 = [Console]::In; $stdout0 = [Console]::Out
    [Console]::SetIn($stdin); [Console]::SetOut($stdout)
    try {
      # Strict mode: reading a member no stand-in has (so no COM interface documents) fails.
      Set-StrictMode -Version Latest
      & $script:BridgePath
    } finally {
      Set-StrictMode -Off
      [Console]::SetIn($stdin0); [Console]::SetOut($stdout0)
    }
    $lines = @($stdout.ToString() -split "`r?`n" | Where-Object { $_ -ne '' })
    return , @($lines | ForEach-Object { $o = ConvertFrom-Json -InputObject $_; $o | Add-Member raw $_; $o })
  }

  # An HRESULT as the signed 32-bit value COM and the bridge carry.
  function Signed([long]$Value) { if ($Value -gt [int]::MaxValue) { $Value -= 0x100000000L }; return [int]$Value }

  function Request([int]$Id, [hashtable]$Fields) {
    return ConvertTo-Json -InputObject (@{ id = $Id } + $Fields) -Depth 5 -Compress
  }

  $script:Search = @{ op = 'search'; criteria = "IsInstalled=0 and IsHidden=0 and Type='Software'"; serverSelection = 1; serviceId = $null }
  function Get-Reply($lines, [int]$Id) { return @($lines | Where-Object { $_.PSObject.Properties['ok'] -and $_.id -eq $Id })[0] }
}

Describe 'bridge.ps1 start and request loop' {
  It 'starts with the ready line, protocol 1 and the PowerShell version' {
    $out = Invoke-Bridge @{} @((Request 1 @{ op = 'ping' }))
    $out[0].ready | Should -BeTrue
    $out[0].protocol | Should -Be 1
    $out[0].powershell | Should -Be ([string]$PSVersionTable.PSVersion)
    (Get-Reply $out 1).result | Should -Be 'pong'
    $global:WuaCalls | Should -Contain 'New-Object:Microsoft.Update.Session'
  }

  It 'answers a line that is not JSON with id null and a non-COM error, then goes on' {
    $out = Invoke-Bridge @{} @('this is not json', (Request 2 @{ op = 'ping' }))
    $bad = $out[1]
    $bad.id | Should -BeNullOrEmpty
    $bad.ok | Should -BeFalse
    $bad.com | Should -BeFalse
    $bad.message | Should -Not -BeNullOrEmpty
    (Get-Reply $out 2).result | Should -Be 'pong'
  }

  It 'names an unknown op in its error' {
    $out = Invoke-Bridge @{} @((Request 3 @{ op = 'reboot' }))
    $r = Get-Reply $out 3
    $r.ok | Should -BeFalse
    $r.com | Should -BeFalse
    $r.message | Should -Match 'unknown-op:reboot'
  }

  It 'answers exit and reads no further line' {
    $out = Invoke-Bridge @{} @((Request 4 @{ op = 'exit' }), (Request 5 @{ op = 'ping' }))
    (Get-Reply $out 4).result | Should -BeTrue
    Get-Reply $out 5 | Should -BeNullOrEmpty
    $out.Count | Should -Be 2
  }
}

Describe 'search' {
  It 'returns an empty update list as a JSON array when nothing is found' {
    $out = Invoke-Bridge @{ updates = @() } @((Request 1 $script:Search))
    $r = Get-Reply $out 1
    $r.ok | Should -BeTrue
    $r.raw | Should -Match '"updates":\[\]'
    $r.raw | Should -Match '"warnings":\[\]'
  }

  It 'keeps one update, its one KB and its one category as arrays' {
    $out = Invoke-Bridge @{ updates = @($script:Ssu) } @((Request 1 $script:Search))
    $r = Get-Reply $out 1
    $r.raw | Should -Match '"updates":\[\{'
    $r.raw | Should -Match '"kbs":\["5044414"\]'
    $r.raw | Should -Match '"categories":\[\{'
    $u = $r.result.updates[0]
    $u.id | Should -Be '0a6b3a0e-1b1c-4f43-9d5a-2b0f4e1c0001'
    $u.categories[0].type | Should -Be 'UpdateClassification'
    $u.severity | Should -Be 'Critical'
    $u.impact | Should -Be 1
  }

  It 'lists many updates with KB and category lists of 0 and n, and every IUpdate field' {
    $out = Invoke-Bridge @{ updates = @($script:Ssu, $script:Lcu, $script:Driver) } @((Request 1 $script:Search))
    $updates = (Get-Reply $out 1).result.updates
    $updates.Count | Should -Be 3
    $lcu = $updates[1]
    $lcu.kbs | Should -Be @('5044281', '5044282', '5044283')
    $lcu.categories.name | Should -Be @('Security Updates', 'Windows Server 2022')
    $lcu.revision | Should -Be 200
    $lcu.maxDownloadSize | Should -Be 545259520
    $lcu.rebootBehavior | Should -Be 2
    $lcu.canRequestUserInput | Should -BeTrue
    $lcu.eulaAccepted | Should -BeFalse
    $lcu.downloaded | Should -BeTrue
    $lcu.severity | Should -Be ''
    $driver = $updates[2]
    (Get-Reply $out 1).raw | Should -Match '"kbs":\[\][,}]'
    (Get-Reply $out 1).raw | Should -Match '"categories":\[\][,}]'
    @($driver.kbs).Count | Should -Be 0
    @($driver.categories).Count | Should -Be 0
    $driver.browseOnly | Should -BeTrue
    $driver.canRequestUserInput | Should -BeFalse
  }

  It 'sets ServerSelection and ServiceID and passes the criteria through' {
    $req = @{ op = 'search'; criteria = 'IsInstalled=0'; serverSelection = 3; serviceId = '7971f918-a847-4430-9279-4a52d1efe18d' }
    $null = Invoke-Bridge @{} @((Request 1 $req))
    $global:WuaCalls | Should -Contain 'Search:IsInstalled=0|ServerSelection=3|ServiceID=7971f918-a847-4430-9279-4a52d1efe18d'
  }

  It 'reports a COM exception with its HRESULT, and the warnings of a search that worked' {
    $out = Invoke-Bridge @{ searchHresult = 0x8024402C } @((Request 1 $script:Search))
    $r = Get-Reply $out 1
    $r.ok | Should -BeFalse
    $r.com | Should -BeTrue
    $r.hresult | Should -Be (Signed 0x8024402C)
    $out = Invoke-Bridge @{ warnings = @(@{ hresult = 0x80244010; message = 'partial'; context = 1 }) } @((Request 2 $script:Search))
    $w = (Get-Reply $out 2).result.warnings
    @($w).Count | Should -Be 1
    $w[0].message | Should -Be 'partial'
  }
}

Describe 'download and install' {
  BeforeAll {
    $script:Found = @{ updates = @($script:Ssu, $script:Lcu) }
    $script:Ids = @('0a6b3a0e-1b1c-4f43-9d5a-2b0f4e1c0001', '7a0c11e2-5d3b-4e7e-9c43-6f1b8e2d0002')
  }

  It 'downloads asynchronously to completion with the compiled callback, streaming progress' {
    $scenario = $script:Found + @{ polls = 2; download = @{ perUpdate = @(@{ resultCode = 2 }, @{ resultCode = 4; hresult = 0x80240034 }) } }
    $out = Invoke-Bridge $scenario @((Request 1 $script:Search), (Request 2 @{ op = 'download'; ids = $script:Ids }))
    $progress = @($out | Where-Object { $_.PSObject.Properties['progress'] })
    $progress.Count | Should -Be 2
    $progress[0].id | Should -Be 2
    $progress[1].progress.index | Should -Be 1
    $r = (Get-Reply $out 2).result
    $r.updates.Count | Should -Be 2
    $r.updates[1].resultCode | Should -Be 4
    $r.updates[1].hresult | Should -Be (Signed 0x80240034)
    $r.rebootRequired | Should -BeFalse
    $global:WuaCalls | Should -Contain 'BeginDownload:WsusConnector.WuaCallback'
    $global:WuaCalls | Should -Contain 'EndDownload:2'
    $global:WuaCalls | Should -Contain 'CleanUp'
  }

  It 'compiles the callback class with Add-Type: one object for the four WUA callback interfaces' {
    $null = Invoke-Bridge $script:Found @((Request 1 $script:Search), (Request 2 @{ op = 'download'; ids = @($script:Ids[0]) }))
    $global:WuaCalls | Should -Contain 'BeginDownload:WsusConnector.WuaCallback'
    $cb = [WsusConnector.WuaCallback]::new()
    $cb | Should -BeOfType ([WsusConnector.IDownloadCompletedCallback])
    $cb | Should -BeOfType ([WsusConnector.IInstallationProgressChangedCallback])
    [WsusConnector.IDownloadProgressChangedCallback].GUID | Should -Be ([guid]'8C3F1CDD-6173-4591-AEBD-A56A53CA77C1')
    [WsusConnector.IInstallationCompletedCallback].GUID | Should -Be ([guid]'45F4F6F3-D602-4F98-9A8A-3EFA152AD2D3')
  }

  It 'installs with ForceQuiet and reports reboot flags, per update and before the next install' {
    $scenario = $script:Found + @{ install = @{
      rebootRequired = $true; rebootRequiredBeforeInstallation = $true
      perUpdate = @(@{ resultCode = 2 }, @{ resultCode = 2; rebootRequired = $true })
    } }
    $out = Invoke-Bridge $scenario @((Request 1 $script:Search), (Request 2 @{ op = 'install'; ids = $script:Ids; forceQuiet = $true }))
    $r = (Get-Reply $out 2).result
    $r.rebootRequired | Should -BeTrue
    $r.rebootRequiredBeforeInstallation | Should -BeTrue
    $r.updates[0].rebootRequired | Should -BeFalse
    $r.updates[1].rebootRequired | Should -BeTrue
    $global:WuaCalls | Should -Contain 'ForceQuiet=True'
    $global:WuaCalls | Should -Contain 'BeginInstall:WsusConnector.WuaCallback'
  }

  It 'finishes an install whose GetProgress fails, with no progress line' {
    $scenario = $script:Found + @{ polls = 2; progressHresult = 0x8024000C }
    $out = Invoke-Bridge $scenario @((Request 1 $script:Search), (Request 2 @{ op = 'install'; ids = @($script:Ids[0]); forceQuiet = $false }))
    @($out | Where-Object { $_.PSObject.Properties['progress'] }).Count | Should -Be 0
    (Get-Reply $out 2).ok | Should -BeTrue
    @($global:WuaCalls | Where-Object { $_ -eq 'GetProgress' }).Count | Should -Be 2
    $global:WuaCalls | Should -Contain 'ForceQuiet=False'
    $global:WuaCalls | Should -Contain 'CleanUp'
  }

  It 'reports an install refused by WUA as a COM error with its HRESULT, and still cleans up the job' {
    $scenario = $script:Found + @{ install = @{ throwHresult = 0x80240016 } }
    $out = Invoke-Bridge $scenario @((Request 1 $script:Search), (Request 2 @{ op = 'install'; ids = @($script:Ids[1]); forceQuiet = $true }))
    $r = Get-Reply $out 2
    $r.ok | Should -BeFalse
    $r.com | Should -BeTrue
    $r.hresult | Should -Be (Signed 0x80240016)
    $global:WuaCalls | Should -Contain 'CleanUp'
  }

  It 'refuses an id the last search did not return, without calling WUA' {
    $out = Invoke-Bridge $script:Found @((Request 1 $script:Search), (Request 2 @{ op = 'download'; ids = @('ffffffff-0000-0000-0000-000000000000') }))
    $r = Get-Reply $out 2
    $r.com | Should -BeFalse
    $r.message | Should -Match 'unknown-id:ffffffff'
    $global:WuaCalls | Should -Not -Contain 'BeginDownload:WsusConnector.WuaCallback'
  }

  It 'accepts a EULA on the IUpdate the search returned' {
    $out = Invoke-Bridge $script:Found @((Request 1 $script:Search), (Request 2 @{ op = 'acceptEula'; updateId = $script:Ids[1] }))
    (Get-Reply $out 2).result | Should -BeTrue
    $global:WuaCalls | Should -Contain 'AcceptEula:7a0c11e2-5d3b-4e7e-9c43-6f1b8e2d0002'
  }
}

Describe 'system state' {
  It 'reads SystemInfo.RebootRequired, and fails the request when the read fails' {
    $out = Invoke-Bridge @{ rebootRequired = $true } @((Request 1 @{ op = 'rebootRequired' }))
    (Get-Reply $out 1).result | Should -BeTrue
    # The stand-in's getter throws the COMException; PowerShell's property access yields $null
    # for it, which the bridge must answer as a failed read, not as "no reboot needed".
    $out = Invoke-Bridge @{ rebootRequiredHresult = 0x8024A007 } @((Request 1 @{ op = 'rebootRequired' }))
    $r = Get-Reply $out 1
    $r.ok | Should -BeFalse
    $r.message | Should -Match 'RebootRequired'
  }

  It 'reads IsBusy and RebootRequiredBeforeInstallation from a fresh installer' {
    $scenario = @{ installerBusy = $true; install = @{ rebootRequiredBeforeInstallation = $true } }
    $out = Invoke-Bridge $scenario @((Request 1 @{ op = 'installerBusy' }), (Request 2 @{ op = 'rebootRequiredBeforeInstallation' }))
    (Get-Reply $out 1).result | Should -BeTrue
    (Get-Reply $out 2).result | Should -BeTrue
  }

  It 'lists the update services and the wuauserv state' {
    $scenario = @{ wuauserv = 'Stopped'; services = @(@{ name = 'Microsoft Update'; id = '7971F918-A847-4430-9279-4A52D1EFE18D'; isManaged = $false; isDefaultAUService = $false }) }
    $out = Invoke-Bridge $scenario @((Request 1 @{ op = 'serviceCheck' }))
    $r = (Get-Reply $out 1).result
    $r.wuauserv | Should -Be 'Stopped'
    (Get-Reply $out 1).raw | Should -Match '"services":\[\{'
    $r.services[0].id | Should -Be '7971f918-a847-4430-9279-4a52d1efe18d'
  }
}

# Every script the product hands to powershell.exe, not only the bridge.
Describe 'Windows PowerShell 5.1 compatibility of <_>' -ForEach @('wua/bridge.ps1', 'smb-connect.ps1') {
  BeforeAll { $script:PsPath = Join-Path $PSScriptRoot "../../src/windows/$_" }

  It 'uses no syntax that only PowerShell 7 parses' {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:PsPath, [ref]$tokens, [ref]$errors)
    $errors | Should -BeNullOrEmpty
    $seven = $ast.FindAll({
        param($n)
        $n -is [System.Management.Automation.Language.TernaryExpressionAst] -or
        $n -is [System.Management.Automation.Language.PipelineChainAst] -or
        ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
        ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
        ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional)
      }, $true)
    @($seven).Count | Should -Be 0
  }

  It 'uses no cmdlet parameter that Windows PowerShell 5.1 lacks' {
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:PsPath, [ref]$null, [ref]$null)
    $seven = @{
      'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
      'ConvertTo-Json' = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
      'ForEach-Object' = @('Parallel', 'ThrottleLimit')
      'Get-Content' = @('AsByteStream')
    }
    $bad = foreach ($c in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
      $name = $c.GetCommandName()
      if ($seven.ContainsKey([string]$name)) {
        foreach ($p in $c.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
          if ($seven[$name] -contains $p.ParameterName) { "$name -$($p.ParameterName)" }
        }
      }
    }
    @($bad) | Should -BeNullOrEmpty
  }
}
