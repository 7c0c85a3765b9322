import { defineConfig } from 'vitest/config';

// One config, two projects. Unit tests are fast and self-contained; integration tests start real
// servers (oidc-provider, node:http, Redis, SQLite files, Chromium) and run on loopback ports.
const conditions = ['@splice/source', 'node', 'import', 'module', 'default'];
const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@splice/source'] } },
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            'suites/test/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
          // A test's first call may load and transform a package's whole module graph (the CLI's
          // is hundreds of files): on a busy 2-core machine that alone outlasts vitest's 5 s.
          testTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.int.test.ts',
            'apps/*/test/**/*.int.test.ts',
            'examples/*/test/**/*.int.test.ts',
            'bench/test/**/*.int.test.ts',
            'suites/test/**/*.int.test.ts',
          ],
          environment: 'node',
          // Tests that run bin/splice.js need the bundled command of the current sources.
          globalSetup: ['packages/cli/test/support/bundleSplice.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
