// local/layering — each folder of src/ states its runtime, which layers of src/ it may import and which npm
// packages it may import; this rule enforces all three. Modelled on VS Code's `local/code-layering` and
// `local/code-import-patterns`: an import is resolved against the importing file, the layer of both ends is looked
// up, and anything outside the tables below is an error. The tables are the source of the "Layers and runtimes"
// section of docs/architecture.md; change both together.
//
// Every import form is checked: `import` (type-only too), `export ... from`, `import()`, `require()`.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * layer -> its runtime, the layers of src/ it may import, and the npm packages it may import.
 *
 * `packages`: name -> true (anywhere in the layer) or a list of folders (relative to the repository root, ending
 * in '/') that alone may import it. Node builtins are allowed in every `node` layer and in no other.
 */
export const LAYERS = {
  // anywhere: no Node, no DOM (compiled in both TypeScript projects)
  shared: { runtime: 'any', layers: ['shared'], packages: { zod: true } },
  // Chromium renderer (DOM)
  renderer: {
    runtime: 'browser',
    layers: ['renderer', 'shared'],
    // echarts (canvas renderer, no HTML tooltips: the strict CSP) only where the office's charts are
    packages: {
      zod: true,
      react: true,
      'react-dom': true,
      qrcode: true,
      antd: true,
      '@ant-design/icons': true,
      echarts: ['src/renderer/features/admin/'],
    },
  },
  // yauzl/yazl: the centre's zip files (catalogues, reconciliation details)
  insurance: { runtime: 'node', layers: ['insurance', 'shared'], packages: { zod: true, 'sm-crypto-v2': true, yauzl: true, yazl: true } },
  devices: {
    runtime: 'node',
    layers: ['devices', 'shared'],
    // the native device libraries: only the devices layer talks to hardware
    packages: { zod: true, serialport: true, 'node-hid': true, koffi: true },
  },
  station: {
    runtime: 'node',
    layers: ['station', 'insurance', 'devices', 'shared'],
    // SQLite only behind the store: every other capability goes through its repositories; pino only behind
    // the logger port; exceljs only in the ledger's exports (the admin's xlsx); pg only in the hospital ledger's
    // PostgreSQL adapter
    packages: {
      zod: true,
      'better-sqlite3': ['src/station/store/'],
      pino: ['src/station/log/'],
      'pino-roll': ['src/station/log/'],
      exceljs: ['src/station/ledger/'],
      pg: ['src/station/hospital-ledger/postgres/'],
    },
  },
  // The simulators are the *other side*: written independently of the clients on purpose.
  simulators: {
    runtime: 'node',
    layers: ['simulators'],
    packages: {
      zod: true,
      'sm-crypto-v2': true,
      // the simulated centres keep their own ledgers
      'better-sqlite3': [
        'src/simulators/nhsa/',
        'src/simulators/his/',
        'src/simulators/pay-channel/',
        'src/simulators/messages/',
        'src/simulators/statement-cache.ts',
      ],
      // the training card reader is a real native library loaded the way the station loads a vendor's
      koffi: ['src/simulators/devices/'],
    },
  },
  // the composition root (host-independent: no HTTP server, no Electron)
  app: { runtime: 'node', layers: ['app', 'station', 'insurance', 'devices', 'simulators', 'shared'], packages: { zod: true } },
  // the loopback host: HTTP + WebSocket for a browser shell, the CLI, chaos
  host: {
    runtime: 'node',
    layers: ['host', 'service', 'app', 'station', 'insurance', 'devices', 'simulators', 'shared'],
    // yazl: the support bundle IT sends to the vendor
    packages: { zod: true, ws: true, yazl: ['src/host/cli/'] },
  },
  // the settlement service (npm run service): the same core, headless, an HTTP API for the hospital's apps
  service: {
    runtime: 'node',
    layers: ['service', 'app', 'station', 'insurance', 'devices', 'simulators', 'shared'],
    packages: { zod: true },
  },
  // the Electron shell: the only importer of `electron` (and every `electron/...` subpath)
  main: {
    runtime: 'node',
    layers: ['main', 'host', 'app', 'station', 'insurance', 'devices', 'simulators', 'shared'],
    packages: { zod: true, electron: ['src/main/'] },
  },
};

