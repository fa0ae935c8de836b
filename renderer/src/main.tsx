import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
// Each feature keeps its own stylesheet; they load here, in one place, so the cascade order is
// explicit (it is the order of the single stylesheet they were split from).
import './sites/sites.css';
import './sites/import-export.css';
import './sites/banners.css';
import './settings/settings.css';
import './app/base.css';
import './app/layout.css';
import './ui/splitter.css';
import './ui/controls.css';
import './connection/connect-bar.css';
import './browser/panes.css';
import './ui/context-menu.css';
import './transfers/queue.css';
import './log/log.css';
import './connection/status-bar.css';
import './ui/dialog.css';
import './certificates/certificates.css';
import './ui/dialog-content.css';
import './ui/toasts.css';
import './connection/narrow.css';
import './connection/reconnect.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
