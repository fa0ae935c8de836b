/**
 * Application settings: the type, defaults, limits, validation and patching that the settings
 * page, the settings store and the IPC validator share. Pure code.
 */
import { TLS_VERSIONS, type TlsVersion } from './models';
import { FILE_EXISTS_ACTIONS, type FileExistsAction } from './transfers';
import { defaultLayout, layoutProblems, type Layout } from './layout';
import { isConnectionLimit, SETTINGS_LIMITS, type ConnectionLimit } from './settings-limits';

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** Connections per server: "auto" or SETTINGS_LIMITS.connections. */
  transferConcurrency: ConnectionLimit;
  fileExists: { upload: FileExistsAction; download: FileExistsAction };
  /**
   * Give each transferred file its source's modification time (MFMT after uploads, the local
   * file's time after downloads). Off saves the MDTM per download on servers without MLSD.
   */
  preserveTimes: boolean;
  /** NOOP after this many seconds of idle control connection; 0 disables. */
  keepaliveSeconds: number;
  timeouts: { connectSeconds: number; replySeconds: number; dataIdleSeconds: number };
  defaultTlsMin: TlsVersion;
  showHiddenFiles: boolean;
  theme: Theme;
  confirm: {
    deleteRemote: boolean;
    deleteLocal: boolean;
    disconnectWithTransfers: boolean;
    quitWithTransfers: boolean;
  };
  /** Splitters, column widths and sort per pane, as the user left them. */
  layout: Layout;
}

export const SETTINGS_SCHEMA_VERSION = 1;

const DEFAULTS: Settings = {
  transferConcurrency: 'auto',
  fileExists: { upload: 'ask', download: 'ask' },
  preserveTimes: true,
  keepaliveSeconds: 30,
  timeouts: { connectSeconds: 20, replySeconds: 30, dataIdleSeconds: 60 },
  defaultTlsMin: '1.2',
  showHiddenFiles: false,
  theme: 'system',
  confirm: {
    deleteRemote: true,
    deleteLocal: true,
    disconnectWithTransfers: true,
    quitWithTransfers: true,
  },
  layout: defaultLayout(),
};

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(DEFAULTS);

export interface SettingsError {
  field: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const {
  connections: CONCURRENCY,
  keepaliveSeconds: KEEPALIVE,
  timeoutSeconds: TIMEOUT,
} = SETTINGS_LIMITS;

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Checks a complete settings object (e.g. one read from disk or sent by the renderer). */
export function validateSettings(value: unknown): SettingsError[] {
  const errors: SettingsError[] = [];
  const add = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  if (!isRecord(value)) return [{ field: '', message: 'Settings must be an object.' }];
  if (!isConnectionLimit(value.transferConcurrency)) {
    add(
      'transferConcurrency',
      `Simultaneous transfers must be Automatic or a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}.`,
    );
  }
  const fileExists = value.fileExists;
  if (!isRecord(fileExists)) add('fileExists', 'Missing file-exists defaults.');
  else {
    for (const side of ['upload', 'download'] as const) {
      if (!FILE_EXISTS_ACTIONS.includes(fileExists[side] as FileExistsAction)) {
        add(`fileExists.${side}`, `Unknown file-exists action "${String(fileExists[side])}".`);
      }
    }
  }
  if (!wholeIn(value.keepaliveSeconds, KEEPALIVE.min, KEEPALIVE.max)) {
    add('keepaliveSeconds', `Keepalive must be 0 (off) to ${KEEPALIVE.max} seconds.`);
  }
  const timeouts = value.timeouts;
  if (!isRecord(timeouts)) add('timeouts', 'Missing timeouts.');
  else {
    for (const key of ['connectSeconds', 'replySeconds', 'dataIdleSeconds'] as const) {
      if (!wholeIn(timeouts[key], TIMEOUT.min, TIMEOUT.max))
        add(`timeouts.${key}`, `Timeouts are ${TIMEOUT.min} to ${TIMEOUT.max} seconds.`);
    }
  }
  if (!TLS_VERSIONS.includes(value.defaultTlsMin as TlsVersion)) {
    add('defaultTlsMin', 'The default TLS minimum is 1.2 or 1.3.');
  }
  if (typeof value.showHiddenFiles !== 'boolean') add('showHiddenFiles', 'Must be true or false.');
  if (typeof value.preserveTimes !== 'boolean') add('preserveTimes', 'Must be true or false.');
  if (value.theme !== 'system' && value.theme !== 'light' && value.theme !== 'dark') {
    add('theme', 'Theme is system, light or dark.');
  }
  const confirm = value.confirm;
  if (!isRecord(confirm)) add('confirm', 'Missing confirmation settings.');
  else {
    for (const key of Object.keys(DEFAULT_SETTINGS.confirm)) {
      if (typeof confirm[key] !== 'boolean') add(`confirm.${key}`, 'Must be true or false.');
    }
  }
  for (const problem of layoutProblems(value.layout)) add('layout', problem);
  return errors;
}

/** A deep partial used to change some settings at once. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends object ? Partial<Settings[K]> : Settings[K];
};

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return {
    ...current,
    ...patch,
    fileExists: { ...current.fileExists, ...patch.fileExists },
    timeouts: { ...current.timeouts, ...patch.timeouts },
    confirm: { ...current.confirm, ...patch.confirm },
    layout: { ...current.layout, ...patch.layout },
  };
}