/**
 * Tests (*.test.ts[x] under src/) obey their layer's table, and may in addition import the simulators, Node
 * builtins (they run in Node under vitest, the renderer's too) and these test-only packages. Never `electron`:
 * vitest cannot run it.
 */
export const TEST_LAYERS = ['simulators'];
export const TEST_PACKAGES = {
  vitest: true,
  // the reference SM2/SM3/SM4 implementation the station's sm-crypto-v2 use is checked against
  'sm-crypto': true,
  'playwright-core': true,
  // the bridge client's test stands up a real WebSocket server
  ws: ['src/renderer/bridge/'],
  // the host's integration tests open the station's database file read-only, to check what a separate
  // (possibly killed) station process wrote
  'better-sqlite3': ['src/host/'],
  // the support bundle's test opens the zip it wrote
  yauzl: ['src/host/cli/'],
};

/**
 * Tool folders outside src/ (and the root config files) run in Node under tsx/vitest/node and drive the whole
 * app: they may import any layer of src/ and any installed package — but not `electron` (nor a subpath): only
 * src/main runs inside Electron (e2e/electron.e2e.ts finds the binary's path without loading the package).
 * A new top-level folder of code must be added here.
 */
export const TOOL_FOLDERS = ['bench', 'e2e', 'scripts', 'eslint', 'native', 'test'];

/**
 * Capability folders: a file outside `<root><capability>/` imports that capability only through its index
 * (`<root><capability>` or `<root><capability>/index`), never a file inside it. Applies to importers in a
 * sibling capability of the same root.
 */
export const CAPABILITY_ROOTS = ['src/station/', 'src/renderer/features/'];

/**
 * Deep imports between capabilities tolerated for now, file by file (importer -> imported capability folders).
 * Only for code being rewritten on another branch when the rule arrived (issue 10): src/station/outpatient/.
 * (src/host/, moving to src/app/, needed none: it is not a capability.) Remove entries as the rewrite lands.
 */
/** Files allowed to reach into another capability, file by file, with why. None today. */
export const DEEP_IMPORT_EXCEPTIONS = {};

function toPosix(p) {
  return p.split(path.sep).join('/');
}

/**
 * Where a file sits: `layer` is its folder of src/ ('' for a file directly in src/), `tool` says it is in a tool
 * folder or at the root, `unknown` that it is in another top-level folder. Outside the repository: none of them.
 */
