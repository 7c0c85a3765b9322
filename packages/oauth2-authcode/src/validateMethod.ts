import {
  checkVariableDefaults,
  compileUrlTemplate,
  type DefinitionIssue,
  methodOrigins,
  nearestName,
  type ResolvedAuthMethod,
  SpliceError,
} from '@splice/core';
import { checkValue } from './settings/checkValue.js';

/** Which URLs a grant's method has: the required ones with what they are for, and the optional ones. */
export interface OAuthMethodUrls {
  /** The method type, for messages. */
  readonly type: string;
  readonly required: Readonly<Record<string, string>>;
  readonly optional: readonly string[];
}

const AUTHORIZATION_CODE_URLS: OAuthMethodUrls = {
  type: 'oauth2-authorization-code',
  required: {
    token: 'the token URL, where codes and refresh tokens are exchanged',
    authorise: 'the authorise URL, where users grant access',
  },
  optional: ['reauthenticate'],
};

/**
 * The checks of an OAuth 2 method definition, reported all at once with paths relative to the
 * method: the grant's required URLs present and valid (https, or http on loopback), optional ones
 * valid, no other URL names, and well-formed defaults for the enumerated variables (`pkce`,
 * `token_endpoint_auth_method`, `state_length`, `expired_token_statuses`). Shared by the
 * authorization-code and client-credentials strategies.
 *
 * @example
 * ```ts
 * checkOAuthMethod(method, { type: 'oauth2-client-credentials', required: { token: '…' }, optional: [] });
 * ```
 */
export function checkOAuthMethod(
  method: ResolvedAuthMethod,
  urls: OAuthMethodUrls,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const names = [...Object.keys(urls.required), ...urls.optional];
  // The token and refresh URLs may begin with a captured origin (Zoho's accounts server).
  const origins = methodOrigins(method);
  for (const [name, purpose] of Object.entries(urls.required)) {
    if (method.urls[name] === undefined || method.urls[name].trim() === '') {
      issues.push({ path: `urls.${name}`, message: `is required for ${urls.type} (${purpose})` });
    }
  }
  for (const [name, source] of Object.entries(method.urls)) {
    if (!names.includes(name)) {
      const meant = nearestName(name, names);
      issues.push({
        path: `urls.${name}`,
        message:
          meant === undefined
            ? `is not a URL of ${urls.type}; use ${names.join(', ')}`
            : `is not a URL of ${urls.type}: did you mean "${meant}"?`,
      });
      continue;
    }
    if (source.trim() === '') continue;
    try {
      const template = compileUrlTemplate(source, `urls.${name}`, { origins });
      // Render with harmless stand-ins to check the shape the template will always have (an
      // origin placeholder gets an origin its first pattern allows).
      const sample = Object.fromEntries(
        template.keys.map((key) => [
          key,
          Object.hasOwn(origins, key) ? origins[key]!.patterns[0]!.replaceAll('*', 'x') : 'x',
        ]),
      );
      template.render(sample);
    } catch (error) {
      const reason = SpliceError.is(error) ? error.message : 'is not a valid absolute URL';
      issues.push({ path: `urls.${name}`, message: reason });
    }
  }
  issues.push(...checkVariableDefaults(method, checkValue));
  return issues;
}

/**
 * The authorization-code strategy's checks of a method definition ({@link checkOAuthMethod}):
 * `urls.token` and `urls.authorise` required, `urls.reauthenticate` optional.
 *
 * @example
 * ```ts
 * validateOAuthMethod(method); // [{ path: 'urls.authorise', message: 'is required ...' }]
 * ```
 */
export function validateOAuthMethod(method: ResolvedAuthMethod): DefinitionIssue[] {
  return checkOAuthMethod(method, AUTHORIZATION_CODE_URLS);
}
