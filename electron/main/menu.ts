import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc';

/** The application menu: the usual entries, with accelerators the renderer also understands. */
export function menuTemplate(
  send: (command: MenuCommand) => void,
  platform: string,
  /** Shows the About dialog (Help menu; on macOS the app menu's About uses the native panel). */
  onAbout?: () => void,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Connection', accelerator: 'CmdOrCtrl+N', click: () => send('new-connection') },
      { label: 'Site Manager…', accelerator: 'CmdOrCtrl+S', click: () => send('site-manager') },
      { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => send('settings') },
      { type: 'separator' },
      { label: 'Disconnect', accelerator: 'CmdOrCtrl+D', click: () => send('disconnect') },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Refresh', accelerator: 'F5', click: () => send('refresh') },
      { label: 'Protocol Log', accelerator: 'CmdOrCtrl+L', click: () => send('toggle-log') },
      { label: 'Certificate…', accelerator: 'CmdOrCtrl+I', click: () => send('show-certificate') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
  if (mac) template.unshift({ role: 'appMenu' });
  else if (onAbout) {
    template.push({
      label: '&Help',
      submenu: [{ label: 'About Ferry', click: onAbout }],
    });
  }
  return template;
}
