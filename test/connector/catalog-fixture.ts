// The updates the orchestrator tests patch with: a servicing stack update and the cumulative update
// that requires it (both reboot), a tool that never reboots, and a definition update that comes back.
import type { CatalogItem } from './fake-host.ts';

export const SSU: CatalogItem = {
  id: 'aaaaaaaa-0000-0000-0000-000000000001',
  kb: 'KB5044000',
  reboot: 'always',
};
export const LCU: CatalogItem = {
  id: 'aaaaaaaa-0000-0000-0000-000000000002',
  kb: 'KB5044281',
  reboot: 'always',
  requires: [SSU.id],
  sizeMB: 520,
};
export const MSRT: CatalogItem = {
  id: 'aaaaaaaa-0000-0000-0000-000000000003',
  kb: 'KB890830',
  reboot: 'never',
};
export const DEFENDER: CatalogItem = {
  id: 'aaaaaaaa-0000-0000-0000-000000000004',
  kb: 'KB2267602',
  reboot: 'never',
  reinstalls: true,
};
