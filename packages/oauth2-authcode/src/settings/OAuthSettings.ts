/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1; `none` for public clients). */
export type TokenEndpointAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'none';

/** PKCE code challenge method (RFC 7636 §4.2); `none` sends no challenge. */
export type PkceMethod = 'S256' | 'plain' | 'none';

/**
 * Accepted values of `token_endpoint_auth_method`.
 *
 * @example
 * ```ts
 * TOKEN_ENDPOINT_AUTH_METHODS.includes('client_secret_basic'); // true
 * ```
 */
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_post',
  'client_secret_basic',
  'none',
];
/**
 * Accepted values of `pkce`.
 *
 * @example
 * ```ts
 * PKCE_METHODS.includes('S256'); // true
 * ```
 */
export const PKCE_METHODS: readonly PkceMethod[] = ['S256', 'plain', 'none'];

/** The strategy's variables of one method or instance, read and checked. */
export interface OAuthSettings {
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly callbackUrl: string | undefined;
  readonly scope: string;
  readonly stateLength: number;
  readonly pkce: PkceMethod;
  readonly authMethod: TokenEndpointAuthMethod;
  readonly grantType: string;
  readonly responseType: string;
  readonly accessTokenKey: string;
  readonly refreshTokenKey: string;
  readonly expiresInKey: string;
  readonly refreshGrantType: string;
  readonly refreshGrantTypeKey: string;
  readonly expiredStatuses: ReadonlySet<number>;
  readonly issuer: string | undefined;
  readonly authorisedCode: string | undefined;
}
