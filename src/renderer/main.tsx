import './zod-without-eval';
import './styles/antd.css';
import './styles/tokens.css';
import './styles/base.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AntdRoot } from './app/AntdRoot';
import { App } from './app/App';
import { LaunchTokenMissing } from './app/LaunchTokenMissing';
import { openStationBridge } from './bridge/station';
import { StationProvider } from './common/station-context';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const mount = root;

// The loopback page trades its launch code first (one round trip to 127.0.0.1); Electron's bridge is immediate.
void openStationBridge().then((bridge) =>
  createRoot(mount).render(
    <StrictMode>
      <AntdRoot>
        {bridge ? (
          <StationProvider bridge={bridge}>
            <App />
          </StationProvider>
        ) : (
          <LaunchTokenMissing />
        )}
      </AntdRoot>
    </StrictMode>,
  ),
);
