import { github } from './github.js';
import { googleDrive } from './googleDrive.js';
import { hubspot } from './hubspot.js';
import { jira } from './jira.js';
import { microsoftGraph } from './microsoftGraph.js';
import { netsuite } from './netsuite.js';
import type { ProviderProfile } from './ProviderProfile.js';
import { quickbooks } from './quickbooks.js';
import { salesforce } from './salesforce.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { xero } from './xero.js';
import { zoho } from './zoho.js';

export { type ProviderProfile, startProviderProfile } from './ProviderProfile.js';

/** The simulator profiles of the built-in connectors of `@splice/connectors`, by name. */
export const providerProfiles = {
  salesforce,
  quickbooks,
  xero,
  github,
  slack,
  zoho,
  jira,
  'google-drive': googleDrive,
  'microsoft-graph': microsoftGraph,
  netsuite,
  shopify,
  hubspot,
} as const satisfies Readonly<Record<string, ProviderProfile>>;
