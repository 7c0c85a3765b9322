// node-oauth1 (Netflix's reference implementation of OAuth 1.0a) ships no type declarations. This
// is the small surface the testkit's OAuth 1 provider uses to verify signatures independently of
// Splice's own signer.
declare module 'node-oauth1' {
  interface OAuthMessage {
    readonly method: string;
    /** The request URL as received, query included. */
    readonly action: string;
    /** Name/value pairs besides the URL's query (protocol parameters, form-body fields). */
    readonly parameters: readonly (readonly [string, string])[];
  }

  interface SignatureMethodInstance {
    getSignature(baseString: string): string;
  }

  interface OAuthStatic {
    percentEncode(value: string): string;
    decodePercent(value: string): string;
    decodeForm(form: string): [string, string | null][];
    SignatureMethod: {
      getBaseString(message: OAuthMessage): string;
      newMethod(
        name: string,
        accessor: { readonly consumerSecret: string; readonly tokenSecret: string },
      ): SignatureMethodInstance;
    };
  }

  const OAuth: OAuthStatic;
  export default OAuth;
}
