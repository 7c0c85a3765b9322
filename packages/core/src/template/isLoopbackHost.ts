const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * True for the hosts that may use `http:` (SPEC §3): `localhost`, 127.0.0.0/8 and `[::1]`.
 * Takes a WHATWG `URL.hostname`, which is already lower-cased and normalised (`127.1` reads as
 * `127.0.0.1`).
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:3000/').hostname); // true
 * isLoopbackHost('localhost.example'); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || LOOPBACK_V4.test(hostname);
}
