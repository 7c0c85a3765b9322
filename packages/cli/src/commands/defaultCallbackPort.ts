/** The default callback port of `splice auth test`: register `http://127.0.0.1:8976/callback`. */
export const DEFAULT_CALLBACK_PORT = 8976;
/**
 * The default port of `splice simulate` on 127.0.0.1 (next to the callback's), so the
 * `--replace-url` pairs it prints stay the same from one run to the next.
 */
export const DEFAULT_SIMULATOR_PORT = 8977;
