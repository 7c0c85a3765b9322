import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefinitionIssue, parseConnector, SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { loadConnector } from '../src/index.js';

const valid = () => ({
  id: 'acme',
  name: 'Acme',
  version: '1',
  authMethods: [{ id: 'key', name: 'Key', type: 'api-key' }],
  endpoints: [
    { id: 'e', name: 'E', method: 'GET', url: 'https://a.example/x', authMethods: ['key'] },
  ],
});

describe('loadConnector', () => {
  it('loads JSON and YAML files alike', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splice-runtime-'));
    const json = join(dir, 'acme.json');
    const yml = join(dir, 'acme.yml');
    await writeFile(json, JSON.stringify(valid()));
    // JSON is YAML's flow style; a comment makes it YAML-only.
    await writeFile(yml, `# Acme\n${JSON.stringify(valid(), null, 2)}\n`);
    const fromJson = await loadConnector(json);
    expect(fromJson).toEqual(parseConnector(valid()));
    expect(await loadConnector(yml)).toEqual(fromJson);
  });

  it('names the file and reports the first YAML syntax error with its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splice-runtime-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'id: acme\nid: again\nname: [unclosed\n');
    const error = await loadConnector(file).catch((e: unknown) => e);
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    const issues = (error as SpliceError).details['issues'] as DefinitionIssue[];
    // Two mistakes (a duplicate key on line 2, an unclosed list on line 3): the first is reported.
    expect(issues).toEqual([expect.objectContaining({ code: 'syntax', path: '', line: 2 })]);
    expect((error as SpliceError).message).toContain(file);
  });

  it('says a file Windows PowerShell wrote as UTF-16 is UTF-16, and reads one with CR line ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splice-runtime-'));
    const text = `# Acme\n${JSON.stringify(valid(), null, 2)}\n`;
    const utf16 = join(dir, 'utf16.yaml');
    await writeFile(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const error = await loadConnector(utf16).catch((e: unknown) => e);
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    expect((error as SpliceError).details['issues']).toEqual([
      expect.objectContaining({
        code: 'syntax',
        message: expect.stringMatching(/^is UTF-16 text .*: save the file as UTF-8/),
      }),
    ]);
    expect((error as SpliceError).message).toContain(utf16);
    const mac = join(dir, 'mac.yaml');
    await writeFile(mac, text.replace(/\n/g, '\r'));
    expect(await loadConnector(mac)).toEqual(parseConnector(valid()));
  });

  it('refuses other file extensions with a coded TypeError', async () => {
    await expect(loadConnector('acme.txt')).rejects.toMatchObject({
      name: 'TypeError',
      code: 'INVALID_ARGUMENT',
    });
  });

  it('passes file-system errors through', async () => {
    await expect(loadConnector(join(tmpdir(), 'no-such-dir', 'x.yaml'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
