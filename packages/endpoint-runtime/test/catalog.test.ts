import { type AuthStrategy, parseConnector, type VariableDefinition } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';

const locked = (key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition => ({
  key,
  required: false,
  configurable: false,
  advanced: false,
  secret: false,
  locked: true,
  ...extra,
});

// A strategy whose client secret is required, configurable and secret, as OAuth 2's is.
const strategy: AuthStrategy = {
  type: 'oauth-like',
  interactive: false,
  variables: [
    locked('client_id', { label: 'Client ID', required: true, configurable: true }),
    locked('client_secret', {
      label: 'Client secret',
      required: true,
      configurable: true,
      secret: true,
    }),
  ],
  apply: { headers: {}, query: {} },
  authenticate: async (ctx) => ({ values: {}, obtainedAt: ctx.now() }),
  getCredentials: async (ctx) => ({ values: {}, obtainedAt: ctx.now() }),
};

const definition = {
  id: 'acme',
  name: 'Acme',
  version: '1',
  authMethods: [
    {
      id: 'm',
      name: 'M',
      type: 'oauth-like',
      // Relabels the strategy's secret and says nothing of its flags.
      variables: [{ key: 'client_secret', label: 'App secret' }],
    },
  ],
  endpoints: [
    { id: 'e', name: 'E', method: 'GET', url: 'https://a.example/x', authMethods: ['m'] },
  ],
};

describe('the connector catalog', () => {
  it('gives a definition and its JSON copy the same runtime view (definitions are plain data)', () => {
    // Parsed without strategies (as loadConnector does), then stored and read back as JSON (as
    // an engine that keeps definitions in a database does).
    const parsed = parseConnector(definition);
    const copy = JSON.parse(JSON.stringify(parsed));
    const view = (connector: typeof parsed) =>
      createRuntime({ connectors: [connector], strategies: [strategy] }).listConnectors();
    expect(view(copy)).toEqual(view(parsed));
    const secret = view(copy)[0]!.authMethods[0]!.variables.find((v) => v.key === 'client_secret');
    // A settings form built from listConnectors() shows the relabelled field as required.
    expect(secret).toEqual(
      locked('client_secret', {
        label: 'App secret',
        required: true,
        configurable: true,
        secret: true,
      }),
    );
  });

  it('merges strategy defaults once: parsing with strategies returns the definition as written', () => {
    const parsed = parseConnector(definition, { strategies: [strategy] });
    expect(parsed.authMethods[0]!.variables).toEqual([
      { key: 'client_secret', label: 'App secret' },
    ]);
    const [resolved] = createRuntime({
      connectors: [parsed],
      strategies: [strategy],
    }).listConnectors();
    expect(resolved!.authMethods[0]!.variables.map((v) => v.key)).toEqual([
      'client_id',
      'client_secret',
    ]);
  });
});