function placeOf(file, root) {
  const rel = toPosix(path.relative(root, file));
  if (rel.startsWith('../') || path.isAbsolute(rel)) return { rel, layer: null, tool: false, unknown: false };
  const parts = rel.split('/');
  if (parts[0] === 'src') return { rel, layer: parts.length > 2 ? parts[1] : '', tool: false, unknown: false };
  const tool = parts.length === 1 || TOOL_FOLDERS.includes(parts[0]);
  return { rel, layer: null, tool, unknown: !tool };
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowedIn(rule, rel) {
  if (rule === undefined) return false;
  if (rule === true) return true;
  return rule.some((folder) => rel.startsWith(folder));
}

/** `<root><capability>/` containing rel, or null */
function capabilityOf(rel) {
  for (const root of CAPABILITY_ROOTS) {
    if (!rel.startsWith(root)) continue;
    const parts = rel.slice(root.length).split('/');
    if (parts.length > 1) return `${root}${parts[0]}/`;
  }
  return null;
}

const INDEX = /^(index(\.tsx?|\.js)?)?$/;

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the runtime layering of src/: layers, npm packages per layer, feature indexes' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const here = placeOf(file, root);
    const isTest = /\.test\.tsx?$/.test(file);
    const where = here.layer ? `src/${here.layer}${isTest ? ' (a test)' : ''}` : here.tool ? 'a tool folder' : here.rel;

    function report(node, message) {
      context.report({ node, message });
    }

    function checkPackage(node, spec) {
      const name = packageName(spec);
      if (name === 'electron') {
        if (here.layer !== 'main' || isTest) report(node, `only src/main (not its tests) may import '${spec}' (this file is in ${where})`);
        return;
      }
      if (here.tool || !here.layer) return;
      const layer = LAYERS[here.layer];
      if (!layer) return; // reported once per file by Program
      if (NODE_BUILTINS.has(spec)) {
        if (layer.runtime !== 'node' && !isTest) report(node, `src/${here.layer} runs without Node: '${spec}' is not allowed`);
        return;
      }
      if (allowedIn(layer.packages[name], here.rel)) return;
      if (isTest && allowedIn(TEST_PACKAGES[name], here.rel)) return;
      if (layer.packages[name] !== undefined || (isTest && TEST_PACKAGES[name] !== undefined)) {
        const folders = [layer.packages[name], isTest ? TEST_PACKAGES[name] : undefined].filter(Array.isArray).flat();
        report(node, `'${name}' may be imported only under ${folders.join(', ')} (this file is in ${here.rel})`);
        return;
      }
      const list = Object.keys(layer.packages).concat(isTest ? Object.keys(TEST_PACKAGES) : []);
      report(node, `src/${here.layer} may import only these packages: ${list.join(', ')} — not '${spec}'`);
    }

    function checkRelative(node, spec) {
      if (!here.layer) return; // tool folders may import any layer
      const layer = LAYERS[here.layer];
      if (!layer) return;
      const target = placeOf(path.resolve(path.dirname(file), spec), root);
      if (!target.layer) {
        // Tests may use the shared harnesses in test/ (they drive the loopback host and the composition root).
        if (isTest && target.rel.startsWith('test/')) return;
        report(node, `src/${here.layer} must not import from outside src/ ('${spec}')`);
        return;
      }
      const allowed = isTest ? [...layer.layers, ...TEST_LAYERS] : layer.layers;
      if (!allowed.includes(target.layer)) {
        report(node, `${where} must not import src/${target.layer} ('${spec}'); allowed: ${allowed.join(', ')}`);
        return;
      }
      const to = capabilityOf(target.rel);
      if (!to || here.rel.startsWith(to)) return;
      const from = capabilityOf(here.rel);
      if (!from || !to.startsWith(from.slice(0, from.lastIndexOf('/', from.length - 2) + 1))) return;
      const inside = target.rel.slice(to.length);
      if (INDEX.test(inside)) return;
      if ((DEEP_IMPORT_EXCEPTIONS[here.rel] ?? []).includes(to)) return;
      report(node, `${to} is another capability: import it through its index ('${to}index.ts'), not '${spec}'`);
    }

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) checkRelative(node, spec);
      else checkPackage(node, spec);
    }

    return {
      Program(node) {
        if (here.layer !== null && !LAYERS[here.layer]) {
          report(
            node,
            `${here.layer ? `src/${here.layer}` : 'src/ itself'} is not a known layer: add it to eslint/layering.js and docs/architecture.md`,
          );
        }
        if (here.unknown)
          report(
            node,
            `${here.rel.split('/')[0]}/ is neither a layer of src/ nor a tool folder: add it to TOOL_FOLDERS in eslint/layering.js`,
          );
      },
      ImportDeclaration(node) {
        check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') check(node, node.moduleReference.expression.value);
      },
      TSImportType(node) {
        // `type T = import('x').T`: typescript-eslint >= 8.x names the string `source` (before: `argument`)
        const lit = node.source ?? (node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument);
        if (lit?.type === 'Literal') check(node, lit.value);
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { layering: rule } };
