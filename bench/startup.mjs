// Measured by `pnpm bench` in a fresh plain-Node process: import every package from its built
// dist/ (as an engine installing Splice would) and create a runtime.
const started = performance.now();
const { parseConnector } = await import('@splice/core');
const { createRuntime } = await import('@splice/endpoint-runtime');
const { oauth2AuthorizationCode } = await import('@splice/oauth2-authcode');
await import('@splice/store-sqlite');
await import('@splice/store-redis');
const strategies = [oauth2AuthorizationCode()];
const connector = parseConnector(
  {
    id: 'startup',
    name: 'Start-up',
    version: '1',
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        urls: { token: 'https://auth.example/token', authorise: 'https://auth.example/authorize' },
      },
    ],
    endpoints: [
      { id: 'e', name: 'E', method: 'GET', url: 'https://api.example/e', authMethods: ['oauth'] },
    ],
  },
  { strategies },
);
const runtime = createRuntime({ connectors: [connector], strategies });
const ms = performance.now() - started;
await runtime.close();
console.log(JSON.stringify({ ms }));
