// Builds the npm bins' bundles (dist/bundle/wsus-connector.mjs, dist/bundle/wsus-client.mjs) with
// esbuild, so a start loads one prebuilt file instead of transpiling the TypeScript sources with
// tsx (docs/scale.md "Fast start"). Run by npm's `prepare` on install and by `npm run build`.
// ssh2 stays in node_modules: it loads optional native add-ons (cpu-features, its crypto binding).
// The lab's dynamic imports become chunks, loaded only by `wsus-connector lab`.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Without esbuild (an install without devDependencies) nothing is built; a published package
  // carries dist/bundle, built by `prepare` before packing.
  process.stdout.write('build-bundle: esbuild is not installed; skipped (the bins fall back to tsx)\n');
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    'wsus-connector': join(root, 'src/cli/wsus-connector.ts'),
    'wsus-client': join(root, 'src/cli/wsus-client.ts'),
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'cpu-features', '*.node'],
  define: {
    __WSUS_BRIDGE_PS1__: JSON.stringify(readFileSync(join(root, 'src/windows/wua/bridge.ps1'), 'utf8')),
    __WSUS_SMB_CONNECT_PS1__: JSON.stringify(readFileSync(join(root, 'src/windows/smb-connect.ps1'), 'utf8')),
  },
  // Bundled CommonJS packages (commander, csv-parse...) call require() for Node built-ins, and
  // write-file-atomic names its temporary files from __filename.
  banner: {
    js: "import { createRequire as __wsusRequire } from 'node:module'; import { fileURLToPath as __wsusPath } from 'node:url'; const require = __wsusRequire(import.meta.url); const __filename = __wsusPath(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
  // Less to parse at every start; names kept so stack traces stay readable.
  minify: true,
  keepNames: true,
});
process.stdout.write(`build-bundle: ${outdir}\n`);
