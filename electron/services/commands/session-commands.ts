import { engineTimings, type SettingsStore } from '../settings/settings-store';
import { resolveSecrets, toConnectOptions } from '../sites/connect-options';
import type { CommandContext, CommandHandlers } from './context';

/** Quick connect: the settings' timeouts, keepalive and default minimum TLS version. */
async function quickConnectOptions(settings: SettingsStore, mode: string) {
  const current = await settings.get();
  return {
    ...engineTimings(current),
    ...(mode === 'plain' ? {} : { tls: { minVersion: current.defaultTlsMin } }),
  };
}

/** Connecting (quick connect or a saved site), trust answers and remote file operations. */
export function sessionCommands(c: CommandContext) {
  const { session, transfers, settings, sites, secrets, plainFallback, recent } = c;
  return {
    getSession: () => session.snapshot(),
    connect: async (request) => {
      transfers.useSessionConnectionLimit(undefined);
      return session.connect(request, await quickConnectOptions(settings, request.mode));
    },
    connectSite: async (id, provided) => {
      const site = await sites.getSite(id);
      const resolved = await resolveSecrets(site, secrets, provided);
      if (!resolved.ok) return { status: 'needs-secrets', prompt: resolved.prompt };
      const timings = engineTimings(await settings.get());
      const connectOptions = await toConnectOptions(site, resolved.secrets, timings);
      transfers.useSessionConnectionLimit(site.maxConnections, site.segmentedDownloads);
      const plainContext = {
        siteName: site.name,
        remembered: await plainFallback.allowed(site),
        remember: () => plainFallback.remember(site),
      };
      return {
        status: 'session',
        session: await session.connectWith(connectOptions, plainContext, {
          id: site.id,
          name: site.name,
        }),
      };
    },
    disconnect: () => session.disconnect(),
    answerTrust: (promptId, decision) => {
      // A prompt is either the queue's (a transfer connection) or the browsing session's.
      if (!transfers.answerTrust(promptId, decision)) session.answerTrust(promptId, decision);
    },
    answerInsecure: (promptId, decision) => session.answerInsecure(promptId, decision),
    listRemote: (path) => session.list(path),
    makeRemoteDir: (path) => session.mkdir(path),
    renameRemote: (from, to) => session.rename(from, to),
    deleteRemote: (targets) => session.delete(targets),
    listRecent: () => recent.list(),
    forgetRecent: (host, port, user) => recent.forget(host, port, user),
  } satisfies Partial<CommandHandlers>;
}
