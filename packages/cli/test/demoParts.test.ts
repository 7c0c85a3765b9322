import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConnectorDefinition } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { loadDemoState, resolveStateDir } from '../src/demo/demoState.js';
import { createFileAdapter } from '../src/demo/fileAdapter.js';
import { formatTable } from '../src/demo/formatTable.js';
import { pointConnectorAt } from '../src/demo/pointConnectorAt.js';

describe('createFileAdapter', () => {
  it('keeps records across adapter instances (a restarted provider) and revokes by grant', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'splice-adapter-')), 'data.json');
    const first = createFileAdapter(path);
    await first('RefreshToken').upsert('rt1', { grantId: 'g1', jti: 'rt1' }, 3600);
    await first('AccessToken').upsert('at1', { grantId: 'g1', jti: 'at1' }, 3600);
    await first('AccessToken').upsert('at2', { grantId: 'g2', jti: 'at2' }, 3600);
    await first('Session').upsert('s1', { uid: 'u1' });
    expect(statSync(path).mode & 0o077).toBe(0);

    const second = createFileAdapter(path);
    expect(await second('RefreshToken').find('rt1')).toEqual({ grantId: 'g1', jti: 'rt1' });
    expect(await second('Session').findByUid('u1')).toEqual({ uid: 'u1' });
    await second('RefreshToken').consume('rt1');
    expect((await second('RefreshToken').find('rt1'))?.consumed).toEqual(expect.any(Number));
    await second('Grant').revokeByGrantId('g1');
    expect(await second('RefreshToken').find('rt1')).toBeUndefined();
    expect(await second('AccessToken').find('at1')).toBeUndefined();
    expect(await second('AccessToken').find('at2')).toBeDefined();
    expect(second.destroyAll('AccessToken')).toBe(1);
    expect(await createFileAdapter(path)('AccessToken').find('at2')).toBeUndefined();
  });

  it('drops records whose lifetime is over', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'splice-adapter-')), 'data.json');
    const adapter = createFileAdapter(path);
    await adapter('AccessToken').upsert('gone', { jti: 'gone' }, -1);
    expect(await adapter('AccessToken').find('gone')).toBeUndefined();
  });
});

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
  });
});

describe('resolveStateDir', () => {
  it('prefers the flag, then SPLICE_HOME, then .splice', () => {
    expect(resolveStateDir('/a', { SPLICE_HOME: '/b' })).toBe('/a');
    expect(resolveStateDir(undefined, { SPLICE_HOME: '/b' })).toBe('/b');
    expect(resolveStateDir(undefined, {})).toBe(resolve('.splice'));
  });
});

describe('pointConnectorAt', () => {
  it('moves auth and endpoint URLs of a given origin, and nothing else', () => {
    const connector = {
      id: 'c',
      authMethods: [
        {
          id: 'm',
          urls: { token: 'https://auth.x.example/token', docs: 'https://auth.x.example.evil/t' },
        },
      ],
      endpoints: [{ id: 'e', url: 'https://api.x.example/{{account}}/e' }],
    } as unknown as ConnectorDefinition;
    const moved = pointConnectorAt(connector, {
      'https://auth.x.example': 'http://127.0.0.1:1',
      'https://api.x.example': 'http://127.0.0.1:2',
    });
    expect(moved.authMethods[0]?.urls).toEqual({
      token: 'http://127.0.0.1:1/token',
      docs: 'https://auth.x.example.evil/t',
    });
    expect(moved.endpoints[0]?.url).toBe('http://127.0.0.1:2/{{account}}/e');
    expect(connector.endpoints[0]?.url).toBe('https://api.x.example/{{account}}/e');
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
