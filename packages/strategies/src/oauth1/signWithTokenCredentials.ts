import {
  type Credentials,
  type InstanceContext,
  type OutgoingRequest,
  type RequestSignature,
  SpliceError,
} from '@splice/core';
import { readOAuth1Settings } from './settings/readOAuth1Settings.js';
import { signOAuth1 } from './signing/signOAuth1.js';

/**
 * The OAuth 1 strategies' `sign` hook: every endpoint request gets its own `Authorization: OAuth …`
 * header (RFC 5849 §3.5.1), signed with the method's client credentials and the instance's token
 * credentials (`oauth_token`, `oauth_token_secret`) over method, URL, query and form body, with a
 * fresh nonce and the context's clock for the timestamp.
 *
 * @example
 * ```ts
 * const { headers } = await signWithTokenCredentials(ctx, request, credentials);
 * ```
 */
export async function signWithTokenCredentials(
  ctx: InstanceContext,
  request: OutgoingRequest,
  credentials: Credentials,
): Promise<RequestSignature> {
  const token = credentials.values['oauth_token'];
  const secret = credentials.values['oauth_token_secret'];
  if (token === undefined || secret === undefined) {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `The credentials of instance "${ctx.instance.id}" hold no OAuth 1 token credentials: delete the instance and add it again.`,
      {
        details: {
          connectorId: ctx.connector.id,
          authMethodId: ctx.method.id,
          instanceId: ctx.instance.id,
        },
      },
    );
  }
  const authorization = signOAuth1(request, readOAuth1Settings(ctx), { token, secret }, ctx.now());
  return { headers: { authorization } };
}
