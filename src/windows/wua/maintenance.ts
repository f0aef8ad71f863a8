// The WUA agent's hide, unhide and uninstall (docs/usage.md#uninstall-and-hide) over the bridge's
// setHidden, installed and uninstall operations (IUpdate.IsHidden, IUpdate.IsUninstallable,
// IUpdateInstaller.Uninstall).
import type { HiddenChange, InstalledUpdate, OperationResult, UpdateAgent } from '../../client/ports.ts';
import { resultCodeWord } from './map-update.ts';
import {
  type BridgeRequest,
  parseReply,
  type RawOperation,
  rawChangedSchema,
  rawInstalledSchema,
  rawOperationSchema,
} from './protocol.ts';

type Call = (req: BridgeRequest, timeoutMs: number) => Promise<unknown>;
type Serial = <T>(fn: () => Promise<T>) => Promise<T>;

const kb = (k: string) => (/^kb/i.test(k) ? `KB${k.slice(2)}` : `KB${k}`);

/** Why: the three optional UpdateAgent methods, sharing the agent's bridge and its queue. */
export function wuaMaintenance(
  call: Call,
  serial: Serial,
  timeouts: { short: number; install: number },
  perUpdate: (ids: string[], raw: RawOperation) => OperationResult['updates'],
): Required<Pick<UpdateAgent, 'setHidden' | 'installedUpdates' | 'uninstall'>> {
  return {
    setHidden: (kbs, hidden) =>
      serial(async () => {
        const raw = parseReply(
          rawChangedSchema,
          await call({ op: 'setHidden', kbs, hidden }, timeouts.short),
          'setHidden',
        );
        return raw.map((u): HiddenChange => ({ id: u.id.toLowerCase(), title: u.title, kbs: u.kbs.map(kb) }));
      }),
    installedUpdates: () =>
      serial(async () => {
        const raw = parseReply(
          rawInstalledSchema,
          await call({ op: 'installed' }, timeouts.short),
          'installed',
        );
        return raw.map(
          (u): InstalledUpdate => ({
            id: u.id.toLowerCase(),
            title: u.title,
            kbs: u.kbs.map(kb),
            uninstallable: u.uninstallable,
          }),
        );
      }),
    uninstall: (ids) =>
      serial(async () => {
        const lower = ids.map((id) => id.toLowerCase());
        const raw = parseReply(
          rawOperationSchema,
          await call({ op: 'uninstall', ids: lower }, timeouts.install),
          'uninstall',
        );
        return {
          resultCode: resultCodeWord(raw.resultCode),
          hresult: raw.hresult >>> 0,
          updates: perUpdate(lower, raw),
          rebootRequired: raw.rebootRequired,
        };
      }),
  };
}
