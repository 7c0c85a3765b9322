import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup of the integration project: bundles the `splice` command from the current
 * sources before any test runs bin/splice.js, so the tests always run what `pnpm build` would
 * ship, on a clean clone too.
 *
 * @example
 * ```ts
 * defineConfig({ test: { globalSetup: ['packages/cli/test/support/bundleSplice.ts'] } });
 * ```
 */
export default function bundleSplice(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../scripts/bundle.js', import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
}
