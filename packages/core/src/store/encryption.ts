import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { JsonValue } from '../definition/types.js';
import { invalidArgument } from '../errors/invalidArgument.js';
import { jsonText } from '../errors/jsonText.js';
import { SpliceError } from '../errors/SpliceError.js';
import type { Logger } from '../logger.js';

/**
 * One AES-256-GCM key with the id written next to every record it encrypts.
 *
 * @example
 * ```ts
 * const key: StoreEncryptionKey = { id: '2026-11', key: process.env.SPLICE_STORE_KEY! };
 * ```
 */
export interface StoreEncryptionKey {
  /** Short, stable name of the key (`[A-Za-z0-9_-]{1,64}`), stored in clear with each record. */
  readonly id: string;
  /** 32 random bytes: a `Uint8Array`/`Buffer`, or their base64 / base64url text. */
  readonly key: Uint8Array | string;
}

/**
 * Encryption at rest of a store (SPEC §6), the `encryption` option of every Splice store.
 *
 * @example
 * ```ts
 * // Rotation: the new key encrypts, the old one still decrypts records not yet rewritten.
 * const encryption: StoreEncryptionOptions = { keys: [newKey, oldKey], require: true };
 * ```
 */
export interface StoreEncryptionOptions {
  /**
   * Keys, newest first: the first encrypts every write, all of them decrypt. To rotate, put the new
   * key first and keep the old ones until every record has been written again.
   */
  readonly keys?: readonly StoreEncryptionKey[];
  /**
   * Refuse to run without a key (construction throws) and refuse to read records that are not
   * encrypted. Use it in production so a missing key is a start-up failure, not a silent downgrade.
   */
  readonly require?: boolean;
}

/**
 * How a store turns values into stored text and back; see {@link createStoreCodec}.
 *
 * @example
 * ```ts
 * await db.write(key, codec.encode(key, value));
 * const value = codec.decode(key, await db.read(key));
 * ```
 */
export interface StoreCodec {
  /** True when values are encrypted at rest. */
  readonly encrypts: boolean;
  /** Serializes `value` (and encrypts it with the first key) for storage under `recordKey`. */
  encode(recordKey: string, value: JsonValue): string;
  /**
   * Turns stored text back into a value. Throws `DECRYPTION_FAILED` for a tampered record, a key id
   * that is not configured, or a clear-text record when encryption is required.
   */
  decode<T extends JsonValue = JsonValue>(recordKey: string, stored: string): T;
}

/**
 * Options of {@link createStoreCodec} beyond the user's encryption settings.
 *
 * @example
 * ```ts
 * const context: StoreCodecContext = { store: 'MyStore', logger };
 * ```
 */
export interface StoreCodecContext {
  /** Store name for messages, e.g. `"SqliteStore"`. */
  readonly store: string;
  /** Where the no-encryption warning goes; `process.emitWarning` when absent. */
  readonly logger?: Logger;
  /**
   * Whether running without a key deserves the once-per-process warning. Stores that keep
   * nothing at rest (memory) pass `false`.
   */
  readonly warnWhenPlain?: boolean;
}

// Records look like `enc1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), in the spirit of JWE
// compact serialization. JSON text never starts with "enc1.", so clear and encrypted records can
// live side by side while a deployment migrates to encryption.
const FORMAT = 'enc1';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs, random per record
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

// Shared through the global registry so two copies of @splice/core still warn once per process.
const kWarned = Symbol.for('splice.store.unencryptedWarning');

interface ResolvedKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Builds the codec every Splice store uses to serialize values: JSON, encrypted with AES-256-GCM
 * when keys are configured. Each record gets a random 12-byte IV and a 16-byte auth tag, and its
 * store key is bound as additional authenticated data, so a ciphertext copied to another key (say,
 * one instance's credentials onto another's) fails to decrypt. Without keys the store warns once
 * per process, or refuses to start with `require: true`.
 *
 * @example
 * ```ts
 * const codec = createStoreCodec(
 *   { keys: [{ id: '2026-11', key: process.env.SPLICE_STORE_KEY! }] },
 *   { store: 'SqliteStore' },
 * );
 * const text = codec.encode('credentials:i1', { access_token: 'at' }); // "enc1.2026-11.…"
 * codec.decode('credentials:i1', text); // { access_token: 'at' }
 * ```
 */
