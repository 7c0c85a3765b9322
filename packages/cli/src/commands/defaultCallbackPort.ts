/** The default callback port of `splice auth test`: register `http://127.0.0.1:8976/callback`. */
export const DEFAULT_CALLBACK_PORT = 8976;
