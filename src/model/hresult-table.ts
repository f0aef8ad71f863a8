// Every HRESULT of docs/windows-facts.md#hresults (WUA, CBS, Win32, WinINet) and #task-result-codes (Task
// Scheduler), so a per-update failure or a task's Last Result prints with a name and a meaning.
// Meanings are our own words; names and values were checked against the sources in docs/windows-facts.md.

export interface HresultInfo {
  /** Unsigned 32-bit value. */
  code: number;
  /** Symbol, or null when no primary source names it (docs/windows-facts.md marks it UNVERIFIED). */
  name: string | null;
  meaning: string;
}

type Row = [code: number, name: string | null, meaning: string];

const WUA_ROWS: Row[] = [
  [0x00000000, 'S_OK', 'the operation succeeded'],
  [0x00240005, 'WU_S_REBOOT_REQUIRED', 'succeeded; a restart is needed to finish'],
  [0x00240006, 'WU_S_ALREADY_INSTALLED', 'the update is already installed'],
  [0x80240009, 'WU_E_OPERATIONINPROGRESS', 'another conflicting Windows Update operation is running'],
  [0x8024000b, 'WU_E_CALL_CANCELLED', 'the operation was cancelled'],
  [
    0x80240016,
    'WU_E_INSTALL_NOT_ALLOWED',
    'install refused: another install is running or a restart is pending',
  ],
  [0x80240017, 'WU_E_NOT_APPLICABLE', 'nothing applicable to install'],
  [
    0x80240019,
    'WU_E_EXCLUSIVE_INSTALL_CONFLICT',
    'an update needing exclusive handling was batched with others; nothing installed (install it alone)',
  ],
  [0x8024001e, 'WU_E_SERVICE_STOP', 'the service or the OS was shutting down during the operation'],
  [0x8024001f, 'WU_E_NO_CONNECTION', 'no network connection available'],
  [0x80240020, 'WU_E_NO_INTERACTIVE_USER', 'the update needs a logged-on interactive user'],
  [0x80240021, 'WU_E_TIME_OUT', 'the operation timed out'],
  [
    0x80240022,
    'WU_E_ALL_UPDATES_FAILED',
    'every update in the call failed (often antivirus locking SoftwareDistribution)',
  ],
  [0x80240023, 'WU_E_EULAS_DECLINED', 'the license terms of the update were not accepted'],
  [0x80240024, 'WU_E_NO_UPDATE', 'an empty update collection was passed to download or install'],
  [0x80240025, 'WU_E_USER_ACCESS_DISABLED', 'Group Policy blocks access to Windows Update'],
  [0x8024002e, 'WU_E_WU_DISABLED', 'policy forbids access to an unmanaged update server'],
  [0x80240032, 'WU_E_INVALID_CRITERIA', 'the search criteria string is invalid'],
  [0x80240034, 'WU_E_DOWNLOAD_FAILED', 'the update failed to download'],
  [0x80240438, 'WU_E_PT_ENDPOINT_UNREACHABLE', 'the update endpoint cannot be reached'],
  [0x80240fff, 'WU_E_UNEXPECTED', 'an unexpected Windows Update failure'],
  [
    0x80242004,
    'WU_E_UH_DOESNOTSUPPORTACTION',
    'the update does not support this install (or uninstall), e.g. it cannot be forced quiet',
  ],
  [0x80242006, 'WU_E_UH_INVALIDMETADATA', "the update's metadata is invalid"],
  [0x80242007, 'WU_E_UH_INSTALLERHUNG', "the update's installer ran past its time limit"],
  [
    0x8024200a,
    'WU_E_UH_CANREQUIREINPUT',
    'the update needs user input, so it cannot be installed unattended',
  ],
  [0x8024200b, 'WU_E_UH_INSTALLERFAILURE', "the update's own installer failed"],
  [0x8024200d, 'WU_E_UH_NEEDANOTHERDOWNLOAD', 'not installed; the content must be downloaded again'],
  [
    0x80242014,
    'WU_E_UH_POSTREBOOTSTILLPENDING',
    "the update's post-restart work is still pending; restart to finish",
  ],
  [0x80242015, 'WU_E_UH_POSTREBOOTRESULTUNKNOWN', 'the result of the post-restart work is unknown'],
  [
    0x80242016,
    'WU_E_UH_POSTREBOOTUNEXPECTEDSTATE',
    'the update is in an unexpected state after its post-restart work',
  ],
  [0x80244007, 'WU_E_PT_SOAPCLIENT_SOAPFAULT', 'the update server returned a SOAP fault'],
  [0x80244016, 'WU_E_PT_HTTP_STATUS_BAD_REQUEST', 'the update server answered HTTP 400 (bad request)'],
  [0x80244017, 'WU_E_PT_HTTP_STATUS_DENIED', 'the update server answered HTTP 401 (authentication required)'],
  [0x80244018, 'WU_E_PT_HTTP_STATUS_FORBIDDEN', 'the update server answered HTTP 403 (forbidden)'],
  [0x80244019, 'WU_E_PT_HTTP_STATUS_NOT_FOUND', 'the update server answered HTTP 404 (not found)'],
  [0x8024401a, 'WU_E_PT_HTTP_STATUS_BAD_METHOD', 'the update server answered HTTP 405 (method not allowed)'],
  [
    0x8024401b,
    'WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ',
    'the proxy answered HTTP 407 (proxy authentication required)',
  ],
  [
    0x8024401c,
    'WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT',
    'the update server answered HTTP 408 (request timeout)',
  ],
  [0x8024401d, 'WU_E_PT_HTTP_STATUS_CONFLICT', 'the update server answered HTTP 409 (conflict)'],
  [0x8024401e, 'WU_E_PT_HTTP_STATUS_GONE', 'the update server answered HTTP 410 (gone)'],
  [
    0x8024401f,
    'WU_E_PT_HTTP_STATUS_SERVER_ERROR',
    'the update server answered HTTP 500 (internal server error)',
  ],
  [0x80244020, 'WU_E_PT_HTTP_STATUS_NOT_SUPPORTED', 'the update server answered HTTP 501 (not implemented)'],
  [0x80244021, 'WU_E_PT_HTTP_STATUS_BAD_GATEWAY', 'the update server answered HTTP 502 (bad gateway)'],
  [
    0x80244022,
    'WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL',
    'the update server answered HTTP 503 (WSUS app pool down or overloaded)',
  ],
  [
    0x80244023,
    'WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT',
    'the update server answered HTTP 504 (gateway timeout)',
  ],
  [
    0x80244024,
    'WU_E_PT_HTTP_STATUS_VERSION_NOT_SUP',
    'the update server answered HTTP 505 (HTTP version not supported)',
  ],
  [0x8024402c, 'WU_E_PT_WINHTTP_NAME_NOT_RESOLVED', 'the proxy or server name did not resolve'],
  [0x8024402f, 'WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS', 'external cab processing finished with errors'],
  [0x80246001, 'WU_E_DM_URLNOTAVAILABLE', 'the download manager has no URL for a file'],
  [0x80246002, 'WU_E_DM_INCORRECTFILEHASH', 'a downloaded file does not match its digest'],
  [0x80246005, 'WU_E_DM_NONETWORK', 'the download manager has no network'],
  [0x80246007, 'WU_E_DM_NOTDOWNLOADED', 'the update has not been downloaded yet'],
  [0x80246008, 'WU_E_DM_FAILTOCONNECTTOBITS', 'could not connect to BITS'],
  [0x80246009, 'WU_E_DM_BITSTRANSFERERROR', 'a BITS transfer failed'],
  [0x80246017, 'WU_E_DM_UNAUTHORIZED_LOCAL_USER', 'the local user may not download'],
  [0x8024a000, 'WU_E_AU_NOSERVICE', 'Automatic Updates could not service the request'],
  [0x8024a007, 'WU_E_REBOOT_IN_PROGRESS', 'a restart is in progress; try again after it'],
  [0x8024a10a, 'USO_E_SERVICE_SHUTTING_DOWN', 'the update service is shutting down (idle)'],
  [0x8024a105, null, 'generic Windows Update / USO failure (symbol unverified)'],
  [0x800f0821, 'CBS_E_ABORT', 'a servicing (CBS) transaction timed out'],
  [
    0x800f081f,
    'CBS_E_SOURCE_MISSING',
    'package source files not found; the component store may be corrupt (DISM repair)',
  ],
  [0x800f0831, 'CBS_E_STORE_CORRUPTION', 'the component store is corrupt'],
  [0x800f0922, 'CBS_E_INSTALLERS_FAILED', 'a servicing installer stage failed and the update rolled back'],
  [0x80070005, 'E_ACCESSDENIED', 'access denied (remote logon token or file permissions)'],
  [0x8007000d, 'ERROR_INVALID_DATA', 'downloaded data is corrupt'],
  [0x80070020, 'ERROR_SHARING_VIOLATION', 'a file is locked by another process (often antivirus)'],
  [0x80070070, 'ERROR_DISK_FULL', 'not enough disk space'],
  [0x80070422, 'ERROR_SERVICE_DISABLED', 'the Windows Update service or a dependency is disabled'],
  [0x80070643, 'ERROR_INSTALL_FAILURE', 'an MSI-based installer failed'],
  [0x80070bc2, 'ERROR_SUCCESS_REBOOT_REQUIRED', 'succeeded; takes effect after a restart'],
  [
    0x80070bc9,
    'ERROR_FAIL_REBOOT_REQUIRED',
    'failed; a restart is needed to roll back (TrustedInstaller start type?)',
  ],
  [0x80073701, 'ERROR_SXS_ASSEMBLY_MISSING', 'a referenced assembly is missing (partial install)'],
  [0x80073712, 'ERROR_SXS_COMPONENT_STORE_CORRUPT', 'the component store is corrupt'],
  [0x80072ee2, 'WININET_E_TIMEOUT', 'the connection to the update server timed out'],
  [0x80072efd, 'WININET_E_CANNOT_CONNECT', 'cannot connect to the update server'],
  [0x80072efe, 'WININET_E_CONNECTION_ABORTED', 'the connection closed abnormally'],
  [0x80072f8f, 'WININET_E_DECODING_FAILED', 'TLS or decoding failure (TLS 1.2 not configured?)'],
];

