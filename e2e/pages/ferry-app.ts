/** Page objects, one per screen part, in the style of VS Code's test/automation. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { SecurityMode } from '../../shared/models';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', 'screenshots');

export class ConnectBar {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByRole('form', { name: 'Connection' });
  }
  host = () => this.root.locator('input[name=host]');
  port = () => this.root.locator('input[name=port]');
  user = () => this.root.locator('input[name=user]');
  password = () => this.root.locator('input[name=password]');
  mode = () => this.root.locator('select[name=mode]');

  async fill(options: {
    host: string;
    port?: number;
    user: string;
    password: string;
    mode?: SecurityMode;
  }): Promise<void> {
    if (options.mode) await this.mode().selectOption(options.mode);
    await this.host().fill(options.host);
    if (options.port !== undefined) await this.port().fill(String(options.port));
    await this.user().fill(options.user);
    await this.password().fill(options.password);
  }

  async connect(): Promise<void> {
    await this.root.getByRole('button', { name: 'Connect', exact: true }).click();
  }

  async disconnect(): Promise<void> {
    await this.root.getByRole('button', { name: 'Disconnect', exact: true }).click();
  }
}

export class Pane {
  readonly root: Locator;
  readonly list: Locator;
  constructor(
    readonly page: Page,
    readonly side: 'local' | 'remote',
  ) {
    this.root = page.getByTestId(`${side}-pane`);
    this.list = page.getByTestId(`${side}-list`);
  }
  row(name: string): Locator {
    return this.list.locator(`[role=row][data-name="${name.replace(/"/g, '\\"')}"]`);
  }
  path(): Locator {
    return this.root.getByRole('navigation', { name: `${this.side} path` });
  }
  async goTo(path: string): Promise<void> {
    await this.root.getByRole('button', { name: 'Edit path' }).click();
    const input = this.root.getByRole('textbox', { name: `${this.side} path` });
    await input.fill(path);
    await input.press('Enter');
    await expect(this.path()).toHaveAttribute('data-path', path);
  }
  footer(): Locator {
    return this.root.locator('.pane-footer');
  }
}

export class Queue {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('queue');
  }
  tab(name: 'Queued' | 'Failed' | 'Done'): Locator {
    return this.root.getByRole('tab', { name: new RegExp(`^${name}`) });
  }
  item(name: string): Locator {
    return this.root.locator(`.queue-row[data-name="${name}"]`);
  }
}

export class TrustDialog {
  constructor(readonly page: Page) {}
  untrusted = () => this.page.getByTestId('trust-dialog');
  changed = () => this.page.getByTestId('trust-changed-dialog');
  async fingerprint(): Promise<string> {
    return (await this.page.getByTestId('trust-fingerprint').getAttribute('data-value')) ?? '';
  }
  async answer(choice: 'Trust once' | 'Always trust' | 'Cancel'): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: choice, exact: true }).click();
  }
}

export class FerryApp {
  readonly connectBar: ConnectBar;
  readonly local: Pane;
  readonly remote: Pane;
  readonly queue: Queue;
  readonly trust: TrustDialog;
  readonly statusBar: Locator;
  readonly log: Locator;

  constructor(readonly page: Page) {
    this.connectBar = new ConnectBar(page);
    this.local = new Pane(page, 'local');
    this.remote = new Pane(page, 'remote');
    this.queue = new Queue(page);
    this.trust = new TrustDialog(page);
    this.statusBar = page.getByTestId('status-bar');
    this.log = page.getByTestId('log-panel');
  }

  /** Quick connect to a test server (explicit FTPS by default) and trust its certificate once. */
  async connectTrustingOnce(server: {
    host: string;
    port: number;
    user: string;
    password: string;
  }): Promise<void> {
    await this.connectBar.fill({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    await this.connectBar.connect();
    await this.trust.answer('Trust once');
  }

  async ready(): Promise<void> {
    await expect(this.connectBar.root).toBeVisible();
    await expect(this.local.path()).not.toHaveAttribute('data-path', '');
  }

  /** Saves light and dark screenshots under e2e/screenshots (git-ignored). */
  async screenshots(name: string): Promise<void> {
    await this.page.emulateMedia({ colorScheme: 'light' });
    await this.screenshot(`${name}-light`);
    await this.page.emulateMedia({ colorScheme: 'dark' });
    await this.screenshot(`${name}-dark`);
    await this.page.emulateMedia({ colorScheme: 'light' });
  }

  /** Saves a screenshot under e2e/screenshots (git-ignored). */
  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.waitForTimeout(150);
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  }
}
