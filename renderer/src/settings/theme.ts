/** One place decides the theme: the setting, or the OS while the setting says "system". */
import type { Settings } from '../../../shared/settings';

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
let chosenTheme: Settings['theme'] = 'system';

function showTheme(): void {
  const dark = chosenTheme === 'dark' || (chosenTheme === 'system' && systemDark.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
systemDark.addEventListener('change', showTheme);
showTheme();

export function applyTheme(settings: Settings): void {
  chosenTheme = settings.theme;
  showTheme();
}
