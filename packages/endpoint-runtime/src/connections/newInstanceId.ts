import { randomUUID } from 'node:crypto';

/**
 * A new instance id: a random UUID (RFC 9562 §5.4, version 4), 36 characters, as one flat
 * string. Node's `randomUUID()` builds its text from 20 pieces joined with `+`, which V8 keeps as
 * a rope of cons strings (~480 bytes instead of ~56) until something flattens it, and flattening
 * leaves a wrapper behind; an id lives as long as its instance (the engine's copy, map keys), so
 * it is copied into one string here, once.
 *
 * @example
 * ```ts
 * newInstanceId(); // "9b2d6f1e-3c4a-4e8b-9f10-2a7c5d8e1b3f"
 * ```
 */
export function newInstanceId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
