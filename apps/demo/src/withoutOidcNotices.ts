/**
 * Runs `load` with oidc-provider's console notices filtered out. The library prints notices meant
 * for its own deployments (Node 22 recommended, development interactions enabled) when it is
 * imported and configured; they are true and expected for the demo's loopback server, and would
 * only clutter the demo's log. Everything else still reaches the console.
 *
 * @example
 * ```ts
 * const { completeConsent } = await withoutOidcNotices(() => import('@splice/testkit'));
 * ```
 */
export async function withoutOidcNotices<T>(load: () => Promise<T> | T): Promise<T> {
  const { warn, info } = console;
  const drop =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider')) return;
      original(...args);
    };
  console.warn = drop(warn);
  console.info = drop(info);
  try {
    return await load();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}
