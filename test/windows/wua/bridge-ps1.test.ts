// The checks of bridge.ps1 that need no PowerShell: it parses (tree-sitter's grammar) and its
// encoded command fits a Windows command line. It is run under real pwsh by test/powershell/ (Pester)
// and bridge-pwsh.test.ts.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { Language, type Node, Parser } from 'web-tree-sitter';
import {
  bridgeArgs,
  bridgeScriptText,
  compactScript,
  MAX_COMMAND_LINE,
  powershellPath,
} from '../../../src/windows/wua/bridge-script.ts';
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

test('the encoded command decodes to the script and fits a Windows command line', () => {
  const args = bridgeArgs();
  assert.deepEqual(args.slice(0, 5), [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
  ]);
  assert.equal(Buffer.from(args[5] ?? '', 'base64').toString('utf16le'), compactScript(bridgeScriptText()));
  const line = toCmdLine([powershellPath({ SystemRoot: 'C:\\Windows' }), ...args]);
  assert.ok(line.length < MAX_COMMAND_LINE, `command line is ${line.length} characters`);
});

test('the compacted script keeps every code line and the here-string as written', () => {
  const text = bridgeScriptText();
  const compact = compactScript(text);
  assert.ok(compact.length < text.length * 0.9, `${compact.length} of ${text.length}`);
  const hereString = /@'\r?\n([\s\S]*?)\r?\n'@/.exec(text)?.[1];
  assert.ok(
    hereString && compact.includes(hereString.replace(/\r\n/g, '\n')),
    'the C# source is kept verbatim',
  );
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line && !line.startsWith('#')) assert.ok(compact.includes(line), line);
  }
});

test('powershell.exe is found by absolute path under SystemRoot', () => {
  assert.equal(
    powershellPath({ SystemRoot: 'D:\\WINNT' }),
    'D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  );
});
