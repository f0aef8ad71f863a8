import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import type { TaskDefinition } from '../../src/model/task-definition.ts';
import {
  createWindowsTargetAccess,
  ipTargetWarning,
  STATUS_TASK_NAME,
  type UncFs,
} from '../../src/windows/target-access.ts';
import { fakeExec, type Handler } from './fake-exec.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'windows', 'schtasks');
const capture = readFileSync(join(fixtures, 'query-v-resticprofile.csv'), 'utf8');
const TN = '\\WsusConnector\\Patch';
const tmp = mkdtempSync(join(tmpdir(), 'win-target-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function memFs() {
  const files = new Map<string, Buffer>();
  const dirs = new Set<string>();
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  const fs: UncFs = {
    async readFile(p) {
      const b = files.get(p);
      if (!b) throw enoent(p);
      return b;
    },
    async writeFile(p, d) {
      files.set(p, Buffer.from(d));
    },
    async mkdir(p) {
      dirs.add(p);
    },
    async rm(p) {
      files.delete(p);
    },
    async stat(p) {
      if (p.endsWith('ADMIN$')) return {};
      throw enoent(p);
    },
  };
  return { fs, files, dirs };
}

/** A row of the real capture, renamed to `name` with the given status and last result. */
function row(name: string, status: string, lastResult: number) {
  const data = capture.split('\n')[1] as string;
  return `${data
    .replace('\\resticprofile backup\\self backup', name)
    .replace('"Ready"', `"${status}"`)
    .replace('"-2147024894"', `"${lastResult}"`)}\r\n`;
}

function target(handler: Handler, extra: Partial<Parameters<typeof createWindowsTargetAccess>[0]> = {}) {
  const { exec, calls } = fakeExec(handler);
  const mem = memFs();
  const logged: string[] = [];
  const access = createWindowsTargetAccess({
    server: 'srv01',
    exec,
    fs: mem.fs,
    log: (l) => logged.push(l),
    sleep: async () => {},
    ...extra,
  });
  return { access, calls, logged, ...mem };
}

/** A minimal task staged at xmlPath. */
function taskAt(xmlPath: string): TaskDefinition {
  return {
    xmlPath,
    description: 'test',
    command: 'C:\\wsus\\wsus-client.exe',
    arguments: 'run',
    workingDirectory: 'C:\\wsus',
    startBoundary: new Date('2026-11-24T06:00:00Z'),
    executionTimeLimit: 'PT1H',
  };
}

test('task commands run schtasks.exe /S with the share path of the XML', async () => {
  const { access, calls, logged } = target(() => ({ stdout: 'SUCCESS: ...\r\n' }));
  await access.createTask(TN, taskAt('C:\\ProgramData\\wsus-connector\\runs\\r1-c1\\task.xml'), false);
  await access.createTask(TN, taskAt('C:\\Windows\\Temp\\wsus-connector\\r1\\task.xml'), true);
  await access.runTask(TN);
  await access.endTask(TN);
  await access.deleteTask(TN);
  assert.deepEqual(
    calls.map((c) => [c.file, ...c.args]),
    [
      [
        'schtasks.exe',
        '/Create',
        '/S',
        'srv01',
        '/TN',
        TN,
        '/XML',
        '\\\\srv01\\C$\\ProgramData\\wsus-connector\\runs\\r1-c1\\task.xml',
      ],
      [
        'schtasks.exe',
        '/Create',
        '/S',
        'srv01',
        '/TN',
        TN,
        '/XML',
        '\\\\srv01\\ADMIN$\\Temp\\wsus-connector\\r1\\task.xml',
        '/F',
      ],
      ['schtasks.exe', '/Run', '/S', 'srv01', '/TN', TN],
      ['schtasks.exe', '/End', '/S', 'srv01', '/TN', TN],
      ['schtasks.exe', '/Delete', '/S', 'srv01', '/TN', TN, '/F'],
    ],
  );
  assert.equal(logged[2], `schtasks /Run /S srv01 /TN "${TN}"`);
});

test('schtasks errors become TargetError kinds', async () => {
  const exists = target(() => ({
    exitCode: 1,
    stdout: `WARNING: The task name "${TN}" already exists. Do you want to replace it (Y/N)? `,
  }));
  await assert.rejects(
    exists.access.createTask(TN, taskAt('C:\\x\\task.xml'), false),
    (e: unknown) => e instanceof TargetError && e.kind === 'task-exists',
  );
  const denied = target(() => ({ exitCode: 1, stderr: 'ERROR: Access is denied.\r\n' }));
  await assert.rejects(
    denied.access.runTask(TN),
    (e: unknown) => e instanceof TargetError && e.kind === 'access-denied',
  );
  // "cannot find the file" while creating means the XML file, not the task.
  const noXml = target(() => ({
    exitCode: 1,
    stderr: 'ERROR: The system cannot find the file specified.\r\n',
  }));
  await assert.rejects(
    noXml.access.createTask(TN, taskAt('C:\\x\\task.xml'), false),
    (e: unknown) => e instanceof TargetError && e.kind === 'command-failed' && /task XML/.test(e.message),
  );
  const hung = target(() => ({ exitCode: null, error: 'timed out after 60s' }));
  await assert.rejects(hung.access.endTask(TN), /timed out/);
});

test('queryTask parses the verbose CSV row by position, and a missing task is null', async () => {
  const q = target((_f, args) => (args[0] === '/Query' ? { stdout: row(TN, 'Running', 267009) } : {}));
  const info = await q.access.queryTask(TN);
  assert.deepEqual(info, {
    name: TN,
    status: 'Running',
    lastResult: 267009,
    lastRunTime: '13/02/2025 17:15:00',
    nextRunTime: '13/02/2025 17:30:00',
  });
  assert.deepEqual(q.calls[0]?.args, ['/Query', '/S', 'srv01', '/TN', TN, '/FO', 'CSV', '/V', '/NH']);
  const missing = target(() => ({
    exitCode: 1,
    stderr: `ERROR: The specified task name "${TN}" does not exist in the system.\r\n`,
  }));
  assert.equal(await missing.access.queryTask(TN), null);
});

test('explicit credentials: the SMB session gets the password on stdin only, /P reaches schtasks, logs show none', async () => {
  const secret = 's3cr%t "pw"';
  const { access, calls, logged } = target(
    (file) => (file.endsWith('powershell.exe') ? { stdout: '{"message":"connected","code":0}\r\n' } : {}),
    { credentials: { user: 'CORP\\patcher', password: secret } },
  );
  await access.connect();
  await access.runTask(TN);
  await access.close();
  const smb = calls[0];
  assert.equal(smb?.file, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  assert.ok(!smb?.args.some((a) => a.includes('s3cr')), 'no argument carries the password');
  assert.equal(smb?.input, `\\\\srv01\\IPC$\nCORP\\patcher\n${secret}\n`);
  const script = Buffer.from(smb?.args.at(-1) ?? '', 'base64').toString('utf16le');
  assert.match(script, /WNetAddConnection2W/);
  assert.ok(!calls.some((c) => c.file === 'net.exe' && !c.args.includes('/delete')), 'net.exe only deletes');
  assert.deepEqual(calls[1]?.args, ['/Run', '/S', 'srv01', '/U', 'CORP\\patcher', '/P', secret, '/TN', TN]);
  assert.deepEqual(calls[2], { file: 'net.exe', args: ['use', '\\\\srv01\\IPC$', '/delete', '/y'] });
  for (const line of logged) assert.ok(!line.includes('s3cr'), line);
  assert.match(logged[0] ?? '', /WNetAddConnection2W \\\\srv01\\IPC\$ user CORP\\patcher/);
  assert.match(logged[1] ?? '', /\/U "CORP\\patcher" \/P \*\*\* \/TN/);
});

test('without credentials nothing but /S is added, and connect only checks ADMIN$', async () => {
  const { access, calls } = target(() => ({}));
  await access.connect();
  await access.runTask(TN);
  assert.equal(calls.length, 1);
  assert.ok(!calls[0]?.args.includes('/U'));
});

test('a target given as an IP address is warned about once per connect: NTLM only, no Kerberos', async () => {
  const byIp = target(() => ({}), { server: '10.0.0.12' });
  await byIp.access.connect();
  assert.match(byIp.logged[0] ?? '', /10\.0\.0\.12 is an IP address.*NTLM only, not Kerberos/);
  const byName = target(() => ({}));
  await byName.access.connect();
  assert.ok(!byName.logged.some((l) => /NTLM/.test(l)));
  assert.equal(ipTargetWarning('srv01.corp.example'), null);
});

test('bad credentials are an auth error naming the share and the Win32 error', async () => {
  const { access } = target(
    () => ({
      exitCode: 1,
      stdout: '{"message":"The user name or password is incorrect.","code":1326}\r\n',
    }),
    { credentials: { user: 'u', password: 'p' } },
  );
  await assert.rejects(
    access.connect(),
    (e: unknown) =>
      e instanceof TargetError &&
      e.kind === 'auth' &&
      /IPC\$.*Win32 error 1326: The user name/.test(e.message),
  );
});

test('files go through the administrative shares; a missing file reads as null', async () => {
  const { access, files, dirs } = target(() => ({}));
  await access.writeFile('C:\\Windows\\Temp\\wsus-connector\\r1\\job.json', '{"a":1}');
  assert.equal(files.get('\\\\srv01\\ADMIN$\\Temp\\wsus-connector\\r1\\job.json')?.toString(), '{"a":1}');
  assert.ok(dirs.has('\\\\srv01\\ADMIN$\\Temp\\wsus-connector\\r1'));
  assert.equal(
    (await access.readFile('C:\\Windows\\Temp\\wsus-connector\\r1\\job.json'))?.toString(),
    '{"a":1}',
  );
  assert.equal(await access.readFile('D:\\nothing.txt'), null);
  await access.removeFile('C:\\Windows\\Temp\\wsus-connector\\r1\\job.json');
  assert.equal(files.size, 0);
  await assert.rejects(access.writeFile('relative\\x', 'a'), /not an absolute Windows path/);
});

test('openPipe connects to \\\\server\\pipe\\NAME and hands back the stream', async () => {
  const sock = join(tmp, 'pipe.sock');
  const server = createServer((s) => s.end('hello\n'));
  await new Promise<void>((r) => server.listen(sock, r));
  try {
    let asked = '';
    const { access } = target(() => ({}), {
      connectPipe: (p) => {
        asked = p;
        return netConnect(sock);
      },
    });
    const stream = await access.openPipe('wsus-connector-r1-c1', 'C:\\x\\wsus-client.exe');
    assert.equal(asked, '\\\\srv01\\pipe\\wsus-connector-r1-c1');
    const text = await new Promise<string>((resolve) => {
      let buf = '';
      stream.on('data', (d) => {
        buf += d;
      });
      stream.on('end', () => resolve(buf));
    });
    assert.equal(text, 'hello\n');
    const { access: refused } = target(() => ({}), {
      connectPipe: () => netConnect(join(tmp, 'nobody.sock')),
    });
    await assert.rejects(
      refused.openPipe('x', 'c'),
      (e: unknown) => e instanceof TargetError && e.kind === 'unreachable',
    );
  } finally {
    server.close();
  }
});

test('probe: ping with per-platform args plus TCP 445; ping alone is reported as such', async () => {
  const win = target(() => ({ stdout: 'Reply from 10.0.0.5: bytes=32 time<1ms TTL=128\r\n' }), {
    platform: 'win32',
    tcpProbe: async (h, p) => h === 'srv01' && p === 445 && false,
  });
  assert.deepEqual(await win.access.probe(), { ping: true, transport: false });
  assert.deepEqual(win.calls[0], { file: 'ping', args: ['-n', '1', '-w', '1000', 'srv01'] });
  const unreachable = target(() => ({ stdout: 'Reply from 10.0.0.1: Destination host unreachable.\r\n' }), {
    platform: 'win32',
    tcpProbe: async () => true,
  });
  assert.deepEqual(await unreachable.access.probe(), { ping: false, transport: true });
  const linux = target(() => ({ exitCode: 0 }), { platform: 'linux', tcpProbe: async () => true });
  assert.deepEqual(await linux.access.probe(), { ping: true, transport: true });
  assert.deepEqual(linux.calls[0]?.args, ['-c', '1', '-W', '1', 'srv01']);
});

test('clientStatus runs the client as a one-shot task and reads its JSON through ADMIN$', async () => {
  const status = {
    bootTime: '2026-11-24T06:01:00.000Z',
    rebootPending: false,
    servicingInProgress: true,
    activeRun: null,
  };
  let queries = 0;
  const ctx = target((_f, args) => {
    if (args[0] === '/Run') {
      // The task's action wrote its output: find the path in the registered XML.
      const xmlPath = [...ctx.files.keys()].find((k) => k.endsWith('.xml')) as string;
      const xml = (ctx.files.get(xmlPath) as Buffer).subarray(2).toString('utf16le');
      const out = /&gt; "C:\\Windows\\Temp\\wsus-connector\\(status-[0-9a-f]+\.json)"/.exec(xml)?.[1];
      assert.ok(out, xml);
      ctx.files.set(
        `\\\\srv01\\ADMIN$\\Temp\\wsus-connector\\${out}`,
        Buffer.from(`${JSON.stringify(status)}\r\n`),
      );
    }
    if (args[0] === '/Query') {
      queries++;
      return {
        stdout: queries < 2 ? row(STATUS_TASK_NAME, 'Running', 267009) : row(STATUS_TASK_NAME, 'Ready', 0),
      };
    }
    return {};
  });
  const got = await ctx.access.clientStatus('\\\\share\\wsus\\wsus-client.exe');
  assert.deepEqual(got, status);
  const verbs = ctx.calls.map((c) => c.args[0]);
  assert.deepEqual(verbs, ['/Create', '/Run', '/Query', '/Query', '/Delete']);
  assert.equal(ctx.files.size, 0, 'status files are removed');
});

test('clientStatus reports a failing client with its output', async () => {
  const ctx = target((_f, args) =>
    args[0] === '/Query' ? { stdout: row(STATUS_TASK_NAME, 'Ready', 1) } : {},
  );
  await assert.rejects(ctx.access.clientStatus('C:\\x\\wsus-client.exe'), /last result 1/);
  assert.ok(ctx.calls.some((c) => c.args[0] === '/Delete'));
  await assert.rejects(ctx.access.clientStatus('C:\\x"y'), /quotes/);
});

test('server names that could smuggle arguments are refused', () => {
  for (const bad of ['', '-n', 'a b', 'srv/01', '\\\\srv']) {
    assert.throws(() => createWindowsTargetAccess({ server: bad }), /server name/);
  }
});
