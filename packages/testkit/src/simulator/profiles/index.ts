import type { ProviderProfile } from './ProviderProfile.js';
import { quickbooks } from './quickbooks.js';
import { salesforce } from './salesforce.js';

export { type ProviderProfile, startProviderProfile } from './ProviderProfile.js';

/** The simulator profiles of the built-in connectors of `@splice/connectors`, by name. */
export const providerProfiles = {
  salesforce,
  quickbooks,
} as const satisfies Readonly<Record<string, ProviderProfile>>;
