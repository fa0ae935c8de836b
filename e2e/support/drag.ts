import type { Locator, Page } from '@playwright/test';

/**
 * Presses on `from`, moves onto `to` in steps as a hand does (running `whileOver` there, e.g. for
 * a screenshot), and releases. `at`: where on the target: its middle (a pane, the queue) or near
 * its start (a row's name).
 */
export async function dragOnto(
  page: Page,
  from: Locator,
  to: Locator,
  options: { at?: 'middle' | 'start'; whileOver?: () => Promise<void> } = {},
): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('not visible');
  const x = options.at === 'start' ? b.x + 40 : b.x + b.width / 2;
  await page.mouse.move(a.x + 30, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 60, a.y + a.height / 2 + 4, { steps: 3 });
  await page.mouse.move(x, b.y + b.height / 2, { steps: 8 });
  await page.mouse.move(x + 4, b.y + b.height / 2, { steps: 2 });
  await options.whileOver?.();
  await page.mouse.up();
}

/** Drags an element's centre by (dx, dy) with the mouse (a splitter, a column edge). */
export async function dragBy(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  const box = await handle.boundingBox();
  if (!box) throw new Error('not visible');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2);
  await page.mouse.move(x + dx, y + dy);
  await page.mouse.up();
}
