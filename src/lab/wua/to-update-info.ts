// Maps a scenario catalog entry to the UpdateInfo a WUA search yields (docs/windows-facts.md#wua-iupdate), as
// the real bridge would map IUpdate: KB prefix, classification + product categories, byte sizes.
import type { UpdateInfo } from '../../model/update.ts';
import type { CatalogEntry } from '../scenario.ts';
import { publishedAtMs } from './applicability.ts';
import type { LabHostState } from './state.ts';

/** Why: the search result's view of one entry on one host. */
export function toUpdateInfo(s: LabHostState, e: CatalogEntry): UpdateInfo {
  return {
    id: e.updateId.toLowerCase(),
    revision: e.revision,
    kbs: [e.kb.toUpperCase()],
    title: e.title,
    classification: e.classification,
    categories: [e.classification, s.os],
    severity: e.severity,
    sizeBytes: Math.round(e.sizeMB * 1024 * 1024),
    rebootBehavior: e.reboot,
    impact: e.exclusive ? 'exclusive' : 'normal',
    eulaAccepted: !e.eula || s.eulaAccepted.includes(e.id),
    optional: e.optional,
    downloaded: s.downloaded.includes(e.id),
    published: new Date(publishedAtMs(s, e)).toISOString(),
    ...(e.canRequestUserInput ? { canRequestUserInput: true } : {}),
  };
}