export function createStoreCodec(
  encryption: StoreEncryptionOptions | false | undefined,
  context: StoreCodecContext,
): StoreCodec {
  if (encryption !== undefined && encryption !== false && typeof encryption !== 'object') {
    throw invalidArgument(
      `${context.store} option "encryption" must be an object like { keys: [{ id, key }] } or false, got ${typeof encryption}`,
      'INVALID_OPTION',
    );
  }
  const options = encryption === false || encryption === undefined ? {} : encryption;
  const keys = resolveKeys(options.keys, context.store);
  const required = options.require === true;
  if (required && keys.length === 0) {
    throw invalidArgument(
      `${context.store} option "encryption.require" is true but "encryption.keys" is empty: configure at least one 32-byte key (e.g. from generateEncryptionKey()) or drop "require"`,
      'INVALID_OPTION',
    );
  }
  if (keys.length === 0 && encryption !== false && context.warnWhenPlain !== false) {
    warnOnce(context);
  }
  const byId = new Map(keys.map((k) => [k.id, k]));
  const primary = keys[0];

  return {
    encrypts: primary !== undefined,
    encode(recordKey, value) {
      const json = jsonText(value, `the value for store key "${describeKey(recordKey)}"`);
      if (primary === undefined) return json;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', primary.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(recordKey));
      const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, primary.id, b64(iv), b64(tag), b64(ciphertext)].join('.');
    },
    decode<T extends JsonValue = JsonValue>(recordKey: string, stored: string): T {
      if (!stored.startsWith(`${FORMAT}.`)) {
        if (required) {
          throw new SpliceError(
            'DECRYPTION_FAILED',
            `${context.store}: the record under "${describeKey(recordKey)}" is stored in clear text but "encryption.require" is true. Write it again to encrypt it, or remove it.`,
            { details: { key: describeKey(recordKey) } },
          );
        }
        return JSON.parse(stored) as T;
      }
      const parts = stored.split('.');
      const keyId = parts[1] ?? '';
      const failed = (why: string): SpliceError =>
        new SpliceError(
          'DECRYPTION_FAILED',
          `${context.store}: the record under "${describeKey(recordKey)}" could not be decrypted with key id "${keyId}": ${why}`,
          { details: { key: describeKey(recordKey), keyId } },
        );
      if (parts.length !== 5) throw failed('the record is not in the "enc1" format.');
      const key = byId.get(keyId);
      if (key === undefined) {
        const known = keys.map((k) => `"${k.id}"`).join(', ');
        throw failed(
          keys.length === 0
            ? 'no encryption keys are configured. Pass the key with that id in "encryption.keys".'
            : `that key id is not configured (configured: ${known}). Add the key with that id to "encryption.keys".`,
        );
      }
      const iv = Buffer.from(parts[2] ?? '', 'base64url');
      const tag = Buffer.from(parts[3] ?? '', 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw failed('the IV or auth tag has the wrong length; the record was altered.');
      }
      let json: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(aad(recordKey));
        decipher.setAuthTag(tag);
        json = Buffer.concat([
          decipher.update(Buffer.from(parts[4] ?? '', 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        // The crypto error says nothing useful and nothing secret; the cause is dropped on purpose.
        throw failed(
          'authentication failed: the record was altered, moved from another key, or that id names a different key than the one that encrypted it.',
        );
      }
      return JSON.parse(json) as T;
    },
  };
}

function resolveKeys(
  keys: readonly StoreEncryptionKey[] | undefined,
  store: string,
): ResolvedKey[] {
  if (keys === undefined) return [];
  if (!Array.isArray(keys)) {
    throw invalidArgument(
      `${store} option "encryption.keys" must be an array of { id, key }, got ${typeof keys}`,
      'INVALID_OPTION',
    );
  }
  const seen = new Set<string>();
  return keys.map((entry: StoreEncryptionKey, index) => {
    const where = `${store} option "encryption.keys[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      throw invalidArgument(`${where}" must be an object { id, key }`, 'INVALID_OPTION');
    }
    if (typeof entry.id !== 'string' || !KEY_ID.test(entry.id)) {
      throw invalidArgument(
        `${where}.id" must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"`,
        'INVALID_OPTION',
      );
    }
    if (seen.has(entry.id)) {
      throw invalidArgument(
        `${where}.id" "${entry.id}" is used twice: key ids must be unique`,
        'INVALID_OPTION',
      );
    }
    seen.add(entry.id);
    const key = decodeKey(entry.key);
    // The message names the id and the length only: never the key material.
    if (key === undefined || key.length !== 32) {
      throw invalidArgument(
        `${where}.key" (id "${entry.id}") must be 32 bytes for AES-256-GCM, as a Buffer/Uint8Array or base64 text, got ${key === undefined ? 'text that is not base64' : `${key.length} bytes`}. Make one with generateEncryptionKey().`,
        'INVALID_OPTION',
      );
    }
    return { id: entry.id, key };
  });
}

function decodeKey(key: unknown): Buffer | undefined {
  if (key instanceof Uint8Array) return Buffer.from(key);
  if (typeof key !== 'string') return Buffer.alloc(0);
  const text = key.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function warnOnce(context: StoreCodecContext): void {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[kWarned] === true) return;
  registry[kWarned] = true;
  const message = `${context.store} runs WITHOUT encryption at rest: client secrets, tokens and pending authorizations are stored in clear text. Configure "encryption: { keys: [{ id, key }] }" (32-byte key, see generateEncryptionKey()), or pass "encryption: false" to acknowledge clear-text storage.`;
  if (context.logger !== undefined) context.logger.warn(message, { store: context.store });
  else process.emitWarning(message, { code: 'SPLICE_STORE_UNENCRYPTED' });
}

function aad(recordKey: string): Buffer {
  return Buffer.from(`splice-store:${recordKey}`, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * A store key as it may appear in a message: the state in `pending:<state>` is a one-time
 * secret-ish value, so only its first characters are shown.
 */
function describeKey(recordKey: string): string {
  return recordKey.startsWith('pending:') ? `${recordKey.slice(0, 12)}…` : recordKey;
}
