/** Page objects for the site manager, the credential prompt and the settings dialog. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SiteManagerPage {
  readonly root: Locator;
  readonly tree: Locator;
  readonly form: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('site-manager');
    this.tree = this.root.getByRole('tree', { name: 'Sites and folders' });
    this.form = this.root.getByRole('form', { name: 'Site' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Site Manager', exact: true }).click();
    await expect(this.root).toBeVisible();
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect(this.root).toBeHidden();
  }

  site(name: string): Locator {
    return this.tree.locator(`[role=treeitem][data-kind=site][data-name="${name}"]`);
  }

  folder(name: string): Locator {
    return this.tree.locator(`[role=treeitem][data-kind=folder][data-name="${name}"]`);
  }

  /** A site shown inside a folder of the tree. */
  siteInFolder(folder: string, site: string): Locator {
    return this.tree.locator(
      `li:has(> [data-kind=folder][data-name="${folder}"]) [role=treeitem][data-kind=site][data-name="${site}"]`,
    );
  }

  field(name: string): Locator {
    return this.form.locator(`[name="${name}"]`);
  }

  tab(name: 'General' | 'TLS' | 'Transfer' | 'Notes'): Locator {
    return this.form.getByRole('tab', { name, exact: true });
  }

  async newSite(): Promise<void> {
    await this.root.getByRole('button', { name: 'New site' }).click();
    await expect(this.field('name')).toHaveValue(/^New site/);
  }

  async fillGeneral(options: {
    name: string;
    host: string;
    port: number;
    user: string;
    password?: string;
    logonType?: 'normal' | 'ask' | 'anonymous';
  }): Promise<void> {
    await this.tab('General').click();
    await this.field('name').fill(options.name);
    await this.field('host').fill(options.host);
    await this.field('port').fill(String(options.port));
    if (options.logonType) await this.field('logonType').selectOption(options.logonType);
    await this.field('user').fill(options.user);
    if (options.password !== undefined) await this.field('password').fill(options.password);
  }

  async save(): Promise<void> {
    await this.form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(this.form.getByRole('status')).toHaveText('Saved');
  }

  async connect(): Promise<void> {
    await this.form.getByRole('button', { name: 'Connect', exact: true }).click();
  }
}

export class CredentialPrompt {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('credential-dialog');
  }
  async answer(password: string): Promise<void> {
    await this.root.locator('input[name=password]').fill(password);
    await this.root.getByRole('button', { name: 'Connect', exact: true }).click();
  }
}

export class SettingsPage {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('settings-dialog');
  }
  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(this.root).toBeVisible();
  }
  section(name: 'General' | 'Transfers' | 'Connection' | 'Pinned certificates'): Locator {
    return this.root.getByRole('tab', { name });
  }
  pin(host: string, port: number): Locator {
    return this.root.locator(`tr[data-host="${host}:${port}"]`);
  }
  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect(this.root).toBeHidden();
  }
}
