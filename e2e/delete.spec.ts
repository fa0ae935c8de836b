/** Deleting one local item: "it", not "them"; the preview (no Trash) says it is permanent. */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

test('deleting one local file asks about "it" and says the preview deletes permanently', async ({
  app,
}) => {
  const { ferry, page, workDir } = app;
  await writeFile(join(workDir, 'only.txt'), 'x');
  await ferry.local.goTo(workDir);
  await ferry.local.row('only.txt').click();
  await page.keyboard.press('Delete');
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Delete “only.txt”?');
  await expect(dialog).toContainText('This deletes it from this computer permanently');
  await expect(dialog).not.toContainText('them');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(ferry.local.row('only.txt')).toHaveCount(0);
  await expect(stat(join(workDir, 'only.txt'))).rejects.toThrow();
});
