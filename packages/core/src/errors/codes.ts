/**
 * Every stable error code Splice throws. Codes never change meaning once released; new codes may
 * be added. Match on `error.code`, never on the message.
 *
 * @example
 * ```ts
 * if (SpliceError.is(err, 'REAUTHORIZATION_REQUIRED')) askUserToReconnect(err.details.instanceId);
 * ```
 */
export type SpliceErrorCode =
  | 'CONNECTOR_INVALID'
  | 'STRATEGY_MISSING'
  | 'VARIABLE_MISSING'
  | 'VARIABLE_INVALID'
  | 'TEMPLATE_UNRESOLVED'
  | 'TEMPLATE_UNSAFE_VALUE'
  | 'INSECURE_URL'
  | 'AUTH_STATE_INVALID'
  | 'AUTH_DENIED'
  | 'AUTH_ISSUER_MISMATCH'
  | 'AUTH_NOT_INTERACTIVE'
  | 'TOKEN_REQUEST_FAILED'
  | 'TOKEN_RESPONSE_INVALID'
  | 'REAUTHORIZATION_REQUIRED'
  | 'REFRESH_LIMITED'
  | 'CREDENTIALS_INVALID'
  | 'CREDENTIALS_CHECK_FAILED'
  | 'INSTANCE_NOT_FOUND'
  | 'CONNECTOR_NOT_FOUND'
  | 'AUTH_METHOD_NOT_FOUND'
  | 'ENDPOINT_NOT_FOUND'
  | 'ENDPOINT_NOT_ENABLED'
  | 'ENDPOINT_HTTP_ERROR'
  | 'ENDPOINT_REQUEST_FAILED'
  | 'RESPONSE_PARSE_FAILED'
  | 'TIMEOUT'
  | 'STORE_CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'ENCRYPTION_KEY_INVALID'
  | 'DECRYPTION_FAILED'
  | 'RUNTIME_CLOSED'
  | 'CAPTURE_INVALID'
  | 'CHOICE_REQUIRED'
  | 'CHOICE_INVALID';

/** Codes of `TypeError`s thrown at once for caller mistakes (wrong argument types or shapes). */
export type SpliceTypeErrorCode = 'INVALID_ARGUMENT' | 'INVALID_OPTION';
