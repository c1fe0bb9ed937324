import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import local from './eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'artifacts/**', 'native/build/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { local },
    rules: {
      'local/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]",
          message: 'focused test left in',
        },
        {
          // `x as never` silences the type checker wholesale (it was how plain numbers got past Fen); say the type.
          selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
          message: "'as never' hides a type error: convert the value (e.g. fen(n)) or name the type it really has",
        },
      ],
    },
  },
  {
    // The core stays in small modules (issue 10): a saga step, a movement, a repo each fit on a few screens.
    files: ['src/station/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // The core logs through its logger port (src/station/log: rolling files, personal data redacted), never the console.
    files: ['src/station/**/*.ts', 'src/app/**/*.ts', 'src/host/loopback-host.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: { 'no-console': 'error' },
  },
);
