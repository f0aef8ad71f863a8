// schtasks and cmd.exe as they read on a Windows server in another display language: the verbose
// CSV header, Status words, dates and messages per locale (sources and what is unverified:
// docs/lab.md "Locales"). The lab prints these; the adapters never decide anything from them
// (docs/target-commands.md "Language-neutral decisions"), they only use them to word errors.
import { MSG } from './schtasks-messages.ts';

export const LOCALES = ['en-US', 'de-DE', 'fr-FR'] as const;
export type WindowsLocale = (typeof LOCALES)[number];

export interface SchtasksLocale {
  /** The 28 column titles of `/Query /FO CSV /V`, in Windows' order. */
  header: readonly string[];
  status: { ready: string; running: string; queued: string; disabled: string };
  enabled: string;
  disabled: string;
  /** The OEM code page a console on such a server uses by default. */
  defaultCodePage: number;
  /** Intl locale for "Last Run Time" and friends. */
  dateLocale: string;
  created(name: string): string;
  exists(name: string): string;
  ran(name: string): string;
  ended(name: string): string;
  deleted(name: string): string;
  deleteConfirm(name: string): string;
  notFound: string;
  denied: string;
  /** cmd.exe's line for ERROR_ACCESS_DENIED (e.g. running a program from a share it cannot reach). */
  cmdDenied: string;
  /** cmd.exe's "not recognized" lines for a program it cannot find. */
  notRecognized(program: string): string;
  /** What `chcp` prints. */
  chcp(codePage: number): string;
}

const EN_HEADER = [
  'HostName',
  'TaskName',
  'Next Run Time',
  'Status',
  'Logon Mode',
  'Last Run Time',
  'Last Result',
  'Author',
  'Task To Run',
  'Start In',
  'Comment',
  'Scheduled Task State',
  'Idle Time',
  'Power Management',
  'Run As User',
  'Delete Task If Not Rescheduled',
  'Stop Task If Runs X Hours and X Mins',
  'Schedule',
  'Schedule Type',
  'Start Time',
  'Start Date',
  'End Date',
  'Days',
  'Months',
  'Repeat: Every',
  'Repeat: Until: Time',
  'Repeat: Until: Duration',
  'Repeat: Stop If Still Running',
] as const;

const EN: SchtasksLocale = {
  header: EN_HEADER,
  status: { ready: 'Ready', running: 'Running', queued: 'Queued', disabled: 'Disabled' },
  enabled: 'Enabled',
  disabled: 'Disabled',
  defaultCodePage: 437,
  dateLocale: 'en-US',
  created: MSG.created,
  exists: MSG.exists,
  ran: MSG.ran,
  ended: MSG.ended,
  deleted: MSG.deleted,
  deleteConfirm: (n) => `WARNING: Are you sure you want to remove the task "${n}" (Y/N)? `,
  notFound: MSG.notFound,
  denied: MSG.denied,
  cmdDenied: 'Access is denied.',
  notRecognized: (p) =>
    `'${p}' is not recognized as an internal or external command,\r\noperable program or batch file.`,
  chcp: (cp) => `Active code page: ${cp}`,
};

const DE: SchtasksLocale = {
  header: [
    'HostName',
    'AufgabenName',
    'Nächste Laufzeit',
    'Status',
    'Anmeldemodus',
    'Letzte Laufzeit',
    'Letztes Ergebnis',
    'Autor',
    'Auszuführende Aufgabe',
    'Starten in',
    'Kommentar',
    'Status der geplanten Aufgabe',
    'Leerlaufzeit',
    'Energieverwaltung',
    'Als Benutzer ausführen',
    'Aufgabe löschen, falls nicht erneut geplant',
    'Aufgabe beenden, falls sie X Stunden und X Minuten läuft',
    'Zeitplan',
    'Zeitplantyp',
    'Startzeit',
    'Startdatum',
    'Enddatum',
    'Tage',
    'Monate',
    'Wiederholen: Jede',
    'Wiederholen: Bis: Zeit',
    'Wiederholen: Bis: Dauer',
    'Wiederholen: Beenden, falls noch ausgeführt',
  ],
  status: {
    ready: 'Bereit',
    running: 'Wird ausgeführt',
    queued: 'In Warteschlange',
    disabled: 'Deaktiviert',
  },
  enabled: 'Aktiviert',
  disabled: 'Deaktiviert',
  defaultCodePage: 850,
  dateLocale: 'de-DE',
  created: (n) => `ERFOLGREICH: Die geplante Aufgabe "${n}" wurde erfolgreich erstellt.`,
  exists: (n) => `WARNUNG: Der Aufgabenname "${n}" ist bereits vorhanden. Möchten Sie ihn ersetzen (J/N)? `,
  ran: (n) => `ERFOLGREICH: Es wurde versucht, die geplante Aufgabe "${n}" auszuführen.`,
  ended: (n) => `ERFOLGREICH: Die geplante Aufgabe "${n}" wurde erfolgreich beendet.`,
  deleted: (n) => `ERFOLGREICH: Die geplante Aufgabe "${n}" wurde erfolgreich gelöscht.`,
  deleteConfirm: (n) => `WARNUNG: Möchten Sie die Aufgabe "${n}" wirklich entfernen (J/N)? `,
  notFound: 'FEHLER: Das System kann die angegebene Datei nicht finden.',
  denied: 'FEHLER: Zugriff verweigert',
  cmdDenied: 'Zugriff verweigert',
  notRecognized: (p) =>
    `Der Befehl "${p}" ist entweder falsch geschrieben oder\r\nkonnte nicht gefunden werden.`,
  chcp: (cp) => `Aktive Codepage: ${cp}.`,
};

