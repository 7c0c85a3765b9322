// `splice auth test` with every built-in connector against its provider profile: the definition
// file as shipped, re-pointed with --replace-url pairs of the profile, its sample variables and
// choices, headless. A connector added to CONNECTOR_NAMES is picked up here without an edit, and
// fails here by name when the testkit has no profile for it.
import { PassThrough } from 'node:stream';
import { runCli } from '@splice/cli';
import {
  freePort,
  type ProviderProfile,
  providerProfiles,
  startProviderProfile,
} from '@splice/testkit';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_NAMES, connectorDefinition, connectorFile } from '../src/index.js';

function profileOf(name: string): ProviderProfile {
  const profile = (providerProfiles as Readonly<Record<string, ProviderProfile>>)[name];
  if (profile === undefined) {
    throw new Error(`@splice/testkit has no provider profile "${name}" for the built-in connector`);
  }
  return profile;
}

interface Report {
  ok: boolean;
  method: string;
  steps: { id: string; status: string; summary: string }[];
}

describe('splice auth test with every built-in connector against its profile', () => {
  it('has a provider profile for every built-in connector', () => {
    const missing = CONNECTOR_NAMES.filter((name) => !Object.hasOwn(providerProfiles, name));
    expect(missing).toEqual([]);
  });

  it.each([...CONNECTOR_NAMES])(
    '%s: consent, exchange, post-authorization steps, call, forced refresh, call',
    async (name) => {
      const profile = profileOf(name);
      const port = await freePort();
      const sim = await startProviderProfile(profile as never, {
        redirectUris: [`http://127.0.0.1:${port}/callback`],
      });
      try {
        const definition = connectorDefinition(name);
        const method = definition.authMethods.find((m) => m.type === 'oauth2-authorization-code');
        expect(method, `${name} has an OAuth 2 authorization code method`).toBeDefined();
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let out = '';
        let err = '';
        stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        const code = await runCli(
          [
            'auth',
            'test',
            connectorFile(name),
            '-m',
            method!.id,
            '--headless',
            '--port',
            String(port),
            '--wait',
            '30',
            '--json',
            ...Object.entries(profile.replaceUrls(sim)).flatMap(([from, to]) => [
              '--replace-url',
              `${from}=${to}`,
            ]),
            ...Object.entries(profile.sampleVariables ?? {}).flatMap(([key, value]) => [
              '--var',
              `${key}=${value}`,
            ]),
            ...(profile.sampleChoices ?? []).flatMap((id) => ['--choose', id]),
          ],
          {
            output: { stdout, stderr, stdin: new PassThrough() },
            env: {
              SPLICE_VAR_CLIENT_ID: sim.clientId,
              SPLICE_VAR_CLIENT_SECRET: sim.clientSecret,
            },
          },
        );
        expect(out, `no report (exit ${code}): ${err}`).not.toBe('');
        const report = JSON.parse(out) as Report;
        expect(
          report.steps.map((s) => [s.id, s.status]),
          report.steps.map((s) => `${s.id}: ${s.summary}`).join('\n'),
        ).toEqual([
          ['consent', 'ok'],
          // A provider that sends no expiry (Salesforce): the test warns that it found none.
          ['exchange', sim.quirks.expiry === 'missing' ? 'warning' : 'ok'],
          ...((method!.postAuthorization ?? []).length > 0 ? [['post-authorization', 'ok']] : []),
          ['call', 'ok'],
          ['refresh', 'ok'],
          ['after-refresh', 'ok'],
        ]);
        expect([code, report.ok, report.method]).toEqual([0, true, method!.id]);
        if (sim.quirks.expiry === 'missing') {
          expect(out).toMatch(/response_expires_in_key = \\"expires_in\\": not in the response/);
          // A timestamp (Salesforce's issued_at, in ms) is never offered as the lifetime.
          expect(out).not.toMatch(/fields that could be it: [^)]*issued_at/);
        }
        // The simulator saw the consent's code exchanged, one refresh, and the API calls.
        expect(sim.counts.authorizationCode).toBe(1);
        expect(sim.counts.refreshToken).toBe(1);
        expect(sim.counts.api).toBeGreaterThanOrEqual(3);
        expect(`${out}${err}`).not.toContain(sim.clientSecret);
      } finally {
        await sim.close();
      }
    },
  );
});
