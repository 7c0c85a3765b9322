import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ConnectorDefinition,
  invalidArgument,
  type ParseConnectorOptions,
  parseConnector,
  parseConnectorText,
  replaceUrlPrefixes,
} from '@splice/core';

/** The built-in connectors, one YAML file each under `definitions/`. */
export const CONNECTOR_NAMES = [
  'salesforce',
  'quickbooks',
  'xero',
  'github',
  'slack',
  'zoho',
  'jira',
  'google-drive',
  'microsoft-graph',
  'netsuite',
  'shopify',
  'hubspot',
] as const;

/** The name of a built-in connector. */
export type ConnectorName = (typeof CONNECTOR_NAMES)[number];

/** Options of {@link loadBuiltInConnector}. */
export interface LoadBuiltInConnectorOptions extends ParseConnectorOptions {
  /**
   * URL prefixes to replace, `{ 'https://login.salesforce.com': 'http://127.0.0.1:4000' }`: every
   * URL of the definition (authorise/token URLs, endpoint URLs, post-authorization step URLs,
   * captured values' `origins`) equal to a key, or beginning with the key and `/` or `?`, begins
   * with its value instead (`@splice/core`'s `replaceUrlPrefixes`, the rule `splice auth test
   * --replace-url` uses too; the longest key wins). Meant for
   * tests against a provider profile of the testkit's simulator, and for a provider's sandbox
   * host; the result is validated again with `strategies`, so an `http:` URL is only accepted
   * where the strategy accepts it (loopback).
   */
  readonly replaceUrls?: Readonly<Record<string, string>>;
}

/**
 * The path of a built-in connector's YAML file, for `splice validate`, `splice auth test` or an
 * engine that loads files itself. Throws `INVALID_ARGUMENT` for a name not in
 * {@link CONNECTOR_NAMES}.
 *
 * @example
 * ```ts
 * connectorFile('salesforce'); // …/node_modules/@splice/connectors/definitions/salesforce.yaml
 * ```
 */
export function connectorFile(name: string): string {
  if (!(CONNECTOR_NAMES as readonly string[]).includes(name)) {
    throw invalidArgument(
      `"name" must be a built-in connector (${CONNECTOR_NAMES.join(', ')}), got "${String(name)}"`,
    );
  }
  return fileURLToPath(new URL(`../definitions/${name}.yaml`, import.meta.url));
}

/**
 * A built-in connector's definition, parsed and validated against the schema only (plain data).
 * Throws `INVALID_ARGUMENT` for an unknown name.
 *
 * @example
 * ```ts
 * connectorDefinition('salesforce').endpoints.map((e) => e.id);
 * ```
 */
export function connectorDefinition(name: string): ConnectorDefinition {
  return loadBuiltInConnector(name);
}

/**
 * A built-in connector's definition, validated with the engine's `strategies` (as the runtime
 * will), optionally with URL prefixes replaced (see {@link LoadBuiltInConnectorOptions}). Throws
 * `INVALID_ARGUMENT` for an unknown name, `CONNECTOR_INVALID` when a replacement makes it invalid.
 *
 * @example
 * ```ts
 * const salesforce = loadBuiltInConnector('salesforce', { strategies: [oauth2AuthorizationCode()] });
 * ```
 */
export function loadBuiltInConnector(
  name: string,
  options: LoadBuiltInConnectorOptions = {},
): ConnectorDefinition {
  const path = connectorFile(name);
  const { replaceUrls, ...parseOptions } = options;
  const text = readFileSync(path, 'utf8');
  if (replaceUrls === undefined || Object.keys(replaceUrls).length === 0) {
    return parseConnectorText(text, 'yaml', { source: path, ...parseOptions });
  }
  const written = parseConnectorText(text, 'yaml', { source: path });
  return parseConnector(replaceUrlPrefixes(written, replaceUrls), {
    source: path,
    ...parseOptions,
  });
}
