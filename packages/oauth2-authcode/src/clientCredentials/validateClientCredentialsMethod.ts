import type { DefinitionIssue, ResolvedAuthMethod } from '@splice/core';
import { checkOAuthMethod } from '../validateMethod.js';
import { readTokenParameters } from './tokenParameters.js';

/**
 * The client-credentials strategy's checks of a method definition, all at once, paths relative to
 * the method: `urls.token` required and valid, no other URL, the shared checks of enumerated
 * defaults, no `token_endpoint_auth_method` default of `none` (RFC 6749 §4.4: confidential
 * clients only) and a well-formed `token_parameters` default.
 *
 * @example
 * ```ts
 * validateClientCredentialsMethod(method); // [{ path: 'urls.token', message: 'is required …' }]
 * ```
 */
export function validateClientCredentialsMethod(method: ResolvedAuthMethod): DefinitionIssue[] {
  const issues = checkOAuthMethod(method, {
    type: 'oauth2-client-credentials',
    required: { token: 'the token URL, where the client asks for access tokens' },
    optional: {},
  });
  method.variables.forEach((variable, index) => {
    if (variable.key === 'token_endpoint_auth_method' && variable.default === 'none') {
      issues.push({
        path: `variables[${index}].default`,
        message:
          '"token_endpoint_auth_method" must be client_secret_basic or client_secret_post: the client credentials grant is for confidential clients only (RFC 6749 §4.4).',
      });
    }
    if (variable.key === 'token_parameters' && variable.default !== undefined) {
      const parameters = readTokenParameters(variable.default);
      if (typeof parameters === 'string')
        issues.push({
          path: `variables[${index}].default`,
          message: `"token_parameters" ${parameters}`,
        });
    }
  });
  return issues;
}
