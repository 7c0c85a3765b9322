import { mergeVariables, parseConnector, type VariableDefinition } from '@splice/core';
import { describe, expect, it } from 'vitest';

const locked = (key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition => ({
  key,
  required: false,
  configurable: true,
  advanced: false,
  secret: false,
  locked: true,
  ...extra,
});

describe('mergeVariables', () => {
  const defaults = [
    locked('client_id', { label: 'Client ID', required: true }),
    locked('client_secret', { required: true, secret: true }),
    locked('scope', { default: '' }),
  ];

  it('keeps every default, in order, even when the definition lists none', () => {
    expect(mergeVariables(defaults, [])).toEqual(defaults);
  });

  it('lets an override change label, alias, default and flags but keeps it locked', () => {
    const [first] = mergeVariables(defaults, [
      {
        key: 'client_id',
        label: 'App ID',
        alias: 'appId',
        default: 'x',
        required: false,
        advanced: true,
        locked: false,
      },
    ]);
    expect(first).toEqual({
      key: 'client_id',
      label: 'App ID',
      alias: 'appId',
      default: 'x',
      required: false,
      configurable: true,
      advanced: true,
      secret: false,
      locked: true,
    });
  });

  it('leaves the fields an override does not set as the default has them', () => {
    const [first] = mergeVariables(defaults, [{ key: 'client_id', label: 'App' }]);
    expect(first).toMatchObject({ label: 'App', required: true, configurable: true });
  });

  it('keeps a secret default secret and lets an override make another one secret', () => {
    const merged = mergeVariables(defaults, [
      { key: 'client_secret', secret: false },
      { key: 'scope', secret: true },
    ]);
    expect(merged.map((v) => v.secret)).toEqual([false, true, true]);
  });

  it('appends extras after the defaults with unset flags false', () => {
    const merged = mergeVariables(defaults, [{ key: 'tenant', required: true }, { key: 'scope' }]);
    expect(merged.map((v) => v.key)).toEqual(['client_id', 'client_secret', 'scope', 'tenant']);
    expect(merged[3]).toEqual({
      key: 'tenant',
      required: true,
      configurable: false,
      advanced: false,
      secret: false,
      locked: false,
    });
  });

  it('uses the first of two overrides with the same key', () => {
    const merged = mergeVariables(
      [],
      [
        { key: 'a', label: '1' },
        { key: 'a', label: '2' },
      ],
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.label).toBe('1');
  });
});

describe('mergeVariables after parseConnector', () => {
  const strategyDefaults = [
    locked('client_id', { label: 'Client ID', required: true }),
    locked('scope', { default: 'openid', configurable: true }),
  ];
  const parsed = () =>
    parseConnector({
      id: 'c',
      name: 'C',
      version: '1',
      authMethods: [
        {
          id: 'm',
          name: 'M',
          type: 'x',
          variables: [
            { key: 'client_id', label: 'App ID' },
            { key: 'scope', required: false },
            { key: 'tenant' },
          ],
        },
      ],
      endpoints: [{ id: 'e', name: 'E', method: 'GET', url: 'https://a.example/' }],
    }).authMethods[0]!.variables;

  it('overrides only the fields the definition wrote', () => {
    const merged = mergeVariables(strategyDefaults, parsed());
    expect(merged[0]).toMatchObject({ key: 'client_id', label: 'App ID', required: true });
    expect(merged[1]).toMatchObject({ key: 'scope', default: 'openid', configurable: true });
    expect(merged[2]).toMatchObject({ key: 'tenant', locked: false });
  });

  it('is idempotent: merging a merged list changes nothing', () => {
    const once = mergeVariables(strategyDefaults, parsed());
    expect(mergeVariables(strategyDefaults, once)).toEqual(once);
  });

  it('keeps parsed variables plain data: a JSON copy merges exactly the same', () => {
    const variables = parsed();
    const copy = JSON.parse(JSON.stringify(variables));
    expect(copy).toEqual(variables);
    expect(Object.keys(variables[0]!)).toEqual(['key', 'label']);
    expect(mergeVariables(strategyDefaults, copy)).toEqual(
      mergeVariables(strategyDefaults, variables),
    );
    expect(mergeVariables(strategyDefaults, copy)[0]).toMatchObject({ required: true });
  });
});
