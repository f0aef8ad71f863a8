// A real headless Chromium (Debian's `chromium`, scripts/install-system-deps.sh) for the HTML
// report: --dump-dom to read the page as the browser built it, --screenshot to look at it. No
// network: the page must be self-contained, and the flags switch off every background fetch.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The chromium binary, or null when it is not installed (the test then says so and skips). */
export function chromiumPath(): string | null {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return null;
}

function flags(profileParent: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(profileParent, 'chromium-profile-'))}`,
  ];
}

/** Why: the DOM after Chromium parsed and laid out the page (bounded: 60 s). */
export async function dumpDom(htmlPath: string, tmp: string): Promise<string> {
  const bin = chromiumPath();
  if (!bin) throw new Error('chromium is not installed');
  const { stdout } = await run(bin, [...flags(tmp), '--dump-dom', `file://${htmlPath}`], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Why: a PNG of the page at a given window size, kept for a person to look at (bounded: 60 s). */
export async function screenshot(
  htmlPath: string,
  pngPath: string,
  tmp: string,
  size = '412,915',
): Promise<void> {
  const bin = chromiumPath();
  if (!bin) throw new Error('chromium is not installed');
  await run(bin, [...flags(tmp), `--screenshot=${pngPath}`, `--window-size=${size}`, `file://${htmlPath}`], {
    timeout: 60_000,
  });
}
