import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConnector } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import { describe, expect, it } from 'vitest';
import { loadDemoState, resolveStateDir } from '../src/demoState.js';
import { formatTable } from '../src/formatTable.js';
import { DEFAULT_CONNECTOR_PATH } from '../src/runDemo.js';

describe('loadDemoState', () => {
  it('creates secrets once, mode 0600, and reads the same ones back', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'splice-state-')), 'nested');
    const created = loadDemoState(dir);
    expect(created.created).toBe(true);
    expect(statSync(join(dir, 'demo.json')).mode & 0o077).toBe(0);
    expect(created.state.authorizationServer.jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
    });
    const again = loadDemoState(dir);
    expect(again.created).toBe(false);
    expect(again.state).toEqual(created.state);
    expect(created.state.basic.password).not.toBe('');
    expect(created.state.ledger.consumer.secret).not.toBe(created.state.ledger.issuedToken.secret);
  });

  it('gives a state file of an earlier demo the secrets it lacks, and keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splice-state-'));
    const { state } = loadDemoState(dir);
    const { basic: _basic, ledger: _ledger, ...older } = state;
    writeFileSync(join(dir, 'demo.json'), JSON.stringify(older));
    const upgraded = loadDemoState(dir).state;
    expect(upgraded).toMatchObject(older);
    expect(upgraded.basic.password.length).toBeGreaterThan(10);
    expect(loadDemoState(dir).state).toEqual(upgraded);
  });
});

describe('resolveStateDir', () => {
  it('prefers the flag, then SPLICE_HOME, then .splice', () => {
    expect(resolveStateDir('/a', { SPLICE_HOME: '/b' })).toBe('/a');
    expect(resolveStateDir(undefined, { SPLICE_HOME: '/b' })).toBe('/b');
    expect(resolveStateDir(undefined, {})).toBe(resolve('.splice'));
  });
});

describe('formatTable', () => {
  it('pads every column to its widest cell', () => {
    expect(
      formatTable([
        ['A', 'Bb'],
        ['ccc', 'd'],
      ]).split('\n'),
    ).toEqual(['┌─────┬────┐', '│ A   │ Bb │', '├─────┼────┤', '│ ccc │ d  │', '└─────┴────┘']);
  });
});

describe('the Acme connector', () => {
  it('is valid with every built-in strategy and gates its endpoints across the six methods', async () => {
    const acme = await loadConnector(DEFAULT_CONNECTOR_PATH, {
      strategies: builtInStrategies(),
    });
    expect(acme.authMethods.map((m) => `${m.id} (${m.type})`)).toEqual([
      'acme-oauth (oauth2-authorization-code)',
      'acme-token (token)',
      'acme-basic (basic)',
      'acme-service (oauth2-client-credentials)',
      'acme-ledger-oauth1 (oauth1)',
      'acme-ledger-tba (oauth1-pre-issued)',
    ]);
    const enabled = (method: string): string[] =>
      acme.endpoints.filter((e) => e.authMethods.includes(method)).map((e) => e.id);
    expect(enabled('acme-oauth')).toEqual([
      'list-products',
      'get-product',
      'list-customers',
      'create-customer',
    ]);
    expect(enabled('acme-token')).toEqual(['list-products', 'get-product', 'list-orders']);
    expect(enabled('acme-basic')).toEqual(['list-products', 'get-product']);
    expect(enabled('acme-service')).toEqual(['list-products', 'list-customers']);
    expect(enabled('acme-ledger-oauth1')).toEqual(['list-invoices']);
    expect(enabled('acme-ledger-tba')).toEqual(['list-invoices']);
  });
});
