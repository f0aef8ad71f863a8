// Turns the bridge's raw IUpdate fields into the model's UpdateInfo (docs/windows-facts.md#wua-enumerations,
// #wua-iupdate, #wua-categories), and WUA's numeric result codes into words. Pure, so every mapping rule is
// unit-tested.
import type { OperationResultCode } from '../../client/ports.ts';
import type { InstallImpact, MsrcSeverity, RebootBehavior, UpdateInfo } from '../../model/update.ts';
import type { RawUpdate } from './protocol.ts';

/**
 * UpdateClassification category ids (docs/windows-facts.md#wua-categories), for a category whose Type is
 * missing.
 */
const CLASSIFICATION_IDS = new Set([
  'e6cf1350-c01b-414d-a61f-263d14d133b4',
  '0fa1201d-4330-4fa8-8ae9-b877473b6441',
  'e0789628-ce08-4437-be74-2495b842f43b',
  '28bc880e-0592-4cbf-8f95-c79b17911d5f',
  '68c5b0a3-d1a6-4553-ae49-01d3a7827828',
  'b4832bd8-e735-4761-8daf-37f882276dab',
  'b54e7d24-7add-428f-8b75-90a396fa584f',
  'cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83',
  'ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0',
  '3689bdc8-b205-4af4-8d4a-a63924c5e9d5',
]);

const SEVERITIES: readonly MsrcSeverity[] = ['Critical', 'Important', 'Moderate', 'Low'];
const RESULT_CODES: readonly OperationResultCode[] = [
  'notStarted',
  'inProgress',
  'succeeded',
  'succeededWithErrors',
  'failed',
  'aborted',
];

/** Why: OperationResultCode 0..5 (docs/windows-facts.md#wua-enumerations) as the words the ports use. */
export function resultCodeWord(n: number): OperationResultCode {
  const word = RESULT_CODES[n];
  if (!word) throw new Error(`WUA bridge: unknown OperationResultCode ${n}`);
  return word;
}

function rebootBehavior(n: number): RebootBehavior {
  if (n === 0) return 'never';
  if (n === 1) return 'always';
  if (n === 2) return 'can';
  throw new Error(`WUA bridge: unknown InstallationRebootBehavior ${n}`);
}

function impact(n: number): InstallImpact {
  if (n === 0) return 'normal';
  if (n === 1) return 'minor';
  if (n === 2) return 'exclusive';
  throw new Error(`WUA bridge: unknown InstallationImpact ${n}`);
}

/** Why: the client's selection and the report need the model's shape, not COM's. */
export function toUpdateInfo(raw: RawUpdate): UpdateInfo {
  const classification =
    raw.categories.find((c) => c.type === 'UpdateClassification') ??
    raw.categories.find((c) => CLASSIFICATION_IDS.has(c.id.toLowerCase()));
  const severity = SEVERITIES.find((s) => s.toLowerCase() === (raw.severity ?? '').toLowerCase()) ?? null;
  return {
    id: raw.id.toLowerCase(),
    revision: raw.revision,
    kbs: raw.kbs.map((kb) => (/^kb/i.test(kb) ? `KB${kb.slice(2)}` : `KB${kb}`)),
    title: raw.title,
    classification: classification?.name ?? '',
    categories: raw.categories.map((c) => c.name),
    severity,
    sizeBytes: Math.max(0, Math.round(raw.maxDownloadSize)),
    rebootBehavior: rebootBehavior(raw.rebootBehavior),
    impact: impact(raw.impact),
    canRequestUserInput: raw.canRequestUserInput,
    eulaAccepted: raw.eulaAccepted,
    optional: raw.browseOnly,
    downloaded: raw.downloaded,
    published: raw.published ?? null,
  };
}
