// Whether the inspector is on, and with which token: `setup({ inspector })`, else the environment.

import { errors } from "../base/errors.ts";

export interface InspectorConfig {
  /** The token every inspector route needs (at least 16 characters). Default: TROUPE_INSPECTOR_TOKEN. */
  token?: string;
}

export const TOKEN_ENV = "TROUPE_INSPECTOR_TOKEN";
export const MIN_TOKEN_LENGTH = 16;

/** Checks the `inspector` key of `setup()`: an object with an optional token, or false (off). */
export function checkInspectorConfig(value: unknown): void {
  if (value === undefined || value === false) return;
  if (typeof value !== "object" || value === null) throw errors.config("`inspector` must be { token } or false.");
  const unknown = Object.keys(value).filter((k) => k !== "token");
  if (unknown.length > 0) throw errors.config(`Unknown inspector option ${unknown.join(", ")}; the only one is token.`);
  const { token } = value as InspectorConfig;
  if (token !== undefined) checkToken(token, "inspector.token");
}

function checkToken(token: unknown, where: string): asserts token is string {
  if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH) {
    throw errors.config(
      `${where} must be a string of at least ${MIN_TOKEN_LENGTH} characters (e.g. the output of \`openssl rand -base64 32\`).`,
    );
  }
}

/** The inspector's token: setup()'s, else the environment's; undefined when the inspector is off. */
export function inspectorToken(config: InspectorConfig | false | undefined, env: Record<string, string | undefined>): string | undefined {
  if (config === false) return undefined;
  if (config?.token !== undefined) return config.token;
  const token = env[TOKEN_ENV];
  if (token === undefined || token === "") return undefined;
  checkToken(token, TOKEN_ENV);
  return token;
}
