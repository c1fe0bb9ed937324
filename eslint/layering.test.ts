// RuleTester cases for local/layering (eslint/layering.js): for each kind of check, what passes and what not.
// File names are absolute under the repository root, which is the rule's `cwd` here as under `eslint .`.
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import plugin from './layering.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const rule = plugin.rules.layering;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' } });

const at = (file: string) => path.join(process.cwd(), file);
const ok = (file: string, code: string) => ({ filename: at(file), code });
const bad = (file: string, code: string, message: RegExp) => ({ filename: at(file), code, errors: [{ message }] });

describe('local/layering', () => {
  tester.run('layers of src/', rule, {
    valid: [
      ok('src/station/station.ts', "import { parseMessage } from '../insurance/nhsa';"),
      ok('src/station/station.ts', "import { DeviceManager } from '../devices/manager';"),
      ok('src/host/start.ts', "import { compose } from '../app/compose';"),
      ok('src/main/main.ts', "import { compose } from '../app/compose';\nimport { LoopbackHost } from '../host/loopback-host';"),
      ok('src/app/compose.ts', "import { Station } from '../station/station';\nimport { NhsaCentre } from '../simulators/nhsa';"),
      ok('src/renderer/app/App.tsx', "import { formatYuan } from '../../shared/money';\nimport './app.css';"),
      ok('src/simulators/nhsa/centre.ts', "import { Ledger } from './ledger';"),
      // tests may import the simulators besides their own layer's table
      ok('src/station/outbox/outbox.test.ts', "import { NhsaCentre } from '../../simulators/nhsa';"),
      ok(
        'src/insurance/nhsa/client.test.ts',
        "import { startCentre } from '../../simulators/nhsa';\nimport { openDatabase } from '../../shared/domain';",
      ),
      // tool folders may import any layer
      ok('e2e/settle-paths.e2e.ts', "import { qrMatrix } from '../src/renderer/features/cashier/qr-svg';"),
      ok('bench/outbox.ts', "import { openDatabase } from '../src/station/store/database';"),
    ],
    invalid: [
      bad('src/station/station.ts', "import { LoopbackHost } from '../host/loopback-host';", /src\/station must not import src\/host/),
      bad('src/station/station.ts', "import { compose } from '../app/compose';", /src\/station must not import src\/app/),
      bad('src/app/compose.ts', "import { LoopbackHost } from '../host/loopback-host';", /src\/app must not import src\/host/),
      bad('src/app/compose.ts', "import { App } from '../renderer/app/App';", /src\/app must not import src\/renderer/),
      bad('src/shared/api.ts', "import type { Db } from '../station/store';", /src\/shared must not import src\/station/),
      bad('src/insurance/nhsa/client.ts', "export * from '../../devices/manager';", /src\/insurance must not import src\/devices/),
      bad('src/renderer/main.tsx', "const m = await import('../host/start');", /src\/renderer must not import src\/host/),
      bad(
        'src/simulators/nhsa/centre.ts',
        "import { parseMessage } from '../../insurance/nhsa';",
        /src\/simulators must not import src\/insurance/,
      ),
      bad('src/station/station.ts', "import { fixtures } from '../../e2e/fixtures';", /must not import from outside src\//),
      // tests obey the matrix too: only the simulators come extra
      bad(
        'src/station/outbox/outbox.test.ts',
        "import { compose } from '../../host/compose';",
        /src\/station \(a test\) must not import src\/host/,
      ),
      bad(
        'src/shared/money.test.ts',
        "import { Station } from '../station/station';",
        /src\/shared \(a test\) must not import src\/station/,
      ),
      bad(
        'src/simulators/nhsa/centre.test.ts',
        "import { NhsaClient } from '../../insurance/nhsa';",
        /src\/simulators \(a test\) must not import src\/insurance/,
      ),
      bad(
        'src/renderer/bridge/ws-client.test.ts',
        "import { LoopbackHost } from '../../host/loopback-host';",
        /src\/renderer \(a test\) must not import src\/host/,
      ),
      bad('src/widgets/thing.ts', 'export const x = 1;', /src\/widgets is not a known layer/),
      bad('src/index.ts', 'export const x = 1;', /src\/ itself is not a known layer/),
      bad('widgets/thing.ts', "import fs from 'node:fs';", /widgets\/ is neither a layer of src\/ nor a tool folder/),
    ],
  });

  tester.run('npm packages per layer', rule, {
    valid: [
      ok('src/station/store/database.ts', "import Database from 'better-sqlite3';"),
      ok('src/simulators/nhsa/ledger.ts', "import Database from 'better-sqlite3';"),
      ok('src/simulators/devices/native-card-reader.ts', "import koffi from 'koffi';"),
      ok('src/devices/transports/serial-transport.ts', "import { SerialPort } from 'serialport';"),
      ok('src/devices/transports/hid-transport.ts', "import type HID from 'node-hid';\nconst hid = await import('node-hid');"),
      ok('src/devices/transports/card-library.ts', "const koffi = await import('koffi');"),
      ok('src/insurance/crypto/sm4.ts', "import { sm4 } from 'sm-crypto-v2';\nimport { randomBytes } from 'node:crypto';"),
      ok('src/renderer/main.tsx', "import { createRoot } from 'react-dom/client';\nimport { z } from 'zod';"),
      ok('src/shared/api.ts', "import { z } from 'zod';"),
      ok('src/host/loopback-host.ts', "import { WebSocketServer } from 'ws';\nimport http from 'node:http';"),
      ok('src/main/main.ts', "import { app, BrowserWindow } from 'electron';"),
      ok('src/main/preload.ts', "import { contextBridge } from 'electron/renderer';"),
      ok('src/main/windows.ts', "import { BrowserWindow } from 'electron/main';"),
      // tests: test-only packages and Node builtins, even in the no-Node layers
      ok('src/insurance/crypto/sm2.test.ts', "import { describe } from 'vitest';\nimport smCrypto from 'sm-crypto';"),
      ok('src/station/outbox/outbox.test.ts', "import { chromium } from 'playwright-core';"),
      ok('src/renderer/bridge/ws-client.test.ts', "import { WebSocketServer } from 'ws';\nimport http from 'node:http';"),
      ok('src/shared/money.test.ts', "import { it } from 'vitest';\nimport fs from 'node:fs';"),
      ok('src/host/station.integration.test.ts', "import Database from 'better-sqlite3';"),
      ok('src/station/store/store.test.ts', "import Database from 'better-sqlite3';"),
      ok('src/station/ledger/order-export.ts', "import ExcelJS from 'exceljs';"),
      ok('src/station/hospital-ledger/postgres/postgres-ledger.ts', "import pg from 'pg';"),
      // tool folders: any package but electron
      ok('e2e/identify.e2e.ts', "import Database from 'better-sqlite3';\nimport { chromium } from 'playwright-core';"),
      ok('scripts/build-main.mjs', "import { build } from 'esbuild';"),
      ok('native/build.mjs', "import { spawnSync } from 'node:child_process';"),
      ok('eslint.config.js', "import js from '@eslint/js';\nimport local from './eslint/layering.js';"),
    ],
    invalid: [
      // better-sqlite3 only behind the store (and in the simulators' ledgers)
      bad(
        'src/station/outbox/outbox.ts',
        "import Database from 'better-sqlite3';",
        /'better-sqlite3' may be imported only under src\/station\/store\//,
      ),
      bad(
        'src/station/workflows/identify-patient.ts',
        "import type { Database } from 'better-sqlite3';",
        /only under src\/station\/store\//,
      ),
      bad(
        'src/host/compose.ts',
        "import Database from 'better-sqlite3';",
        /src\/host may import only these packages: zod, ws, yazl — not 'better-sqlite3'/,
      ),
      bad('src/insurance/nhsa/client.ts', "import Database from 'better-sqlite3';", /src\/insurance may import only these packages/),
      // exceljs only where the admin's exports are written, never in the renderer
      bad(
        'src/station/outpatient/receipt-view.ts',
        "import ExcelJS from 'exceljs';",
        /'exceljs' may be imported only under src\/station\/ledger\//,
      ),
      bad('src/renderer/features/admin/OrderList.tsx', "import ExcelJS from 'exceljs';", /src\/renderer may import only these packages/),
      // echarts only where the office's charts are drawn (ReconMonthChart.tsx itself is linted as it is)
      bad(
        'src/renderer/features/cashier/CashierScreen.tsx',
        "import * as echarts from 'echarts/core';",
        /'echarts' may be imported only under src\/renderer\/features\/admin\//,
      ),
      // pg only in the hospital ledger's PostgreSQL adapter: the rest of the core goes through the ledger port
      bad(
        'src/station/hospital-ledger/ledger-shipper.ts',
        "import pg from 'pg';",
        /'pg' may be imported only under src\/station\/hospital-ledger\/postgres\//,
      ),
      bad('src/host/cli/ledger.ts', "import type { ClientConfig } from 'pg';", /src\/host may import only these packages/),
      bad('src/simulators/devices/pty-pair.ts', "import Database from 'better-sqlite3';", /only under src\/simulators\/nhsa\//),
      // the device libraries only in src/devices (koffi also for the simulated card reader)
      bad('src/station/station.ts', "import { SerialPort } from 'serialport';", /src\/station may import only these packages/),
      bad('src/host/start.ts', "const HID = await import('node-hid');", /src\/host may import only these packages/),
      bad('src/simulators/nhsa/centre.ts', "import koffi from 'koffi';", /'koffi' may be imported only under src\/simulators\/devices\//),
      bad('src/main/main.ts', "import { SerialPort } from '@serialport/stream';", /src\/main may import only these packages/),
      // no Node, no foreign package in the no-Node layers
      bad('src/renderer/app/App.tsx', "import fs from 'node:fs';", /src\/renderer runs without Node: 'node:fs'/),
      bad('src/shared/money.ts', "import { createHash } from 'crypto';", /src\/shared runs without Node: 'crypto'/),
      bad('src/shared/api.ts', "import { useState } from 'react';", /src\/shared may import only these packages: zod — not 'react'/),
      bad(
        'src/renderer/bridge/ws-client.ts',
        "import WebSocket from 'ws';",
        /src\/renderer may import only these packages: zod, react, react-dom, qrcode, antd, @ant-design\/icons, echarts — not 'ws'/,
      ),
      bad('src/renderer/common/format.test.ts', "import WebSocket from 'ws';", /'ws' may be imported only under src\/renderer\/bridge\//),
      // test-only packages stay in tests
      bad(
        'src/station/station.ts',
        "import { vi } from 'vitest';",
        /src\/station may import only these packages: zod, better-sqlite3, pino, pino-roll, exceljs, pg — not 'vitest'/,
      ),
      bad('src/insurance/crypto/sm2.ts', "import smCrypto from 'sm-crypto';", /src\/insurance may import only these packages/),
    ],
  });

  tester.run('electron and electron/... only in src/main', rule, {
    valid: [ok('src/main/security.ts', "import { session } from 'electron';\ntype W = import('electron').BrowserWindow;")],
    invalid: [
      bad(
        'src/host/start.ts',
        "import { app } from 'electron/main';",
        /only src\/main \(not its tests\) may import 'electron\/main' \(this file is in src\/host\)/,
      ),
      bad(
        'src/renderer/main.tsx',
        "import { ipcRenderer } from 'electron/renderer';",
        /may import 'electron\/renderer' \(this file is in src\/renderer\)/,
      ),
      bad('src/station/station.ts', "const { app } = require('electron');", /may import 'electron'/),
      bad('src/devices/manager.ts', "export { app } from 'electron/common';", /may import 'electron\/common'/),
      bad('src/app/compose.ts', "type W = import('electron').BrowserWindow;", /may import 'electron'/),
      bad('src/app/compose.ts', "import electron = require('electron');", /may import 'electron'/),
      // a test never imports electron, not even in src/main: vitest cannot run it
      bad('src/main/ipc-bridge.test.ts', "import { ipcMain } from 'electron';", /\(this file is in src\/main \(a test\)\)/),
      bad(
        'src/host/station.integration.test.ts',
        "import type { WebContents } from 'electron';",
        /\(this file is in src\/host \(a test\)\)/,
      ),
      bad('e2e/electron.e2e.ts', "const executable = require('electron');", /\(this file is in a tool folder\)/),
    ],
  });

  tester.run('capabilities import each other through their index', rule, {
    valid: [
      ok('src/station/outbox/outbox.ts', "import type { Db } from '../store';\nimport type { Movement } from './movement';"),
      ok('src/station/auth/login.ts', "import { hashPassword } from '../security/index';\nimport { AuditRepo } from '../store/index.ts';"),
      ok('src/station/outbox/outbox.test.ts', "import { FieldCipher } from '../security';"),
      ok(
        'src/renderer/features/doctor/DoctorScreen.tsx',
        "import { IdentifyScreen } from '../cashier';\nimport { ReceiptDialog } from '../receipt/index';",
      ),
      // inside one capability, any file
      ok('src/station/store/store.test.ts', "import { migrate } from './database';\nimport { MIGRATIONS } from './migrations/index';"),
      ok('src/renderer/features/cashier/OrderResult.tsx', "import { walletLabel } from './order-labels';"),
      // not between capabilities: the layer's own root, other folders, other layers
      ok('src/station/station.ts', "import { openDatabase } from './store/database';"),
      ok('src/renderer/app/Workspace.tsx', "import { IdentifyScreen } from '../features/cashier/IdentifyScreen';"),
      ok('src/host/compose.ts', "import { openDatabase } from '../station/store/database';"),
    ],
    invalid: [
      bad(
        'src/station/outbox/outbox.ts',
        "import type { Db } from '../store/database';",
        /src\/station\/store\/ is another capability: import it through its index/,
      ),
      bad(
        'src/station/outbox/outbox.test.ts',
        "import { FieldCipher } from '../security/field-cipher';",
        /src\/station\/security\/ is another capability/,
      ),
      bad('src/station/auth/login.ts', "export { AuditRepo } from '../store/audit-repo';", /src\/station\/store\/ is another capability/),
      bad(
        'src/station/store/database.ts',
        "import { MIGRATIONS } from '../outbox/migrations/index';",
        /src\/station\/outbox\/ is another capability/,
      ),
      bad(
        'src/renderer/features/receipt/ReceiptDialog.tsx',
        "import { walletLabel } from '../cashier/order-labels';",
        /src\/renderer\/features\/cashier\/ is another capability/,
      ),
      bad(
        'src/renderer/features/admin/AdminScreen.tsx',
        "const m = await import('../devices/DeviceList');",
        /src\/renderer\/features\/devices\/ is another capability/,
      ),
      // deeper files of a capability are held to it too
      bad(
        'src/station/outpatient/movements/settlement.ts',
        "import type { Movement } from '../../outbox/movement';",
        /src\/station\/outbox\/ is another capability/,
      ),
      bad(
        'src/station/outpatient/testing/settlement-rig.ts',
        "import { Outbox } from '../../outbox/outbox';",
        /src\/station\/outbox\/ is another capability/,
      ),
    ],
  });
});
