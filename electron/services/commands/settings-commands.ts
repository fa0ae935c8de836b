import type { StoreNotice } from '../../../shared/sites';
import { FerryError } from '../../engine/errors';
import type { CommandContext, CommandHandlers } from './context';
import { secretsStatus } from './site-commands';

/** Settings, pinned certificates, the log and what the host provides (app info, file dialog). */
export function settingsCommands(c: CommandContext) {
  const { settings, pins, secrets, sites, transfers, localFs, log, emit, host } = c;
  const storeNotices = async (): Promise<StoreNotice[]> => {
    const notices = [
      await sites.notice(),
      secrets.notice(),
      await pins.notice(),
      (await settings.load()).notice,
    ];
    return notices.filter((notice): notice is StoreNotice => notice !== undefined);
  };
  return {
    getAppInfo: () => ({
      version: host.version,
      platform: host.platform,
      homeDir: localFs.home(),
      runtime: host.runtime,
      localTrash: host.trashItem !== undefined,
    }),
    getLog: () => log.snapshot(),
    takeLaunchPrefill: () => host.takeLaunchPrefill?.() ?? null,
    pickFile: (pickOptions) => host.pickFile?.(pickOptions) ?? null,
    listPins: () => pins.summaries(),
    getPinnedCertificate: async (pinHost, port) => {
      const pin = await pins.get(pinHost, port);
      if (!pin) {
        throw new FerryError({
          kind: 'usage',
          step: 'Show pinned certificate',
          reason: `no certificate is pinned for ${pinHost}:${port}`,
        });
      }
      return { host: pin.host, port: pin.port, certificate: pin.certificate };
    },
    removePin: async (pinHost, port) => {
      await pins.remove(pinHost, port);
      return pins.summaries();
    },
    getSettings: async () => ({
      settings: await settings.get(),
      notices: await storeNotices(),
      secrets: secretsStatus(secrets),
    }),
    updateSettings: async (patch) => {
      const next = await settings.update(patch);
      await transfers.applySettings(next);
      emit('settings', next);
      return next;
    },
  } satisfies Partial<CommandHandlers>;
}