/**
 * Task Scheduler codes (docs/windows-facts.md#task-result-codes), as a task's Last Result shows them (signed
 * there).
 */
const SCHED_ROWS: Row[] = [
  [0x00041300, 'SCHED_S_TASK_READY', 'the task is ready for its next run'],
  [0x00041301, 'SCHED_S_TASK_RUNNING', 'the task is running'],
  [0x00041302, 'SCHED_S_TASK_DISABLED', 'the task is disabled'],
  [0x00041303, 'SCHED_S_TASK_HAS_NOT_RUN', 'the task has never run'],
  [0x00041304, 'SCHED_S_TASK_NO_MORE_RUNS', 'the task has no more runs scheduled'],
  [0x00041305, 'SCHED_S_TASK_NOT_SCHEDULED', "the task's schedule properties are missing"],
  [0x00041306, 'SCHED_S_TASK_TERMINATED', 'the last run was terminated by a user'],
  [0x00041307, 'SCHED_S_TASK_NO_VALID_TRIGGERS', 'the task has no enabled triggers'],
  [0x0004131c, 'SCHED_S_BATCH_LOGON_PROBLEM', 'registered, but the principal lacks the batch-logon right'],
  [0x00041325, 'SCHED_S_TASK_QUEUED', 'the task was asked to run and is queued'],
  [0x8004130a, 'SCHED_E_TASK_NOT_READY', 'required task properties are not set'],
  [0x8004130b, 'SCHED_E_TASK_NOT_RUNNING', 'no running instance of the task'],
  [0x8004130f, 'SCHED_E_ACCOUNT_INFORMATION_NOT_SET', 'no stored credentials for the task'],
  [0x80041310, 'SCHED_E_ACCOUNT_NAME_NOT_FOUND', "the task's account is unknown"],
  [0x80041315, 'SCHED_E_SERVICE_NOT_RUNNING', 'the Task Scheduler service is not running'],
  [0x80041316, 'SCHED_E_UNEXPECTEDNODE', 'task XML: unexpected element'],
  [0x80041317, 'SCHED_E_NAMESPACE', 'task XML: wrong namespace'],
  [0x80041318, 'SCHED_E_INVALIDVALUE', 'task XML: invalid value'],
  [0x80041319, 'SCHED_E_MISSINGNODE', 'task XML: required element missing'],
  [0x8004131a, 'SCHED_E_MALFORMEDXML', 'task XML is malformed'],
  [0x8004131e, 'SCHED_E_PAST_END_BOUNDARY', "start attempted after the trigger's end boundary"],
  [0x8004131f, 'SCHED_E_ALREADY_RUNNING', 'an instance of the task is already running'],
  [0x80041320, 'SCHED_E_USER_NOT_LOGGED_ON', 'interactive-only task and the user is not logged on'],
  [0x80041323, 'SCHED_E_SERVICE_TOO_BUSY', 'the Task Scheduler service is too busy; retry later'],
  [0x80041324, 'SCHED_E_TASK_ATTEMPTED', 'a task constraint blocked the run'],
  [0x80041326, 'SCHED_E_TASK_DISABLED', 'the task is disabled'],
  [0x80041328, 'SCHED_E_START_ON_DEMAND', 'the task does not allow starting on demand'],
  [0x80070002, 'ERROR_FILE_NOT_FOUND', "the action's program or path was not found"],
  [0x800710e0, 'ERROR_REQUEST_REFUSED', 'the operator or administrator refused the request'],
];

function toInfo([code, name, meaning]: Row): HresultInfo {
  return { code: code >>> 0, name, meaning };
}

export const WUA_HRESULTS: readonly HresultInfo[] = WUA_ROWS.map(toInfo);
export const SCHED_RESULTS: readonly HresultInfo[] = SCHED_ROWS.map(toInfo);
