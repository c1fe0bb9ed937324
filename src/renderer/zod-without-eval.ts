/**
 * The CSP allows no eval. Left to itself, zod probes `new Function` when its first schema is built, and
 * Chromium reports a CSP violation on every page load. main.tsx imports this module first, so the setting
 * is in place before any module defines a schema.
 */
import { z } from 'zod';

z.config({ jitless: true });
