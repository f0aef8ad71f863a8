// The Wine smoke of the Windows executables (docs/windows.md#what-is-verified-and-what-is-not); run it
// through scripts/wine-smoke.sh, which installs Wine and builds dist/windows first. Every Wine step has a
// timeout and writes its output to files: a Windows process under Wine cannot write to a Linux pipe. Checks:
//  1. wsus-client.exe and wsus-connector.exe answer --version with the package version;
//  2. a result code such as 1100 survives as the Windows exit code (not 1100 & 255);
//  3. Wine's schtasks.exe /Create /XML registers the task XML that buildTaskXml writes (and
//     rejects a broken one, so acceptance means something);
//  4. `wsus-client.exe run` serves its log on a real Windows named pipe: a wrong token gets
//     nothing, the right one reads to run.end and acks, directly and through `wsus-client.exe relay`;
//  5. `wsus-client.exe status` answers with Wine's reg.exe behind the Windows SystemPort.
// Needs: node --import tsx (for src/windows/task-xml.ts). Env: WINE_SMOKE_KEEP=1 keeps the work dir.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TASK_NAME } from '../src/connector/paths.ts';
import { initHostState } from '../src/lab/host-state.ts';
import { parseScenario } from '../src/lab/scenario.ts';
import { createTaskArgv } from '../src/windows-common/schtasks-command.ts';
import { buildTaskXml, encodeTaskXml } from '../src/windows-common/task-xml.ts';
import { buildExe } from './build-windows.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STEP_TIMEOUT_MS = Number(process.env.WINE_SMOKE_STEP_TIMEOUT_MS ?? 120_000);
const work = mkdtempSync(join(tmpdir(), 'wsus-wine-smoke-'));
const prefix = join(work, 'prefix');
const out = join(work, 'out');
mkdirSync(out);
const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const clientExe = join(root, 'dist', 'windows', 'wsus-client.exe');
// The shipped client carries no lab code; `run` uses the npm bin's entry (with the lab agent)
// built the same way, since Wine's powershell.exe cannot host the real WUA bridge. `relay`,
// `status` and `--version` run on the shipped executable.
const labClientExe = join(work, 'probe', 'wsus-client-lab.exe');
const connectorExe = join(root, 'dist', 'windows', 'wsus-connector.exe');
const results = [];
const started = Date.now();

/** Z:\... is how Wine's Windows processes see a Linux path. */
const win = (p) => `Z:${p.replaceAll('/', '\\')}`;

function say(line) {
  process.stdout.write(`wine-smoke: ${line}\n`);
}

/** Runs a Wine command with stdout/stderr in files; resolves with its (8-bit, Linux) exit status. */
function wine(name, args, { timeoutMs = STEP_TIMEOUT_MS, background = false } = {}) {
  const stdoutFile = join(out, `${name}.out`);
  const stderrFile = join(out, `${name}.err`);
  const fdOut = openSync(stdoutFile, 'w');
  const fdErr = openSync(stderrFile, 'w');
  const child = spawn('wine', args, { env, stdio: ['ignore', fdOut, fdErr] });
  closeSync(fdOut);
  closeSync(fdErr);
  const done = new Promise((resolveDone) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolveDone({ code: null, timedOut: true });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveDone({ code, timedOut: false });
    });
  }).then((r) => ({
    ...r,
    stdout: readFileSync(stdoutFile, 'utf8'),
    stderr: readFileSync(stderrFile, 'utf8'),
  }));
  return background ? { done, kill: () => child.kill('SIGKILL') } : done;
}

/**
 * Why: the probe records what it saw in a file and then ends. Now and then in CI runs Wine kept
 * a finished probe's process alive until the step timeout, its file long written: once the probe
 * that ran the client, once the reader through the relay (whose 120 s then made the client's
 * check time out). What is checked is in the file: a probe still there graceMs after its file is
 * killed and named, instead of failing a check or holding the next one.
 */
