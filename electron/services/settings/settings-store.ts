/** Application settings in `settings.json`: schema version, defaults, validation, atomic writes. */
import {
  applySettingsPatch,
  DEFAULT_SETTINGS,
  SETTINGS_SCHEMA_VERSION,
  validateSettings,
  type Settings,
  type SettingsError,
  type SettingsPatch,
} from '../../../shared/settings';
import type { StoreNotice } from '../../../shared/sites';
import type { Timeouts } from '../../engine/types';
import { readVersionedJson, writeVersionedJson } from '../../files/atomic-json';

/** Thrown by update() with every field problem; the settings file is left unchanged. */
export class SettingsValidationError extends Error {
  constructor(readonly errors: SettingsError[]) {
    super(`Invalid settings: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'SettingsValidationError';
  }
}

export function defaultSettings(): Settings {
  return structuredClone(DEFAULT_SETTINGS);
}

export interface SettingsSnapshot {
  settings: Settings;
  /** Set once, when an unreadable settings file was set aside at load. */
  notice?: StoreNotice;
}

export class SettingsStore {
  private cache: Promise<SettingsSnapshot> | undefined;

  constructor(private readonly file: string) {}

  /** The current settings (defaults where no file exists) and any load notice. */
  load(): Promise<SettingsSnapshot> {
    this.cache ??= readVersionedJson<Settings>(this.file, {
      schemaVersion: SETTINGS_SCHEMA_VERSION,
      fallback: defaultSettings,
      parse: (data) => {
        // Fields added by later versions of the same schema fall back to their defaults.
        const merged = applySettingsPatch(defaultSettings(), data as SettingsPatch);
        const errors = validateSettings(merged);
        if (errors.length > 0) throw new SettingsValidationError(errors);
        return merged;
      },
    }).then(({ value, notice }) => (notice ? { settings: value, notice } : { settings: value }));
    return this.cache;
  }

  async get(): Promise<Settings> {
    return (await this.load()).settings;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = applySettingsPatch(await this.get(), patch);
    const errors = validateSettings(next);
    if (errors.length > 0) throw new SettingsValidationError(errors);
    await writeVersionedJson(this.file, SETTINGS_SCHEMA_VERSION, next);
    const notice = (await this.load()).notice;
    this.cache = Promise.resolve(notice ? { settings: next, notice } : { settings: next });
    return next;
  }

  async reset(): Promise<Settings> {
    const next = defaultSettings();
    await writeVersionedJson(this.file, SETTINGS_SCHEMA_VERSION, next);
    this.cache = Promise.resolve({ settings: next });
    return next;
  }
}

/** The engine's timeouts and keepalive from the settings. */
export function engineTimings(settings: Settings): { timeouts: Timeouts; keepaliveMs: number } {
  return {
    timeouts: {
      connectMs: settings.timeouts.connectSeconds * 1000,
      replyMs: settings.timeouts.replySeconds * 1000,
      dataIdleMs: settings.timeouts.dataIdleSeconds * 1000,
    },
    keepaliveMs: settings.keepaliveSeconds * 1000,
  };
}
