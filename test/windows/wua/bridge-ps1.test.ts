import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Language, type Node, Parser } from 'web-tree-sitter';
import {
  bridgeArgs,
  bridgeScriptText,
  MAX_COMMAND_LINE,
  powershellPath,
} from '../../../src/windows/wua/bridge-script.ts';
import { progressSchema } from '../../../src/windows/wua/protocol.ts';
import { toCmdLine } from '../../../src/windows-common/schtasks-command.ts';

const require = createRequire(import.meta.url);

let parser: Parser | null = null;

async function parsePowerShell(text: string) {
  if (!parser) {
    await Parser.init();
    const lang = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    parser = new Parser();
    parser.setLanguage(lang);
  }
  const tree = parser.parse(text);
  assert.ok(tree, 'tree-sitter returned no tree');
  return tree;
}

function problems(node: Node, out: string[] = []): string[] {
  if (node.type === 'ERROR' || node.isMissing) {
    out.push(
      `${node.isMissing ? 'MISSING' : 'ERROR'} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${node.text.slice(0, 60)}`,
    );
  }
  for (const child of node.children) if (child) problems(child, out);
  return out;
}

test('bridge.ps1 parses with the PowerShell grammar: no ERROR or MISSING node', async () => {
  const tree = await parsePowerShell(bridgeScriptText());
  assert.deepEqual(problems(tree.rootNode), []);
  assert.equal(tree.rootNode.hasError, false);
});

test('the parse check does catch a broken script', async () => {
  const tree = await parsePowerShell("switch ($op) {\n  'ping' { $result = 'pong'\n}\nSend @{ id = 1\n");
  assert.ok(tree.rootNode.hasError);
  assert.ok(problems(tree.rootNode).length > 0);
});

test('bridge.ps1 answers every op the agent sends', () => {
  const text = bridgeScriptText();
  for (const op of [
    'ping',
    'search',
    'acceptEula',
    'download',
    'install',
    'rebootRequired',
    'serviceCheck',
    'exit',
  ]) {
    assert.match(text, new RegExp(`^\\s*'${op}' \\{`, 'm'), `no switch case for ${op}`);
  }
});

test('the encoded command decodes to the script and fits a Windows command line', () => {
  const args = bridgeArgs();
  assert.deepEqual(args.slice(0, 5), [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
  ]);
  assert.equal(Buffer.from(args[5] ?? '', 'base64').toString('utf16le'), bridgeScriptText());
  const line = toCmdLine([powershellPath({ SystemRoot: 'C:\\Windows' }), ...args]);
  assert.ok(line.length < MAX_COMMAND_LINE, `command line is ${line.length} characters`);
});

test('powershell.exe is found by absolute path under SystemRoot', () => {
  assert.equal(
    powershellPath({ SystemRoot: 'D:\\WINNT' }),
    'D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  );
});

test('downloads and installs run asynchronously and poll the job, ending it and releasing callbacks', () => {
  const text = bridgeScriptText();
  for (const call of [
    '$downloader.BeginDownload($cb, $cb, $null)',
    '$downloader.EndDownload($job)',
    '$installer.BeginInstall($cb, $cb, $null)',
    '$installer.EndInstall($job)',
    '$job.GetProgress()',
    '$job.IsCompleted',
    '$job.CleanUp()',
  ]) {
    assert.ok(text.includes(call), `bridge.ps1 does not call ${call}`);
  }
});

test('the progress line bridge.ps1 writes has the fields the agent’s schema reads', () => {
  const line = /Send @\{ id = \$reqId; progress = @\{ ([^}]*) \} \}/.exec(bridgeScriptText());
  assert.ok(line, 'no progress Send in bridge.ps1');
  const keys = (line[1] ?? '').split(';').map((kv) => kv.split('=')[0]?.trim());
  assert.deepEqual(keys.sort(), Object.keys(progressSchema.shape.progress.shape).sort());
});

// The IIDs of wuapi.h (docs/windows-facts.md#wua-asynchronous-calls).
const CALLBACK_IIDS = {
  IDownloadProgressChangedCallback: '8C3F1CDD-6173-4591-AEBD-A56A53CA77C1',
  IDownloadCompletedCallback: '77254866-9F5B-4C8E-B9E2-C77A8530D64B',
  IInstallationProgressChangedCallback: 'E01402D5-F8DA-43BA-A012-38894BD048F1',
  IInstallationCompletedCallback: '45F4F6F3-D602-4F98-9A8A-3EFA152AD2D3',
};

function callbackSource(): string {
  const m = /^\$callbackSource = @'\r?\n([\s\S]*?)\r?\n'@$/m.exec(bridgeScriptText());
  assert.ok(m, 'no $callbackSource here-string in bridge.ps1');
  return m[1] as string;
}

test('the callback class declares each WUA callback interface with its IID and implements it', () => {
  const cs = callbackSource();
  for (const [name, iid] of Object.entries(CALLBACK_IIDS)) {
    assert.match(cs, new RegExp(`Guid\\("${iid}"\\)[^\\n]*\\n\\s*public interface ${name} \\{`), name);
    assert.match(cs, new RegExp(`void ${name}\\.Invoke\\(`), `${name} not implemented`);
  }
  assert.match(cs, /public sealed class WuaCallback : [^{]*/);
});

const mcs = spawnSync('mcs', ['--version'], { encoding: 'utf8' });
test('the callback C# compiles (Mono mcs standing in for Add-Type’s compiler)', {
  skip: mcs.status === 0 ? false : 'mcs (Debian mono-mcs) is not installed',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wua-cs-'));
  try {
    writeFileSync(join(dir, 'cb.cs'), callbackSource());
    const r = spawnSync('mcs', ['-target:library', `-out:${join(dir, 'cb.dll')}`, join(dir, 'cb.cs')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, `mcs failed: ${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
