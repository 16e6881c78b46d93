// Lint: typescript-eslint's type-aware recommended rules over src, test, bench and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A leading underscore marks a parameter a signature requires but the body does not read (Express needs four
      // for an error handler), and `{ secret: _secret, ...rest }` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Fakes implement asynchronous ports with `async` methods that need no await: that keeps the port's contract
      // (a throw becomes a rejection) without ceremony, and is what a fake should look like.
      '@typescript-eslint/require-await': 'off',
      // expect(fake.method).toHaveBeenCalled() passes jest mocks unbound on purpose; no `this` is involved.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