async function probeSettled(bg, resultFile, graceMs = 10_000) {
  let finished = null;
  void bg.done.then((r) => {
    finished = r;
  });
  const t0 = Date.now();
  let recordedAt = null;
  while (!finished && Date.now() - t0 < STEP_TIMEOUT_MS) {
    if (recordedAt === null && readJson(resultFile)) recordedAt = Date.now();
    if (recordedAt !== null && Date.now() - recordedAt > graceMs) {
      bg.kill();
      say(
        `note: the probe's Wine process was still there ${graceMs / 1000} s after it recorded its child's exit; killed`,
      );
      return { ...(await bg.done), timedOut: false, lingered: true };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return bg.done;
}

function check(name, ok, detail) {
  results.push({ name, ok, detail });
  say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function setupPrefix() {
  const t = Date.now();
  const boot = await wine('wineboot', ['wineboot', '--init'], { timeoutMs: 300_000 });
  if (boot.timedOut) throw new Error('wineboot --init timed out');
  await wine('winecfg', ['winecfg', '-v', 'win10']);
  say(`fresh WINEPREFIX ${prefix} (win10) in ${((Date.now() - t) / 1000).toFixed(1)}s`);
}

async function checkVersions() {
  for (const [name, exe] of [
    ['client', clientExe],
    ['connector', connectorExe],
  ]) {
    if (!existsSync(exe)) {
      check(`${name} --version`, false, `${exe} is missing (npm run build:windows)`);
      continue;
    }
    const r = await wine(`${name}-version`, [exe, '--version']);
    check(
      `wsus-${name}.exe --version`,
      r.code === 0 && r.stdout.trim() === version,
      `exit ${r.code}, printed "${r.stdout.trim()}"`,
    );
  }
}

async function checkExitCodes(probe) {
  // cmd's %ERRORLEVEL% is the full 32-bit exit code; Linux only ever sees its low 8 bits.
  const bat = join(work, 'exit-code.bat');
  const levelFile = join(work, 'errorlevel.txt');
  writeFileSync(
    bat,
    `@echo off\r\n"${win(probe)}" --exit 1100\r\necho %ERRORLEVEL%> "${win(levelFile)}"\r\n`,
  );
  const r = await wine('exit-code-cmd', ['cmd', '/c', win(bat)]);
  const level = existsSync(levelFile) ? readFileSync(levelFile, 'utf8').trim() : '(none)';
  check(
    'exit code 1100 as cmd.exe sees it',
    level === '1100',
    `%ERRORLEVEL% = ${level}; the Linux wine process exited ${r.code} (= 1100 & 255)`,
  );
  const spawnOut = join(work, 'spawn-exit.json');
  await wine('exit-code-spawn', [probe, '--out', win(spawnOut), '--spawn', win(probe), '--exit', '1100']);
  const j = readJson(spawnOut);
  check(
    'exit code 1100 as a Windows parent process sees it',
    j?.exitCode === 1100,
    `child exit code ${j?.exitCode}`,
  );
}

async function checkSchtasks() {
  const xml = buildTaskXml({
    description: 'wsus-connector Wine smoke',
    command: 'C:\\ProgramData\\wsus-connector\\bin\\wsus-client.exe',
    arguments: 'run --job "C:\\ProgramData\\wsus-connector\\runs\\smoke-c1\\job.json"',
    workingDirectory: 'C:\\ProgramData\\wsus-connector\\runs\\smoke-c1',
    startBoundary: new Date(Date.now() + 3600_000),
    endBoundary: new Date(Date.now() + 86_400_000),
    executionTimeLimit: 'PT4H',
    uri: TASK_NAME,
  });
  const good = join(work, 'task.xml');
  writeFileSync(good, encodeTaskXml(xml));
  const bad = join(work, 'bad-task.xml');
  writeFileSync(bad, encodeTaskXml(xml.replaceAll('Task>', 'Tusk>').replace('<Task ', '<Tusk ')));
  // The exact command lines the windows adapter builds (src/windows/schtasks-command.ts).
  const create = await wine('schtasks-create', createTaskArgv(TASK_NAME, win(good), false));
  const stored = join(prefix, 'drive_c', 'windows', 'system32', 'tasks', 'WsusConnector', 'Patch');
  const storedText = existsSync(stored) ? readFileSync(stored, 'utf8') : '';
  check(
    'schtasks /Create /XML accepts buildTaskXml output',
    create.code === 0 && storedText.includes('<ExecutionTimeLimit>PT4H</ExecutionTimeLimit>'),
    `exit ${create.code}; Wine stored the task ${storedText ? 'with ExecutionTimeLimit PT4H' : 'nowhere'}`,
  );
  const again = await wine('schtasks-create-again', createTaskArgv(TASK_NAME, win(good), false));
  const forced = await wine('schtasks-create-force', createTaskArgv(TASK_NAME, win(good), true));
  check(
    'an existing task needs /F',
    again.code !== 0 && forced.code === 0,
    `without /F exit ${again.code}, with /F exit ${forced.code}`,
  );
  const broken = await wine('schtasks-create-bad', createTaskArgv('\\WsusConnector\\Bad', win(bad), false), {
    timeoutMs: 30_000,
  });
  check(
    'schtasks /Create /XML rejects a task XML with the wrong root',
    broken.code !== 0 && !broken.timedOut,
    `exit ${broken.code}`,
  );
}

// The lab's emulated WUA (Wine's powershell.exe is a stub): two updates that install without a
// reboot, so a run under Wine really searches, downloads and installs.
const LAB_SCENARIO = parseScenario(
  JSON.stringify({
    timeScale: 0.01,
    hosts: [{ name: 'wine01', catalog: ['def', 'msrt'] }],
    catalog: [
      {
        id: 'def',
        updateId: '7a0c1b2d-0000-4000-8000-000000000101',
        kb: 'KB2267602',
        title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602',
        classification: 'Definition Updates',
        sizeMB: 50,
        downloadSeconds: 10,
        installSeconds: 10,
      },
      {
        id: 'msrt',
        updateId: '7a0c1b2d-0000-4000-8000-000000000102',
        kb: 'KB890830',
        title: 'Windows Malicious Software Removal Tool x64 (KB890830)',
        classification: 'Update Rollups',
        sizeMB: 70,
        downloadSeconds: 10,
        installSeconds: 10,
      },
    ],
  }),
  'wine-smoke',
);

async function writeJob(runId, cycle, pipe, token) {
  const dir = join(prefix, 'drive_c', 'ProgramData', 'wsus-connector', 'runs', `${runId}-c${cycle}`);
  mkdirSync(dir, { recursive: true });
  const labDir = `lab-c${cycle}`;
  await initHostState(
    join(prefix, 'drive_c', labDir),
    { host: LAB_SCENARIO.hosts[0], catalog: LAB_SCENARIO.catalog, timeScale: LAB_SCENARIO.timeScale },
    Date.now(),
  );
  const job = {
    runId,
    cycle,
    mode: 'install',
    pipe,
    token,
    ackTimeoutSeconds: 60,
    agent: { kind: 'lab', stateDir: `C:\\${labDir}` },
  };
  writeFileSync(join(dir, 'job.json'), `${JSON.stringify(job, null, 2)}\n`);
  return `C:\\ProgramData\\wsus-connector\\runs\\${runId}-c${cycle}\\job.json`;
}

async function checkPipe(probe) {
  const token = 'smoke-token-0123456789abcdef';
  for (const via of ['pipe', 'relay']) {
    const cycle = via === 'pipe' ? 1 : 2;
    const pipe = `wsus-connector-smoke-c${cycle}`;
    const jobPath = await writeJob('smoke', cycle, pipe, token);
    const clientResult = join(work, `client-${via}.json`);
    // The probe runs the client so the full Windows exit code is recorded.
    const client = wine(
      `client-run-${via}`,
      [
        probe,
        '--out',
        win(clientResult),
        '--child-out',
        win(join(out, `client-${via}.log`)),
        '--spawn',
        win(labClientExe),
        'run',
        '--job',
        jobPath,
      ],
      { background: true },
    );
    if (via === 'pipe') {
      const wrongOut = join(work, 'wrong-token.json');
      await probeSettled(
        wine(
          'reader-wrong-token',
          [probe, '--pipe', pipe, '--token', 'not-the-token-0123456789', '--out', win(wrongOut)],
          { background: true },
        ),
        wrongOut,
      );
      const w = readJson(wrongOut);
      check(
        'a wrong token gets nothing from the pipe',
        w?.receivedAny === false && w?.events === 0,
        w?.error ?? 'no result',
      );
    }
    const readOut = join(work, `reader-${via}.json`);
    const readerArgs = [probe, '--pipe', pipe, '--token', token, '--out', win(readOut)];
    if (via === 'relay') readerArgs.push('--relay', win(clientExe));
    await probeSettled(wine(`reader-${via}`, readerArgs, { background: true }), readOut);
    const r = readJson(readOut);
    const kinds = r?.kinds ?? [];
    const installed = (r?.runEnd?.summary?.updates ?? []).filter((u) => u.status === 'installed').length;
    check(
      `reader ${via === 'pipe' ? 'on \\\\.\\pipe\\' : 'through wsus-client.exe relay'} reads to run.end and acks`,
      r?.runEnd?.type === 'run.end' &&
        r.acked === r.runEnd.seq &&
        kinds[0] === 'run.start' &&
        installed === 2,
      r
        ? `${r.events ?? 0} events (${kinds.join(', ')}), run.end seq ${r.runEnd?.seq}, ${installed} installed by the lab agent; ${r.runEnd?.summary?.error?.message ?? r.error ?? ''}`
        : 'no result',
    );
    const done = await probeSettled(client, clientResult);
    const c = readJson(clientResult);
    const logFile = join(
      prefix,
      'drive_c',
      'ProgramData',
      'wsus-connector',
      'runs',
      `smoke-c${cycle}`,
      'log.jsonl',
    );
    const acked = existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"kind":"ack.received"');
    check(
      `wsus-client.exe run logs the ack and exits (${via})`,
      !done.timedOut && acked && c?.exitCode === 0,
      `ack.received ${acked ? 'in' : 'missing from'} log.jsonl; client exit code ${c?.exitCode}`,
    );
  }
}

async function checkStatus() {
  const r = await wine('client-status', [clientExe, 'status']);
  let status = null;
  try {
    status = JSON.parse(r.stdout);
  } catch {}
  check(
    'wsus-client.exe status answers through reg.exe',
    r.code === 0 &&
      typeof status?.bootTime === 'string' &&
      status.rebootPending === false &&
      status.servicingInProgress === false,
    r.stdout.trim() || r.stderr.trim(),
  );
}

async function main() {
  say(`work dir ${work}`);
  await setupPrefix();
  const t = Date.now();
  const probe = await buildExe(
    { name: 'smoke-probe', source: 'test/fixtures/windows/wine/smoke-probe.ts' },
    { dir: join(work, 'probe') },
  );
  await buildExe({ name: 'wsus-client-lab', source: 'src/cli/wsus-client.ts' }, { dir: join(work, 'probe') });
  say(`built ${probe} and ${labClientExe} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  await checkVersions();
  await checkExitCodes(probe);
  await checkSchtasks();
  await checkPipe(probe);
  await checkStatus();
}

/**
 * Why: after a failed run `wineserver -k` once left this prefix's services (services.exe,
 * rpcss.exe...) running for good, and the next smoke on that machine hung in a step. Whatever
 * still runs with this prefix in its environment is killed.
 */
function killPrefixLeftovers() {
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return; // No /proc: nothing to look at.
  }
  const mark = `\0WINEPREFIX=${prefix}\0`;
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(mark)) {
        process.kill(Number(pid), 'SIGKILL');
        say(`note: killed process ${pid}, still running with this WINEPREFIX`);
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
}

main()
  .catch((err) => check('smoke ran to the end', false, err.stack ?? String(err)))
  .finally(() => {
    spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 30_000 });
    spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 10_000 });
    killPrefixLeftovers();
    const failed = results.filter((r) => !r.ok);
    say(
      `${results.length - failed.length}/${results.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    if (failed.length) say(`outputs kept in ${work}`);
    else if (process.env.WINE_SMOKE_KEEP !== '1') rmSync(work, { recursive: true, force: true });
    process.exitCode = failed.length ? 1 : 0;
  });
