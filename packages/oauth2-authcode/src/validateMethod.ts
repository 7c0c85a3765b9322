import {
  checkMethodUrls,
  compileUrlTemplate,
  type DefinitionIssue,
  type MethodUrls,
  methodOrigins,
  type ResolvedAuthMethod,
  SpliceError,
} from '@splice/core';
import { checkValue } from './settings/checkValue.js';

/** Which URLs a grant's method has: the required and optional ones with what they are for. */
export interface OAuthMethodUrls extends MethodUrls {
  /** The method type, for messages. */
  readonly type: string;
}

const AUTHORIZATION_CODE_URLS: OAuthMethodUrls = {
  type: 'oauth2-authorization-code',
  required: {
    token: 'the token URL, where codes and refresh tokens are exchanged',
    authorise: 'the authorise URL, where users grant access',
  },
  optional: {
    reauthenticate: 'the refresh URL, when refresh tokens are exchanged elsewhere than codes',
  },
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
 * checkOAuthMethod(method, { type: 'oauth2-client-credentials', required: { token: '…' }, optional: {} });
 * ```
 */
export function checkOAuthMethod(
  method: ResolvedAuthMethod,
  urls: OAuthMethodUrls,
): DefinitionIssue[] {
  const issues = checkMethodUrls(method, urls.type, urls, checkValue);
  // The token and refresh URLs may begin with a captured origin (Zoho's accounts server).
  const origins = methodOrigins(method);
  for (const [name, source] of Object.entries(method.urls)) {
    if (!(Object.hasOwn(urls.required, name) || Object.hasOwn(urls.optional, name))) continue;
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
