import type { OAuth1SignatureMethod } from '../signing/OAuth1SignatureMethod.js';

/** The OAuth 1 variables of one method or instance, read and checked. */
export interface OAuth1Settings {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly signatureMethod: OAuth1SignatureMethod;
  /** `''` when no realm is sent. */
  readonly realm: string;
}
