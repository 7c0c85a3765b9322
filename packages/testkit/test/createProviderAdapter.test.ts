import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProviderAdapter } from '../src/authorizationServer/createProviderAdapter.js';

function dataFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'splice-adapter-')), 'data.json');
}

describe('createProviderAdapter', () => {
  it('keeps records across adapter instances (a restarted provider) and revokes by grant', async () => {
    const path = dataFile();
    const first = createProviderAdapter(path);
    await first('RefreshToken').upsert('rt1', { grantId: 'g1', jti: 'rt1' }, 3600);
    await first('AccessToken').upsert('at1', { grantId: 'g1', jti: 'at1' }, 3600);
    await first('AccessToken').upsert('at2', { grantId: 'g2', jti: 'at2' }, 3600);
    await first('Session').upsert('s1', { uid: 'u1' });
    expect(statSync(path).mode & 0o077).toBe(0);

    const second = createProviderAdapter(path);
    expect(await second('RefreshToken').find('rt1')).toEqual({ grantId: 'g1', jti: 'rt1' });
    expect(await second('Session').findByUid('u1')).toEqual({ uid: 'u1' });
    await second('RefreshToken').consume('rt1');
    expect((await second('RefreshToken').find('rt1'))?.consumed).toEqual(expect.any(Number));
    await second('Grant').revokeByGrantId('g1');
    expect(await second('RefreshToken').find('rt1')).toBeUndefined();
    expect(await second('AccessToken').find('at1')).toBeUndefined();
    expect(await second('AccessToken').find('at2')).toBeDefined();
    expect(second.destroyAll('AccessToken')).toBe(1);
    expect(await createProviderAdapter(path)('AccessToken').find('at2')).toBeUndefined();
  });

  it('drops records whose lifetime is over', async () => {
    const adapter = createProviderAdapter(dataFile());
    await adapter('AccessToken').upsert('gone', { jti: 'gone' }, -1);
    expect(await adapter('AccessToken').find('gone')).toBeUndefined();
  });

  it('without a file, keeps records in memory only', async () => {
    const adapter = createProviderAdapter();
    await adapter('AccessToken').upsert('at1', { jti: 'at1' }, 3600);
    expect(await adapter('AccessToken').find('at1')).toEqual({ jti: 'at1' });
    expect(await createProviderAdapter()('AccessToken').find('at1')).toBeUndefined();
  });
});
