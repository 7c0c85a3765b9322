import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../src/commands/progress.js';
import { envName, readVariables } from '../src/commands/readVariables.js';

const plain = (key: string) => ({ key, advanced: false });

function stream(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream: out, text: () => text };
}

describe('startProgress', () => {
  it('draws a spinner line on a terminal and clears it', async () => {
    const err = stream(true);
    const progress = startProgress({ stdout: new PassThrough(), stderr: err.stream }, 'Waiting');
    progress.update('Still waiting');
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err.text()).toContain('Waiting (0 s)');
    expect(err.text()).toContain('Still waiting');
    expect(err.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal', async () => {
    const err = stream(false);
    const progress = startProgress({ stdout: new PassThrough(), stderr: err.stream }, 'Waiting');
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(err.text()).toBe('');
  });
});

describe('readVariables', () => {
  const output = (stdin = '') => {
    const input = new PassThrough();
    input.end(stdin);
    return { stdout: new PassThrough(), stderr: new PassThrough(), stdin: input };
  };

  it('reads SPLICE_VAR_<KEY> for declared keys, then a file, then flags; later wins', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'splice-vars-')), 'vars.env');
    writeFileSync(file, '# comment\nclient_id=from-file\nscope=a b=c\n');
    const values = await readVariables(
      {
        variables: ['client_id', 'client_secret', 'scope', 'store.name'].map(plain),
        env: {
          SPLICE_VAR_CLIENT_ID: 'from-env',
          SPLICE_VAR_CLIENT_SECRET: 's3cret',
          SPLICE_VAR_STORE_NAME: 'north',
          SPLICE_VAR_UNDECLARED: 'x',
        },
        file,
        flags: { scope: 'from-flag' },
      },
      output(),
    );
    expect(values).toEqual({
      client_id: 'from-file',
      client_secret: 's3cret',
      scope: 'from-flag',
      'store.name': 'north',
    });
    expect(envName('store.name')).toBe('SPLICE_VAR_STORE_NAME');
  });

  it('reads a JSON object from stdin, and never shows a malformed line', async () => {
    expect(
      await readVariables(
        { variables: ['client_secret', 'n'].map(plain), file: '-' },
        output('{"client_secret":"abc","n":3}'),
      ),
    ).toEqual({ client_secret: 'abc', n: '3' });
    await expect(
      readVariables({ variables: [], file: '-' }, output('ok=1\nsupersecretvalue\n')),
    ).rejects.toThrow(/^--var-file standard input line 2 is not key=value$/);
    // Malformed JSON: where it broke, never the parser's quote of the text around it.
    const malformed = readVariables(
      { variables: [], file: '-' },
      output('{"client_secret": s3cr3t-value-9f}'),
    );
    await expect(malformed).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(malformed).rejects.toThrow(/^--var-file standard input is not valid JSON/);
    await malformed.catch((error: Error) => expect(error.message).not.toContain('s3cr3t'));
    await expect(
      readVariables({ variables: [], file: '/nonexistent/vars' }, output()),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '--var-file /nonexistent/vars cannot be read: no such file',
    });
  });

  it('says a UTF-16 --var-file (Windows PowerShell ">") is UTF-16 and to save it as UTF-8, never its values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'splice-vars-'));
    const text = 'client_id=abc\r\nclient_secret=s3cret-utf16-value\r\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [name, bytes] of [
      ['le-bom.env', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['le.env', le],
      ['be-bom.env', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const read = readVariables(
        { variables: ['client_id', 'client_secret'].map(plain), file },
        output(),
      );
      await expect(read).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: `--var-file ${file} is UTF-16 text (read as UTF-8, a NUL character comes between its letters), and a --var-file is read as UTF-8: save the file as UTF-8 (Windows PowerShell's ">" writes UTF-16; "| Out-File -Encoding utf8" writes UTF-8)`,
      });
      await read.catch((error: Error) => expect(error.message).not.toContain('s3cret'));
    }
  });

  it('warns of a SPLICE_VAR_ name near a key but not it, never showing its value', async () => {
    const out = output();
    let warned = '';
    out.stderr.on('data', (chunk: Buffer) => {
      warned += chunk.toString();
    });
    const values = await readVariables(
      {
        variables: ['client_id', 'client_secret', 'account'].map(plain),
        owner: 'auth method "acme-oauth"',
        env: {
          SPLICE_VAR_CLIENTID: 'id-value-41',
          SPLICE_VAR_client_secret: 'secret-value-42',
          SPLICE_VAR_ACCOUNT: 'north',
          // Another connector's: nothing near, no word.
          SPLICE_VAR_SHOPIFY_DOMAIN: 'shop',
          SPLICE_DB: 'splice.db',
        },
      },
      out,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(values).toEqual({ account: 'north' });
    expect(warned.split('\n').filter((line) => line !== '')).toEqual([
      '! SPLICE_VAR_CLIENTID is not read: auth method "acme-oauth" has no variable of that name; did you mean SPLICE_VAR_CLIENT_ID (client_id)?',
      '! SPLICE_VAR_client_secret is not read: auth method "acme-oauth" has no variable of that name; did you mean SPLICE_VAR_CLIENT_SECRET (client_secret)?',
    ]);
    expect(warned).not.toContain('value-4');
  });
});
