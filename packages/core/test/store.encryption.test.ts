import { randomBytes } from 'node:crypto';
import {
  createStoreCodec,
  generateEncryptionKey,
  type Logger,
  MemoryStore,
  SpliceError,
} from '@splice/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const kWarned = Symbol.for('splice.store.unencryptedWarning');
const registry = globalThis as Record<symbol, unknown>;

const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;
const record = { client_secret: secret, access_token: `at-${secret}` };

function spyLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn(message) {
      warnings.push(message);
    },
    error() {},
  };
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('createStoreCodec', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('encrypts with AES-256-GCM: the stored text holds the key id and no clear value', () => {
    const codec = createStoreCodec({ keys: [{ id: 'k1', key: randomBytes(32) }] }, { store: 'T' });
    const text = codec.encode('credentials:i1', record);
    expect(codec.encrypts).toBe(true);
    expect(text.startsWith('enc1.k1.')).toBe(true);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('client_secret');
    expect(codec.decode('credentials:i1', text)).toEqual(record);
  });

  it('uses a fresh IV per record, so equal values encrypt differently', () => {
    const codec = createStoreCodec({ keys: [{ id: 'k1', key: randomBytes(32) }] }, { store: 'T' });
    const a = codec.encode('k', record);
    const b = codec.encode('k', record);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('accepts a key as base64 or base64url text', () => {
    const raw = randomBytes(32);
    const fromBase64 = createStoreCodec(
      { keys: [{ id: 'k', key: raw.toString('base64') }] },
      { store: 'T' },
    );
    const fromBase64url = createStoreCodec(
      { keys: [{ id: 'k', key: raw.toString('base64url') }] },
      { store: 'T' },
    );
    expect(fromBase64url.decode('x', fromBase64.encode('x', record))).toEqual(record);
    const generated = generateEncryptionKey();
    expect(Buffer.from(generated, 'base64')).toHaveLength(32);
  });

  it('rejects a key of the wrong length at construction with a coded TypeError that does not echo the key', () => {
    const short = randomBytes(16);
    for (const key of [short, short.toString('base64'), 'not base64 at all!', '']) {
      const error = caught(() => createStoreCodec({ keys: [{ id: 'k1', key }] }, { store: 'T' }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toContain('"k1"');
      expect((error as Error).message).toContain('32 bytes');
      expect((error as Error).message).not.toContain(short.toString('base64'));
    }
  });

  it('rejects bad and duplicate key ids', () => {
    const key = randomBytes(32);
    for (const keys of [
      [{ id: '', key }],
      [{ id: 'has.dot', key }],
      [
        { id: 'same', key },
        { id: 'same', key: randomBytes(32) },
      ],
    ]) {
      const error = caught(() => createStoreCodec({ keys }, { store: 'T' }));
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    }
  });

  it('reports a tampered record as DECRYPTION_FAILED naming the key id, never the data', () => {
    const codec = createStoreCodec({ keys: [{ id: 'k1', key: randomBytes(32) }] }, { store: 'T' });
    const parts = codec.encode('credentials:i1', record).split('.');
    const ciphertext = Buffer.from(parts[4]!, 'base64url');
    ciphertext[0]! ^= 1;
    parts[4] = ciphertext.toString('base64url');
    const error = caught(() => codec.decode('credentials:i1', parts.join('.')));
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('key id "k1"');
    expect((error as Error).message).toContain('credentials:i1');
    expect((error as Error).message).not.toContain(secret);
    expect((error as SpliceError).details).toEqual({ key: 'credentials:i1', keyId: 'k1' });
  });

  it('refuses a record copied onto another store key (the key is authenticated data)', () => {
    const codec = createStoreCodec({ keys: [{ id: 'k1', key: randomBytes(32) }] }, { store: 'T' });
    const text = codec.encode('credentials:victim', record);
    const error = caught(() => codec.decode('credentials:attacker', text));
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
  });

  it('reports an unknown key id as DECRYPTION_FAILED naming it', () => {
    const writer = createStoreCodec(
      { keys: [{ id: 'old', key: randomBytes(32) }] },
      { store: 'T' },
    );
    const reader = createStoreCodec(
      { keys: [{ id: 'new', key: randomBytes(32) }] },
      { store: 'T' },
    );
    const error = caught(() => reader.decode('k', writer.encode('k', record)));
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('"old"');
    expect((error as Error).message).toContain('"new"');
  });

  it('reports a key with the right id but the wrong bytes as DECRYPTION_FAILED', () => {
    const writer = createStoreCodec({ keys: [{ id: 'k', key: randomBytes(32) }] }, { store: 'T' });
    const reader = createStoreCodec({ keys: [{ id: 'k', key: randomBytes(32) }] }, { store: 'T' });
    const error = caught(() => reader.decode('k', writer.encode('k', record)));
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
  });

  it('rotates keys: old records decrypt, new writes use the first key', () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    const before = createStoreCodec({ keys: [oldKey] }, { store: 'T' });
    const after = createStoreCodec({ keys: [newKey, oldKey] }, { store: 'T' });
    const oldText = before.encode('k', record);
    expect(after.decode('k', oldText)).toEqual(record);
    const newText = after.encode('k', record);
    expect(newText.startsWith('enc1.new.')).toBe(true);
    // Once the old key is dropped, only records written again stay readable.
    const retired = createStoreCodec({ keys: [newKey] }, { store: 'T' });
    expect(retired.decode('k', newText)).toEqual(record);
    expect(
      SpliceError.is(
        caught(() => retired.decode('k', oldText)),
        'DECRYPTION_FAILED',
      ),
    ).toBe(true);
  });

  it('reads clear-text records written before encryption was enabled, unless encryption is required', () => {
    const key = { id: 'k', key: randomBytes(32) };
    const lenient = createStoreCodec({ keys: [key] }, { store: 'T' });
    expect(lenient.decode('k', JSON.stringify(record))).toEqual(record);
    const strict = createStoreCodec({ keys: [key], require: true }, { store: 'T' });
    const error = caught(() => strict.decode('k', JSON.stringify(record)));
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
    expect((error as Error).message).not.toContain(secret);
  });

  it('refuses to start with require: true and no key', () => {
    const error = caught(() => createStoreCodec({ require: true }, { store: 'SqliteStore' }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain('SqliteStore');
  });

  it('warns once per process without a key, through the logger when one is given', () => {
    delete registry[kWarned];
    const logger = spyLogger();
    createStoreCodec(undefined, { store: 'SqliteStore', logger });
    createStoreCodec({}, { store: 'RedisStore', logger });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('WITHOUT encryption');
  });

  it('warns through process.emitWarning without a logger', () => {
    delete registry[kWarned];
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    createStoreCodec(undefined, { store: 'SqliteStore' });
    createStoreCodec(undefined, { store: 'SqliteStore' });
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning.mock.calls[0]?.[1]).toMatchObject({ code: 'SPLICE_STORE_UNENCRYPTED' });
  });

  it('does not warn with encryption: false (acknowledged) or for stores with nothing at rest', () => {
    delete registry[kWarned];
    const logger = spyLogger();
    createStoreCodec(false, { store: 'SqliteStore', logger });
    createStoreCodec(undefined, { store: 'MemoryStore', logger, warnWhenPlain: false });
    expect(logger.warnings).toEqual([]);
    expect(createStoreCodec(false, { store: 'T', logger }).encrypts).toBe(false);
  });
});

describe('MemoryStore encryption', () => {
  it('round-trips values when keys are configured and rejects a bad key at construction', async () => {
    const store = new MemoryStore({ encryption: { keys: [{ id: 'k1', key: randomBytes(32) }] } });
    const v1 = await store.set('credentials:i1', record);
    expect(await store.get('credentials:i1')).toEqual({ value: record, version: v1 });
    expect(await store.take('credentials:i1')).toEqual(record);
    const error = caught(
      () => new MemoryStore({ encryption: { keys: [{ id: 'k', key: randomBytes(8) }] } }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
  });
});
