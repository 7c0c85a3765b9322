/**
 * Which Splice error a failed exchange becomes, and how messages name it.
 *
 * @example
 * ```ts
 * const exchange: Exchange = { failure: 'TOKEN_REQUEST_FAILED',
 *   subject: 'Token request to https://auth.example/token', maxBytes: 1 << 20 };
 * ```
 */
export interface Exchange {
  /** The code of network failures and of answers over `maxBytes`. Timeouts are `TIMEOUT`. */
  readonly failure: 'ENDPOINT_REQUEST_FAILED' | 'TOKEN_REQUEST_FAILED';
  /** Names the request in messages: `The endpoint request`, `Token request to https://…`. */
  readonly subject: string;
  /** Largest body read, in bytes; a bigger answer is refused unread. */
  readonly maxBytes: number;
  /** What the reader of a too-large error can change, e.g. `Raise "maxResponseBytes" ...`. */
  readonly tooLargeHint?: string;
  /** Secret-free ids added to every error's details (connector, method, instance...). */
  readonly details?: Readonly<Record<string, string>>;
}
