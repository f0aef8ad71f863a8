// The npm bin's client platform: the Windows adapters plus the lab's emulated agent, because the
// npm bin also serves lab hosts (`lab --spawn`, the Wine smoke's probe). Kept out of
// client-platform.ts so the shipped executable's bundle never reaches the lab.
import type { ClientPlatform } from '../client/process-env.ts';
import { windowsClientPlatform } from './client-platform.ts';

/** Why: a lab job (agent kind "lab" or WSUS_LAB_HOST_DIR) gets the lab's WUA and host state. */
export const labClientPlatform: ClientPlatform = {
  ...windowsClientPlatform,
  lab: () => import('../lab/client-parts.ts'),
};
