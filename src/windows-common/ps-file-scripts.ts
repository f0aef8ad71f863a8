// The file operations the winrm transport runs through its shell, which has no file protocol
// (docs/target-commands.md "Files over WinRM"): one constant Windows PowerShell 5.1 script per
// operation, started with -EncodedCommand (base64 of the UTF-16LE script, powershell.exe's own
// form: learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_exe).
// The parameters come on standard input (line 1 the path, then the data), so a script never
// carries a path and nothing in it needs quoting. Shared with the lab, which recognises them.

/** The exit code of the read script when the file does not exist. */
export const PS_NOT_FOUND_EXIT = 3;

const HEAD = "$ErrorActionPreference = 'Stop'\r\n$p = [Console]::In.ReadLine()\r\n";

export const PS_FILE_SCRIPTS = {
  /** Base64 lines until end of input into <path>.part, moved over <path>; prints its SHA-256. */
  write: `${HEAD}[void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($p))\r
$t = $p + '.part'\r
$f = [IO.File]::Create($t)\r
$h = [Security.Cryptography.SHA256]::Create()\r
try {\r
  while ($null -ne ($l = [Console]::In.ReadLine())) {\r
    if ($l.Length -eq 0) { continue }\r
    $b = [Convert]::FromBase64String($l)\r
    $f.Write($b, 0, $b.Length)\r
    [void]$h.TransformBlock($b, 0, $b.Length, $null, 0)\r
  }\r
  [void]$h.TransformFinalBlock([byte[]]@(), 0, 0)\r
} finally { $f.Close() }\r
Move-Item -Force -LiteralPath $t -Destination $p\r
[Console]::Out.WriteLine(([BitConverter]::ToString($h.Hash) -replace '-', '').ToLowerInvariant())\r
`,
  /** The whole file as one base64 line; exit 3 when it does not exist. */
  read: `${HEAD}if (-not [IO.File]::Exists($p)) { exit ${PS_NOT_FOUND_EXIT} }\r
[Console]::Out.WriteLine([Convert]::ToBase64String([IO.File]::ReadAllBytes($p)))\r
`,
  /** Removes the file; one already gone is success. */
  remove: `${HEAD}if ([IO.File]::Exists($p)) { [IO.File]::Delete($p) }\r
`,
  /** Creates the folder and its parents. */
  mkdir: `${HEAD}[void][IO.Directory]::CreateDirectory($p)\r
`,
} as const;

export type PsFileOp = keyof typeof PS_FILE_SCRIPTS;

/** Why: powershell.exe's -EncodedCommand takes base64 of the script's UTF-16LE bytes. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

/** Why: the argv of one file operation; no path or data is on the command line. */
export function psFileArgv(op: PsFileOp): string[] {
  return [
    'powershell.exe',
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
    encodeCommand(PS_FILE_SCRIPTS[op]),
  ];
}

/** Why: the lab reads which operation an -EncodedCommand line is (null: not one of these). */
export function psFileOpOf(encoded: string): PsFileOp | null {
  const script = Buffer.from(encoded, 'base64').toString('utf16le');
  for (const op of Object.keys(PS_FILE_SCRIPTS) as PsFileOp[]) if (PS_FILE_SCRIPTS[op] === script) return op;
  return null;
}
