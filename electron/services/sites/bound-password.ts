/**
 * Reads a site's stored password only for the place it was saved for. The site store drops the
 * password when a site's host, port, user, mode or CA file changes; this check is the second
 * lock, so no other path that rewrites a site (import, a future command) can redirect it.
 */
import { passwordTarget, secretKey, type Site } from '../../../shared/sites';
import type { SecretStore } from '../secrets/secret-store';

export async function storedPassword(site: Site, store: SecretStore): Promise<string | undefined> {
  const password = await store.get(secretKey(site.id, 'password'));
  if (password === undefined) return undefined;
  const targetKey = secretKey(site.id, 'password-target');
  const target = await store.get(targetKey);
  if (target === undefined) {
    // Saved before passwords were bound: bind it to where the site points now.
    await store.set(targetKey, passwordTarget(site)).catch(() => undefined);
    return password;
  }
  return target === passwordTarget(site) ? password : undefined;
}
