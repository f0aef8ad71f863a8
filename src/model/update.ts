// The update as the client sees it after a WUA search: the fields that selection, install
// ordering and the report need, normalised from IUpdate (docs/windows-facts.md#wua-iupdate).

export type RebootBehavior = 'never' | 'always' | 'can';
export type InstallImpact = 'normal' | 'minor' | 'exclusive';
export type MsrcSeverity = 'Critical' | 'Important' | 'Moderate' | 'Low';

export interface UpdateInfo {
  /** Identity.UpdateID, a GUID in lower case. */
  id: string;
  /** Identity.RevisionNumber. */
  revision: number;
  /** KBArticleIDs with the "KB" prefix added, e.g. ["KB5044281"]. */
  kbs: string[];
  title: string;
  /** The UpdateClassification category name, e.g. "Security Updates". */
  classification: string;
  /** Every category name WUA returned (classification and products). */
  categories: string[];
  /** MsrcSeverity; null when WUA gives none (non-security updates). */
  severity: MsrcSeverity | null;
  /** MaxDownloadSize in bytes. */
  sizeBytes: number;
  rebootBehavior: RebootBehavior;
  impact: InstallImpact;
  eulaAccepted: boolean;
  /** BrowseOnly: WUA's "optional" flag. */
  optional: boolean;
  downloaded: boolean;
  /** LastDeploymentChangeTime: the last publish date on the server that deploys it (UTC, ISO 8601). */
  published?: string | null | undefined;
  /** InstallationBehavior.CanRequestUserInput: ForceQuiet cannot silence it (absent = false). */
  canRequestUserInput?: boolean;
}

/** Report status of one update (docs/usage.md#the-json-report). */
export type UpdateStatus = 'available' | 'downloaded' | 'installed' | 'failed' | 'filtered' | 'uninstalled';
export type FilteredBy =
  | 'include-list'
  | 'exclude-list'
  | 'category'
  | 'severity'
  | 'title'
  | 'optional'
  | 'published-before'
  | 'pin-updates';

/** One update's outcome, as the client reports it in run.end and the connector in the report. */
export interface UpdateOutcome {
  id: string;
  kb: string | null;
  title: string;
  classification: string;
  severity: MsrcSeverity | null;
  sizeBytes: number;
  status: UpdateStatus;
  filteredBy?: FilteredBy;
  /** The update's publish date (UpdateInfo.published), when WUA gave one. */
  published?: string;
  /** Unsigned 32-bit HRESULT, e.g. 0x800f0922. */
  hresult?: number;
  /** Symbolic name of hresult, e.g. CBS_E_INSTALLERS_FAILED, or its hex form when unknown. */
  hresultName?: string;
  message?: string;
  rebootRequired?: boolean;
  cycle?: number;
}

/** Where WUA searches: the machine's configured default, WSUS, Windows Update or Microsoft Update. */
export const UPDATE_SOURCES = ['default', 'wsus', 'windows-update', 'microsoft-update'] as const;
export type UpdateSource = (typeof UPDATE_SOURCES)[number];
