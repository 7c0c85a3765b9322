// simple-oauth2 ships no types; the benchmark uses this much of it (https://github.com/lelylan/simple-oauth2/blob/master/API.md).
declare module 'simple-oauth2' {
  export interface AccessToken {
    readonly token: Record<string, unknown> & { access_token: string };
    expired(expirationWindowSeconds?: number): boolean;
    refresh(params?: Record<string, unknown>): Promise<AccessToken>;
  }
  export class AuthorizationCode {
    constructor(options: Record<string, unknown>);
    getToken(params: Record<string, unknown>): Promise<AccessToken>;
    createToken(token: Record<string, unknown>): AccessToken;
  }
}