const FR: SchtasksLocale = {
  header: [
    "Nom de l'hôte",
    'Nom de la tâche',
    'Prochaine exécution',
    'Statut',
    "Mode d'ouverture de session",
    'Dernière exécution',
    'Dernier résultat',
    'Auteur',
    'Tâche à exécuter',
    'Démarrer dans',
    'Commentaire',
    'État de la tâche planifiée',
    "Temps d'inactivité",
    "Gestion de l'alimentation",
    "Exécuter en tant qu'utilisateur",
    'Supprimer la tâche si elle n’est pas replanifiée',
    'Arrêter la tâche si elle s’exécute pendant X heures et X minutes',
    'Planification',
    'Type de planification',
    'Heure de début',
    'Date de début',
    'Date de fin',
    'Jours',
    'Mois',
    'Répéter : chaque',
    "Répéter : jusqu'à : heure",
    "Répéter : jusqu'à : durée",
    "Répéter : arrêter si toujours en cours d'exécution",
  ],
  status: {
    ready: 'Prêt',
    running: "En cours d'exécution",
    queued: "En file d'attente",
    disabled: 'Désactivé',
  },
  enabled: 'Activé',
  disabled: 'Désactivé',
  defaultCodePage: 850,
  dateLocale: 'fr-FR',
  created: (n) => `Opération réussie : la tâche planifiée "${n}" a été créée.`,
  exists: (n) => `AVERTISSEMENT : le nom de tâche "${n}" existe déjà. Voulez-vous le remplacer (O/N) ? `,
  ran: (n) => `Opération réussie : tentative d'exécution de la tâche planifiée "${n}".`,
  ended: (n) => `Opération réussie : la tâche planifiée "${n}" a été arrêtée.`,
  deleted: (n) => `Opération réussie : la tâche planifiée "${n}" a été supprimée.`,
  deleteConfirm: (n) => `AVERTISSEMENT : voulez-vous vraiment supprimer la tâche "${n}" (O/N) ? `,
  notFound: 'ERREUR : Le fichier spécifié est introuvable.',
  denied: 'ERREUR : Accès refusé.',
  cmdDenied: 'Accès refusé.',
  notRecognized: (p) =>
    `'${p}' n’est pas reconnu en tant que commande interne\r\nou externe, un programme exécutable ou un fichier de commandes.`,
  chcp: (cp) => `Page de codes active : ${cp}`,
};

const TABLE: Record<WindowsLocale, SchtasksLocale> = { 'en-US': EN, 'de-DE': DE, 'fr-FR': FR };

/** Why: one place that knows how a server in that language words schtasks and cmd.exe. */
export function schtasksLocale(locale: WindowsLocale): SchtasksLocale {
  return TABLE[locale];
}

/** One formatter per locale and zone: building one costs far more than formatting with it. */
const localFormats = new Map<string, Intl.DateTimeFormat>();

/** Why: schtasks prints local times in the server's short date and long time format. */
export function formatLocalTime(ms: number, timeZone: string, locale: WindowsLocale): string {
  const key = `${locale} ${timeZone}`;
  const fmt = localFormats.get(key) ?? newLocalFormat(timeZone, locale);
  localFormats.set(key, fmt);
  return fmt
    .format(new Date(ms))
    .replace(',', '')
    .replace(/[\u202f\u00a0]/g, ' ');
}

function newLocalFormat(timeZone: string, locale: WindowsLocale): Intl.DateTimeFormat {
  const l = TABLE[locale];
  const opts: Intl.DateTimeFormatOptions = {
    timeZone,
    year: 'numeric',
    month: locale === 'en-US' ? 'numeric' : '2-digit',
    day: locale === 'en-US' ? 'numeric' : '2-digit',
    hour: locale === 'en-US' ? 'numeric' : '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: locale === 'en-US',
  };
  return new Intl.DateTimeFormat(l.dateLocale, opts);
}

/** The error texts of every known locale, for wording (never for deciding) an adapter's error. */
export const LOCALIZED_DENIED: readonly string[] = LOCALES.flatMap((l) => [
  TABLE[l].denied,
  TABLE[l].cmdDenied,
]);
