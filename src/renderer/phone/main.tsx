import '../zod-without-eval';
import './phone.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PhoneApp } from './PhoneApp';
import { takeToken } from './session';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <PhoneApp token={takeToken()} />
  </StrictMode>,
);
