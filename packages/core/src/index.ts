export { capturedIssues } from './capture/capturedIssues.js';
export { type CaptureWhere, captureValues } from './capture/captureValues.js';
export { readPath } from './capture/readPath.js';
export {
  type CaptureOrigins,
  endpointOrigins,
  methodOrigins,
} from './definition/captureOrigins.js';
export { checkMethodUrls, type MethodUrls } from './definition/checkMethodUrls.js';
export { checkTemplateKeys } from './definition/checkTemplateKeys.js';
export { checkVariableDefaults } from './definition/checkVariableDefaults.js';
export { connectorInvalid } from './definition/connectorInvalid.js';
export { connectorJsonSchema } from './definition/connectorJsonSchema.js';
export {
  type ConnectorInput,
  connectorSchema,
  DEFAULT_BEARER_TOKEN_TYPES,
  DEFAULT_INVALID_GRANT_ERRORS,
  EXPIRED_TOKEN_BODY_MAX_BYTES,
  HEADER_NAME_PATTERN,
  ID_PATTERN,
  MAX_DEFAULT_LENGTH,
  tokenRequestSchema,
  VARIABLE_KEY_PATTERN,
} from './definition/connectorSchema.js';
export { isReservedHeader } from './definition/isReservedHeader.js';
export { mergeVariables } from './definition/mergeVariables.js';
export { nearestName } from './definition/nearestName.js';
export { type ParseConnectorOptions, parseConnector } from './definition/parseConnector.js';
export { parseConnectorText } from './definition/parseConnectorText.js';
export {
  replaceUrlPrefix,
  replaceUrlPrefixes,
  type UrlPrefixMap,
} from './definition/replaceUrlPrefixes.js';
export {
  type RequestPartDestination,
  requestPartDestinations,
} from './definition/requestPartDestinations.js';
export { resolveAuthMethod } from './definition/resolveAuthMethod.js';
export { MAX_DEFINITION_DEPTH } from './definition/treeIssue.js';
export {
  type ApplyDefinition,
  type AuthMethodDefinition,
  type BodyFormat,
  type BodyRule,
  type CapturedValueDefinition,
  type CaptureSource,
  type ConnectorDefinition,
  CREDENTIAL_KEYS,
  type CredentialKey,
  type Dialect,
  type EndpointDataType,
  type EndpointDefinition,
  type EndpointDirection,
  type HttpMethod,
  type JsonObject,
  type JsonValue,
  type PostAuthorizationStep,
  type RateLimit,
  type RateLimitUnit,
  type RequestParts,
  type ResolvedAuthMethod,
  type ResolvedConnector,
  type StepCapturedValueDefinition,
  type TokenRequestParts,
  type VariableDefinition,
  type VariableOverride,
} from './definition/types.js';
export { type CallbackRefusal, callbackRefusal } from './errors/callbackRefusal.js';
export type { SpliceErrorCode, SpliceTypeErrorCode } from './errors/codes.js';
export { invalidArgument, type SpliceTypeError } from './errors/invalidArgument.js';
export { jsonParseProblem } from './errors/jsonParseProblem.js';
export { jsonText } from './errors/jsonText.js';
export { SpliceError, type SpliceErrorOptions } from './errors/SpliceError.js';
export type {
  ErrorIds,
  ExchangeFailureDetails,
  SpliceErrorDetails,
  SpliceErrorDetailsByCode,
} from './errors/SpliceErrorDetails.js';
export { utf16TextProblem } from './errors/utf16TextProblem.js';
export type {
  Choice,
  Credentials,
  Instance,
  InstanceRecord,
  InstanceStatus,
  PendingChoice,
  PendingChoiceRecord,
} from './instance/Instance.js';
export { type LogFields, type Logger, noopLogger } from './logger.js';
export {
  type ExcerptOptions,
  REDACTED,
  redactCredentials,
  redactValues,
  type ScrubbedCut,
  SECRET_KEY_PATTERN,
  safeExcerpt,
  scrub,
  scrubCut,
  secretForms,
} from './redact.js';
export { type ServiceKey, SpliceServices } from './services.js';
export {
  createStoreCodec,
  type StoreCodec,
  type StoreCodecContext,
  type StoreEncryptionKey,
  type StoreEncryptionOptions,
} from './store/encryption.js';
export { generateEncryptionKey } from './store/generateEncryptionKey.js';
export { checkSetOptions, MemoryStore, type MemoryStoreOptions } from './store/MemoryStore.js';
export {
  type Lease,
  type Store,
  type StoreEntry,
  type StoreSetOptions,
  storeKeys,
} from './store/Store.js';
export type {
  AuthContext,
  AuthorizationCallback,
  AuthorizationRequest,
  AuthStrategy,
  CredentialFacts,
  DefinitionIssue,
  InstanceContext,
  MethodTemplates,
  OutgoingRequest,
  RequestSignature,
  ResponseSummary,
} from './strategy/AuthStrategy.js';
export { openTelemetryApi } from './telemetry/openTelemetry.js';
export {
  inSpan,
  type SpliceAttributes,
  type SpliceSpanName,
  spliceTracer,
} from './telemetry/telemetry.js';
export {
  type BodyTemplate,
  type CompiledRequestParts,
  compileRequestParts,
  type NamedTemplate,
} from './template/compileRequestParts.js';
export { isLoopbackHost } from './template/isLoopbackHost.js';
export {
  compileOriginPatterns,
  type OriginPatterns,
  originPatternProblem,
} from './template/originPatterns.js';
export { redirectUriProblem } from './template/redirectUriProblem.js';
export {
  compileTemplate,
  compileUrlTemplate,
  HEADER_VALUE_UNSAFE_PATTERN,
  TEMPLATE_FILTERS,
  TEMPLATE_KEY_PATTERN,
  type Template,
  type TemplateTarget,
  type TemplateValues,
  type UrlTemplateOptions,
} from './template/template.js';
export { invalidAuthVariable } from './variables/invalidAuthVariable.js';
export { lockedVariable } from './variables/lockedVariable.js';
export { missingRequired } from './variables/missingRequired.js';
export { perCallKeys } from './variables/perCallKeys.js';
export { type PerCallRefusal, perCallRefusal } from './variables/perCallRefusal.js';
export { redactSecretDefaults } from './variables/redactSecretDefaults.js';
export { requiredVariableKeys } from './variables/requiredVariableKeys.js';
export { resolveValues, type ValueLayer } from './variables/resolveValues.js';
export { secretKeys } from './variables/secretKeys.js';
export { type UnknownKeysHint, unknownKeysHint } from './variables/unknownKeysHint.js';
export { variableMissing } from './variables/variableMissing.js';
export { variableNotSettable } from './variables/variableNotSettable.js';
