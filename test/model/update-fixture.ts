// Builds UpdateInfo values for tests with sensible defaults, so each test states only what matters.
import type { UpdateInfo } from '../../src/model/update.ts';

let counter = 0;

export function makeUpdate(over: Partial<UpdateInfo> & { kb?: string } = {}): UpdateInfo {
  counter++;
  const n = String(counter).padStart(12, '0');
  const { kb, ...rest } = over;
  const kbs = rest.kbs ?? [kb ?? `KB${5040000 + counter}`];
  return {
    id: `00000000-0000-4000-8000-${n}`,
    revision: 1,
    kbs,
    title: `Test update (${kbs[0] ?? 'no KB'})`,
    classification: 'Security Updates',
    categories: [rest.classification ?? 'Security Updates', 'Windows Server 2022'],
    severity: 'Critical',
    sizeBytes: 1000,
    rebootBehavior: 'never',
    impact: 'normal',
    eulaAccepted: true,
    optional: false,
    downloaded: false,
    ...rest,
  };
}
