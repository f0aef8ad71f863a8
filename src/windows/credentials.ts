// Explicit Windows credentials for the windows transport, when the connector's own identity is
// not the one to use. They come from the environment or from a credential file, never from a
// command-line flag, and are never logged. docs/windows.md says where they still become visible.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';

export interface WindowsCredentials {
  /** DOMAIN\user or user@domain. */
  user: string;
  password: string;
}

export const USER_ENV = 'WSUS_CONNECTOR_USER';
export const PASSWORD_ENV = 'WSUS_CONNECTOR_PASSWORD';

const fileSchema = z.object({ user: z.string().min(1), password: z.string().min(1) }).strict();

/**
 * Why: one rule for where explicit credentials come from: a credential file (JSON
 * {"user","password"}), else WSUS_CONNECTOR_USER + WSUS_CONNECTOR_PASSWORD, else none (the
 * connector's own Windows identity is used).
 */
export function loadWindowsCredentials(
  env: NodeJS.ProcessEnv,
  opts: { file?: string; user?: string; platform?: NodeJS.Platform } = {},
): WindowsCredentials | null {
  const platform = opts.platform ?? process.platform;
  if (opts.file) {
    if (platform !== 'win32') {
      const mode = statSync(opts.file).mode;
      if (mode & 0o077) {
        throw new Error(`${opts.file}: credential file must not be readable by group or others (chmod 600)`);
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch (err) {
      throw new Error(`${opts.file}: not a JSON credential file: ${(err as Error).message}`);
    }
    const r = fileSchema.safeParse(parsed);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${opts.file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return r.data;
  }
  const user = opts.user ?? env[USER_ENV];
  const password = env[PASSWORD_ENV];
  if (!user && !password) return null;
  if (!user) throw new Error(`${PASSWORD_ENV} is set but no user (--user or ${USER_ENV})`);
  if (!password) throw new Error(`a user is given (${user}) but ${PASSWORD_ENV} is not set`);
  return { user, password };
}
