// local/layering — each folder of src/ states its runtime, and this rule enforces who may import whom.
// Modelled on VS Code's `local/code-layering`: an import is resolved against the importing file, the layer of
// both ends is looked up, and anything outside the allowed matrix is an error. Tests (*.test.ts) may import
// simulators and any layer, but never `electron` outside src/main.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** layer -> which other layers of src/ it may import */
const ALLOWED_LAYERS = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  insurance: ['insurance', 'shared'],
  devices: ['devices', 'shared'],
  station: ['station', 'insurance', 'devices', 'shared'],
  // The simulators are the *other side*: written independently of the clients on purpose.
  simulators: ['simulators'],
  // The composition root: builds the station (and in training mode its simulators) for every shell.
  app: ['app', 'station', 'insurance', 'devices', 'simulators', 'shared'],
  host: ['host', 'app', 'station', 'insurance', 'devices', 'simulators', 'shared'],
  main: ['main', 'app', 'host', 'station', 'insurance', 'devices', 'simulators', 'shared'],
};

/** layers that run without Node (browser / any JS runtime) */
const NO_NODE = new Set(['shared', 'renderer']);
/** packages a no-Node layer may use */
const BROWSER_PACKAGES = { shared: ['zod'], renderer: ['zod', 'react', 'react-dom', 'qrcode'] };

function layerOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0] ?? null;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the runtime layering of src/' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const srcRoot = path.join(context.cwd, 'src');
    const layer = layerOf(file, srcRoot);
    const isTest = /\.test\.tsx?$/.test(file);

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const isRelative = spec.startsWith('.');
      if (!isRelative) {
        if (spec === 'electron' && layer !== 'main') {
          context.report({ node, message: `only src/main may import 'electron' (this file is in ${layer ?? 'a tool folder'})` });
        }
        if (!layer || isTest) return;
        if (NO_NODE.has(layer)) {
          if (NODE_BUILTINS.has(spec)) {
            context.report({ node, message: `src/${layer} runs without Node: '${spec}' is not allowed` });
            return;
          }
          if (!BROWSER_PACKAGES[layer].includes(packageName(spec))) {
            context.report({ node, message: `src/${layer} may use only ${BROWSER_PACKAGES[layer].join(', ')} from packages, not '${spec}'` });
          }
        }
        return;
      }
      if (!layer || isTest) return;
      const target = layerOf(path.resolve(path.dirname(file), spec), srcRoot);
      if (target === null) {
        context.report({ node, message: `src/${layer} must not import from outside src/ ('${spec}')` });
        return;
      }
      const allowed = ALLOWED_LAYERS[layer];
      if (allowed && !allowed.includes(target)) {
        context.report({ node, message: `src/${layer} must not import src/${target} ('${spec}'); allowed: ${allowed.join(', ')}` });
      }
    }

    return {
      ImportDeclaration(node) { check(node, node.source.value); },
      ExportAllDeclaration(node) { check(node, node.source.value); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value); },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { layering: rule } };
