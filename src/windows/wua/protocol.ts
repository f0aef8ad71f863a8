// The JSON-lines protocol between the TypeScript WUA agent and the PowerShell bridge
// (bridge.ps1). Replies are validated here, because the bridge is another process whose output
// must not be trusted blindly. PowerShell 5.1's ConvertTo-Json may turn a one-element array into
// a bare object, so every array field accepts either form.
import { z } from 'zod';

const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const readySchema = z.object({
  ready: z.literal(true),
  protocol: z.literal(1),
  powershell: z.string(),
});

export const rawCategorySchema = z.object({ name: z.string(), type: z.string(), id: z.string() });

export const rawUpdateSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  title: z.string(),
  kbs: list(z.union([z.string(), z.number()]).transform(String)),
  categories: list(rawCategorySchema),
  severity: z.string().nullable(),
  maxDownloadSize: z.number(),
  rebootBehavior: z.number().int(),
  impact: z.number().int(),
  /** InstallationBehavior.CanRequestUserInput; absent from a bridge older than this field. */
  canRequestUserInput: z.boolean().default(false),
  eulaAccepted: z.boolean(),
  browseOnly: z.boolean(),
  downloaded: z.boolean(),
  /** LastDeploymentChangeTime, UTC, as yyyy-MM-ddTHH:mm:ssZ; absent from older bridges. */
  published: z.string().nullable().optional(),
});
export type RawUpdate = z.infer<typeof rawUpdateSchema>;

export const rawSearchSchema = z.object({
  resultCode: z.number().int(),
  updates: list(rawUpdateSchema),
  warnings: list(z.object({ hresult: z.number().int(), message: z.string(), context: z.number().int() })),
});

const rawPerUpdateSchema = z.object({
  resultCode: z.number().int(),
  hresult: z.number().int(),
  rebootRequired: z.boolean().default(false),
});

export const rawOperationSchema = z.object({
  resultCode: z.number().int(),
  hresult: z.number().int(),
  rebootRequired: z.boolean(),
  /** IUpdateInstaller.RebootRequiredBeforeInstallation after an install; null when unreadable. */
  rebootRequiredBeforeInstallation: z.boolean().nullable().optional(),
  updates: list(rawPerUpdateSchema),
});
export type RawOperation = z.infer<typeof rawOperationSchema>;

export const rawServiceCheckSchema = z.object({
  services: list(
    z.object({ id: z.string(), name: z.string(), isDefaultAUService: z.boolean(), isManaged: z.boolean() }),
  ),
  wuauserv: z.string(),
});
export type ServiceCheck = z.infer<typeof rawServiceCheckSchema>;

export const rawChangedSchema = list(
  z.object({
    id: z.string(),
    title: z.string(),
    kbs: list(z.union([z.string(), z.number()]).transform(String)),
  }),
);
export const rawInstalledSchema = list(
  z.object({
    id: z.string(),
    title: z.string(),
    kbs: list(z.union([z.string(), z.number()]).transform(String)),
    uninstallable: z.boolean(),
  }),
);

export const replySchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number().int().nullable(),
    ok: z.literal(false),
    com: z.boolean(),
    hresult: z.number().int(),
    message: z.string(),
  }),
]);
export type Reply = z.infer<typeof replySchema>;

/**
 * A line the bridge writes while a download or install runs, before its reply: the job's
 * GetProgress() (docs/windows-facts.md#wua-asynchronous-calls). `index` is the update's position in
 * the request's `ids`, `percent` that update's percentage, `overall` the whole call's.
 */
export const progressSchema = z.object({
  id: z.number().int(),
  // Only the types are checked: an odd value from WUA must not stop an hour-long install; the
  // agent drops indexes outside the call and clamps percentages.
  progress: z.object({ index: z.number().int(), percent: z.number(), overall: z.number() }),
});
export type BridgeProgress = z.infer<typeof progressSchema>['progress'];

export type BridgeRequest =
  | { op: 'ping' }
  | { op: 'search'; criteria: string; serverSelection: number; serviceId: string | null }
  | { op: 'acceptEula'; updateId: string }
  | { op: 'download'; ids: string[] }
  | { op: 'install'; ids: string[]; forceQuiet: boolean }
  | { op: 'rebootRequired' }
  | { op: 'installerBusy' }
  | { op: 'rebootRequiredBeforeInstallation' }
  | { op: 'serviceCheck' }
  | { op: 'setHidden'; kbs: string[]; hidden: boolean }
  | { op: 'installed' }
  | { op: 'uninstall'; ids: string[] }
  | { op: 'exit' };

/** Why: requests go out as pure ASCII, so the bridge's console input encoding cannot garble them. */
export function encodeRequest(id: number, req: BridgeRequest): string {
  return `${JSON.stringify({ id, ...req }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Why: a reply of the wrong shape names the operation and the JSON path, not a raw zod dump. */
export function parseReply<T extends z.ZodTypeAny>(schema: T, value: unknown, op: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '(result)';
  throw new Error(`WUA bridge answered "${op}" with an unexpected shape at ${path}: ${issue?.message}`);
}
