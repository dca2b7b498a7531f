import { configDefaults, defineConfig } from 'vitest/config';

// The end-to-end tests: they start the sandbox and run the CLI, the handler or the packaged artefacts as processes.
const E2E = [
  'test/e2e/**/*.test.ts',
  'test/deploy/**/*.test.ts',
  'test/package*.test.ts',
  'test/publish/e2e.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Only with --coverage (CI's test step): of src/, as the tests run it in their own processes (the CLI, handler
    // and artefacts the end-to-end tests start as child processes are not counted).
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'lcov', 'json-summary'],
      reportsDirectory: 'coverage',
    },
    // `npm run test:unit` and `npm run test:e2e` run one each; `npm test` runs both. Each names its own include:
    // `extends` would add a shared one to the e2e project's, not replace it.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...E2E],
          // Files share their worker's process and module cache: a fresh one per file spent most of the unit run
          // importing the SDK clients again (docs/performance.md, "The test suite"). Each file gives the process
          // back as it found it (test/support/process-hygiene.ts).
          isolate: false,
          setupFiles: ['test/support/process-hygiene.ts'],
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
