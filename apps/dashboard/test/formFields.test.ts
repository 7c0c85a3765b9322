import { parseConnector } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { describe, expect, it } from 'vitest';
import { formFields } from '../src/form/formFields.js';

const CALLBACK = 'http://127.0.0.1:4100/oauth/callback';

// As the dashboard gets it: from the runtime, with the strategy's default variables merged in.
function connector() {
  const strategies = [oauth2AuthorizationCode()];
  const parsed = parseConnector(
    {
      id: 'shop',
      name: 'Shop',
      version: '1',
      variables: [
        { key: 'store', label: 'Store', required: true },
        { key: 'region', default: 'eu', configurable: true, advanced: true },
        { key: 'api_version', default: '2024-01' },
      ],
      authMethods: [
        {
          id: 'shop-oauth',
          name: 'Shop OAuth',
          type: 'oauth2-authorization-code',
          variables: [
            { key: 'client_id', label: 'App ID' },
            { key: 'scope', default: 'orders' },
            { key: 'tenant', label: 'Tenant', required: true, alias: 'tenant_id' },
          ],
          urls: { authorise: 'https://auth.shop.example/a', token: 'https://auth.shop.example/t' },
        },
      ],
      endpoints: [
        {
          id: 'orders',
          name: 'Orders',
          method: 'GET',
          url: 'https://api.shop.example/{{store}}/orders',
          authMethods: ['shop-oauth'],
        },
      ],
    },
    { strategies },
  );
  return createRuntime({ connectors: [parsed], strategies });
}

describe('formFields', () => {
  const runtime = connector();
  const shop = runtime.listConnectors()[0]!;
  const method = shop.authMethods[0]!;
  const fields = formFields(shop, method, CALLBACK, runtime.requiredVariables(shop.id, method.id));
  const field = (key: string) => fields.find((f) => f.key === key);

  it('lists connector variables first, then the auth variables with the strategy defaults merged in', () => {
    expect(fields[0]?.key).toBe('store');
    expect(fields[0]?.level).toBe('connector');
    expect(field('client_id')).toMatchObject({
      level: 'auth',
      label: 'App ID',
      required: true,
      locked: true,
    });
    expect(field('tenant')).toMatchObject({ required: true, alias: 'tenant_id', locked: false });
  });

  it('never asks for a default parameter (neither required, configurable nor advanced)', () => {
    expect(field('api_version')).toBeUndefined();
  });

  it('marks secrets and never pre-fills them', () => {
    expect(field('client_secret')).toMatchObject({ secret: true, value: '', required: true });
  });

  it('pre-fills defaults and the dashboard callback URL, and folds advanced ones away', () => {
    expect(field('scope')?.value).toBe('orders');
    expect(field('region')).toMatchObject({ value: 'eu', advanced: true, editable: true });
    expect(field('callback_url')).toMatchObject({
      value: CALLBACK,
      advanced: true,
      editable: false,
      submitted: true,
    });
    expect(field('state_length')).toMatchObject({ value: '32', editable: false, submitted: false });
  });

  it("marks required what the strategy's rule requires: no client secret for a public client", () => {
    const required = runtime.requiredVariables(shop.id, method.id, {
      token_endpoint_auth_method: 'none',
    });
    const publicFields = formFields(shop, method, CALLBACK, required);
    const secret = publicFields.find((f) => f.key === 'client_secret');
    expect(secret).toMatchObject({ required: false, secret: true });
    expect(publicFields.find((f) => f.key === 'client_id')?.required).toBe(true);
  });
});
