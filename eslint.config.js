import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-renderer/**', 'release/**', 'node_modules/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,cts,mts}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Promises in the main process, its preload and the core are awaited or handled: in Electron an unhandled
    // rejection in main becomes a modal error box, and a callback that returns a promise to an event emitter
    // loses its rejection. These rules need type information, so they run on the projects' own files only.
    files: ['src/main/**/*.ts', 'src/preload/**/*.cts', 'src/core/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The layers point one way (ARCHITECTURE.md): core imports nothing outside src/core, and shared (the bridges'
    // contract) only core. test/imports.test.ts checks the whole import graph, cycles included.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/shared/*', '**/main/*', '**/server/*', '**/cli/*', '**/renderer/*', '**/preload/*', 'electron'], message: 'src/core imports nothing outside src/core (see ARCHITECTURE.md).' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/*', '**/server/*', '**/cli/*', '**/renderer/*', '**/preload/*', 'electron'], message: 'src/shared imports only src/core and itself (see ARCHITECTURE.md).' }] }],
    },
  },
  {
    // CommonJS sources (the sandboxed preload) load electron with TypeScript's `import x = require()`.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', 'scripts/**', 'bin/**', '.ci/**'],
    languageOptions: { globals: globals.node },
  },
);
