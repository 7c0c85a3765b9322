import { spawn } from 'node:child_process';

/**
 * Opens `url` in the user's browser with the platform's opener (`open`, `xdg-open`, `start`).
 * Resolves false when no opener could be started; the caller has printed the URL anyway.
 *
 * @example
 * ```ts
 * if (!(await openInBrowser(url))) console.log('Open it by hand.');
 * ```
 */
export function openInBrowser(url: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
