import type { ResolvedAuthMethod, ResolvedConnector, VariableDefinition } from '@splice/core';

/**
 * One input of the add-instance form, made from a variable definition.
 *
 * @example
 * ```ts
 * formFields(connector, method, callbackUrl).filter((field) => field.advanced);
 * ```
 */
export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly alias?: string;
  /** Pre-filled value; never set for secret variables. */
  readonly value: string;
  /** True when a secret variable has a default: leaving the field empty keeps it. */
  readonly hasSecretDefault: boolean;
  readonly required: boolean;
  readonly secret: boolean;
  readonly advanced: boolean;
  readonly locked: boolean;
  /** False for a variable that is shown but not `configurable`: its default is used as it is. */
  readonly editable: boolean;
  /** Whether the form sends the value (editable fields, and the dashboard's callback URL). */
  readonly submitted: boolean;
  readonly level: 'connector' | 'auth';
}

/** The callback-URL variable of the OAuth 2 strategy (SPEC §4), pre-filled with the dashboard's route. */
const CALLBACK_URL_KEY = 'callback_url';

// The seed asks for the required and configurable variables; advanced ones are shown too, folded
// away. The rest are default parameters: always sent, never asked for.
function shown(variable: VariableDefinition, required: ReadonlySet<string>): boolean {
  return (
    variable.required || required.has(variable.key) || variable.configurable || variable.advanced
  );
}

function toField(
  variable: VariableDefinition,
  level: FormField['level'],
  callbackUrl: string,
  requiredKeys: ReadonlySet<string>,
): FormField {
  const isCallback = variable.key === CALLBACK_URL_KEY;
  const fallback = isCallback ? callbackUrl : '';
  const required = requiredKeys.has(variable.key);
  // A required variable must be enterable even when the definition did not mark it configurable.
  const editable = variable.configurable || required;
  const field: FormField = {
    key: variable.key,
    label: variable.label ?? variable.key,
    value: variable.secret ? '' : (variable.default ?? fallback),
    hasSecretDefault: variable.secret && variable.default !== undefined,
    required,
    secret: variable.secret,
    advanced: variable.advanced,
    locked: variable.locked,
    editable,
    // The redirect URI must be the dashboard's own route, or the provider sends the user elsewhere.
    submitted: editable || (isCallback && variable.default === undefined),
    level,
  };
  return variable.alias === undefined ? field : { ...field, alias: variable.alias };
}

/**
 * The inputs a user fills to add an instance of `connector` with `method`: the connector
 * variables, then the method's auth variables (which already hold the strategy's locked defaults
 * when the connector was parsed with the runtime's strategies). Required and `configurable`
 * variables are inputs; `advanced` ones are shown (read-only unless configurable) for the folded
 * advanced section; any other variable is a default parameter and not shown. The `callback_url`
 * variable defaults to the dashboard's own callback route. Which fields are required is not read
 * from the `required` flags: `requiredKeys` is the runtime's answer (`runtime.requiredVariables()`,
 * the strategy's rule given the values), so a public OAuth 2 client is not asked for a secret.
 *
 * @example
 * ```ts
 * const required = runtime.requiredVariables(connector.id, method.id);
 * const fields = formFields(connector, method, 'http://127.0.0.1:4000/oauth/callback', required);
 * fields.filter((f) => f.required).map((f) => f.key); // ['account', 'client_id', 'client_secret']
 * ```
 */
export function formFields(
  connector: ResolvedConnector,
  method: ResolvedAuthMethod,
  callbackUrl: string,
  requiredKeys: readonly string[],
): FormField[] {
  const required = new Set(requiredKeys);
  const authKeys = new Set(method.variables.map((variable) => variable.key));
  const connectorFields = connector.variables
    // An auth variable with the same key wins: the method refines the connector's variable.
    .filter((variable) => shown(variable, required) && !authKeys.has(variable.key))
    .map((variable) => toField(variable, 'connector', callbackUrl, required));
  const authFields = method.variables
    .filter((variable) => shown(variable, required))
    .map((variable) => toField(variable, 'auth', callbackUrl, required));
  return [...connectorFields, ...authFields];
}
