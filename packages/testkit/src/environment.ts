import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Whether an external service a test needs is here, and if not, why. */
export interface ServiceCheck {
  readonly available: boolean;
  /** Human-readable reason when not available, shown in the skipped test's title. */
  readonly reason: string;
}

function decide(name: string, available: boolean, missing: string): ServiceCheck {
  if (!available && process.env['CI'] === 'true') {
    // Under CI a missing service is a failure, never a silent skip.
    throw new Error(`${name} is required under CI=true but ${missing}`);
  }
  if (!available) console.warn(`[splice testkit] skipping ${name} tests: ${missing}`);
  return { available, reason: available ? '' : ` (skipped: ${missing})` };
}

/**
 * Checks that Redis answers PING on `host:port`. Outside CI a missing Redis skips the tests with a
 * visible reason; with `CI=true` it throws.
 *
 * @example
 * ```ts
 * const redis = await checkRedis();
 * describe.skipIf(!redis.available)(`RedisStore${redis.reason}`, () => { ... });
 * ```
 */
export async function checkRedis(host = '127.0.0.1', port = 6379): Promise<ServiceCheck> {
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    const done = (value: boolean): void => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
  return decide('Redis', ok, `no Redis answers on ${host}:${port}`);
}

/** Where Debian's Chromium lives; Splice never downloads a browser. */
export const CHROMIUM_PATH = process.env['SPLICE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Launch arguments for headless Chromium on a closed network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Checks that Chromium is installed at {@link CHROMIUM_PATH}. Outside CI a missing browser skips
 * the tests with a visible reason; with `CI=true` it throws.
 *
 * @example
 * ```ts
 * const chromium = checkChromium();
 * describe.skipIf(!chromium.available)(`dashboard${chromium.reason}`, () => { ... });
 * ```
 */
export function checkChromium(): ServiceCheck {
  return decide('Chromium', existsSync(CHROMIUM_PATH), `no Chromium at ${CHROMIUM_PATH}`);
}

/**
 * Checks that the `openssl` command runs (tests that make a throw-away TLS certificate need it).
 * Outside CI a missing openssl skips the tests with a visible reason; with `CI=true` it throws.
 *
 * @example
 * ```ts
 * const openssl = checkOpenssl();
 * describe.skipIf(!openssl.available)(`NetSuite hosts${openssl.reason}`, () => { ... });
 * ```
 */
export function checkOpenssl(): ServiceCheck {
  let ok = true;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    ok = false;
  }
  return decide('openssl', ok, 'the openssl command is not installed');
}
