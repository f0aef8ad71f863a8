// Helpers for the agent tests: a launch of the fake bridge (test/fixtures/windows) with a scenario.
import { join } from 'node:path';
import type { BridgeLaunch } from '../../../src/windows/wua/bridge-process.ts';

export const FAKE_BRIDGE = join(
  import.meta.dirname,
  '..',
  '..',
  'fixtures',
  'windows',
  'fake-wua-bridge.mjs',
);

export function fakeLaunch(scenario: object): BridgeLaunch {
  return { command: process.execPath, args: [FAKE_BRIDGE, JSON.stringify(scenario)] };
}

export const SSU = {
  id: '0a6b3a0e-1b1c-4f43-9d5a-2b0f4e1c0001',
  revision: 1,
  title: '2024-10 Servicing Stack Update for Windows Server 2022 for x64-based Systems (KB5044414)',
  kbs: ['5044414'],
  categories: [
    { name: 'Security Updates', type: 'UpdateClassification', id: '0fa1201d-4330-4fa8-8ae9-b877473b6441' },
    { name: 'Windows Server 2022', type: 'Product', id: '71718f13-7324-4c0f-8f6e-4e1f0f1a2a3c' },
  ],
  severity: 'Critical',
  maxDownloadSize: 15728640,
  rebootBehavior: 0,
  impact: 1,
  canRequestUserInput: false,
  eulaAccepted: true,
  browseOnly: false,
  downloaded: false,
};

export const LCU = {
  id: '7A0C11E2-5D3B-4E7E-9C43-6F1B8E2D0002',
  revision: 200,
  title:
    '2024-10 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5044281)',
  kbs: ['5044281'],
  // No Type on the classification: mapped through the category id table
  // (docs/windows-facts.md#wua-categories).
  categories: [{ name: 'Security Updates', type: '', id: '0FA1201D-4330-4FA8-8AE9-B877473B6441' }],
  severity: 'Important',
  maxDownloadSize: 545259520,
  rebootBehavior: 2,
  impact: 0,
  canRequestUserInput: true,
  eulaAccepted: false,
  browseOnly: false,
  downloaded: false,
};

export const DEFENDER = {
  id: 'c1d2e3f4-0000-4000-8000-000000000003',
  revision: 1,
  title: 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.419.163.0)',
  kbs: ['2267602'],
  categories: [
    { name: 'Definition Updates', type: 'UpdateClassification', id: 'e0789628-ce08-4437-be74-2495b842f43b' },
  ],
  severity: '',
  maxDownloadSize: 0,
  rebootBehavior: 0,
  impact: 1,
  canRequestUserInput: false,
  eulaAccepted: true,
  browseOnly: true,
  downloaded: true,
};
