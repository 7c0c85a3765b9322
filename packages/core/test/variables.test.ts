import {
  missingRequired,
  resolveValues,
  SpliceError,
  secretKeys,
  type VariableDefinition,
  variableMissing,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

const v = (key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition => ({
  key,
  required: false,
  configurable: true,
  advanced: false,
  secret: false,
  locked: false,
  ...extra,
});

describe('resolveValues', () => {
  const definitions = [v('account'), v('status', { default: 'open' }), v('page', { default: '1' })];

  it('takes call input first, then saved values, then definition defaults', () => {
    expect(
      resolveValues(definitions, { status: 'closed' }, { status: 'all', account: 'a1', page: '3' }),
    ).toEqual({ status: 'closed', account: 'a1', page: '3' });
    expect(resolveValues(definitions, {}, { account: 'a1' })).toEqual({
      account: 'a1',
      status: 'open',
      page: '1',
    });
  });

  it('treats undefined as not set and the empty string as a value', () => {
    expect(resolveValues(definitions, { status: undefined, page: '' }, undefined)).toEqual({
      status: 'open',
      page: '',
    });
  });

  it('keeps undeclared keys and drops credential keys from every layer', () => {
    expect(
      resolveValues([], { extra: 'x', access_token: 't' }, { refresh_token: 'r', token_type: 'b' }),
    ).toEqual({ extra: 'x' });
  });

  it('resolves keys that are also Object.prototype names', () => {
    expect(
      resolveValues([v('constructor', { default: 'c' }), v('toString')], { toString: 's' }),
    ).toEqual({ constructor: 'c', toString: 's' });
  });

  it('refuses a layer that is not an object', () => {
    expect(() => resolveValues([], 'x' as never)).toThrow(TypeError);
    expect(() => resolveValues('x' as never)).toThrow(TypeError);
  });
});

describe('missingRequired', () => {
  const definitions = [
    v('client_id', { required: true }),
    v('client_secret', { required: true, secret: true }),
    v('scope'),
    v('account', { required: true, default: 'x' }),
  ];

  it('returns every missing required key, in definition order', () => {
    expect(missingRequired(definitions, {})).toEqual(['client_id', 'client_secret', 'account']);
    expect(missingRequired(definitions, { client_secret: 's', account: '' })).toEqual([
      'client_id',
      'account',
    ]);
    expect(missingRequired(definitions, resolveValues(definitions, { client_id: 'a' }))).toEqual([
      'client_secret',
    ]);
  });

  it('does not count prototype names as set', () => {
    expect(missingRequired([v('constructor', { required: true })], {})).toEqual(['constructor']);
  });
});

describe('variableMissing', () => {
  it('names every key in one VARIABLE_MISSING error', () => {
    const error = variableMissing(['client_id', 'client_secret'], 'auth method "oauth"', {
      connectorId: 'acme',
    });
    expect(SpliceError.is(error, 'VARIABLE_MISSING')).toBe(true);
    expect(error.message).toContain('"client_id", "client_secret"');
    expect(error.message).toContain('auth method "oauth"');
    expect(error.details).toEqual({ connectorId: 'acme', keys: ['client_id', 'client_secret'] });
  });
});

describe('secretKeys', () => {
  it('collects secret variables of every list plus the credential keys', () => {
    const keys = secretKeys([v('a', { secret: true }), v('b')], [v('c', { secret: true })]);
    expect([...keys].sort()).toEqual(
      ['a', 'c', 'access_token', 'refresh_token', 'token_type'].sort(),
    );
  });
});
