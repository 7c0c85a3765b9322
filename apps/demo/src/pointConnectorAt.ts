import type { ConnectorDefinition } from '@splice/core';

/**
 * Returns a copy of `connector` whose auth and endpoint URLs starting with one of `origins`' keys
 * start with its value instead. The demo uses it to aim Acme's public origins at its loopback
 * servers, whose ports change on every run; the definition file stays a real-looking connector
 * that `splice validate` accepts as it is.
 *
 * @example
 * ```ts
 * pointConnectorAt(acme, { 'https://api.acme.example': 'http://127.0.0.1:41234' });
 * ```
 */
export function pointConnectorAt(
  connector: ConnectorDefinition,
  origins: Readonly<Record<string, string>>,
): ConnectorDefinition {
  const move = (url: string): string => {
    for (const [from, to] of Object.entries(origins)) {
      if (url === from || url.startsWith(`${from}/`)) return `${to}${url.slice(from.length)}`;
    }
    return url;
  };
  return {
    ...connector,
    authMethods: connector.authMethods.map((method) => ({
      ...method,
      urls: Object.fromEntries(Object.entries(method.urls).map(([name, url]) => [name, move(url)])),
      ...(method.documentationUrl === undefined
        ? {}
        : { documentationUrl: method.documentationUrl }),
    })),
    endpoints: connector.endpoints.map((endpoint) => ({ ...endpoint, url: move(endpoint.url) })),
  };
}
