// oidc-provider ships no type declarations. This is the small surface the testkit uses; it is
// deliberately loose where the library is (configuration objects), strict where tests read data.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface OidcContext {
    readonly params?: Record<string, unknown>;
    readonly body?: Record<string, unknown>;
    readonly client?: { readonly clientId: string };
  }

  interface KoaContext {
    readonly path: string;
    readonly method: string;
    status: number;
    body: unknown;
    readonly oidc?: OidcContext;
    get(header: string): string;
  }

  interface TokenModel {
    readonly jti: string;
    readonly accountId?: string;
    readonly clientId?: string;
    readonly scope?: string;
    readonly exp?: number;
    readonly iat?: number;
    readonly isExpired: boolean;
    destroy(): Promise<void>;
  }

  interface TokenModelClass {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<TokenModel | undefined>;
  }

  class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: never[]) => void): this;
    readonly AccessToken: TokenModelClass;
    readonly RefreshToken: TokenModelClass;
    readonly ClientCredentials: TokenModelClass;
  }

  export default Provider;
  export { Provider };
}
