// Whether /metrics is served, and behind which token: `setup({ metrics })`, else the environment.
// Off unless asked for, as the endpoint tells anyone who reads it what the actors are called.

import { errors } from "../base/errors.ts";

export interface MetricsConfig {
  /** The bearer token a scrape must send (at least 16 characters). Default: TROUPE_METRICS_TOKEN, else none. */
  token?: string;
}

/** How /metrics is served: undefined when it is off. */
export interface MetricsAccess {
  readonly token: string | undefined;
}

export const METRICS_ENV = "TROUPE_METRICS";
export const METRICS_TOKEN_ENV = "TROUPE_METRICS_TOKEN";
const MIN_TOKEN_LENGTH = 16;
const ON = new Set(["1", "true", "on", "yes"]);

/** Checks the `metrics` key of `setup()`: a boolean, or an object with an optional token. */
export function checkMetricsConfig(value: unknown): void {
  if (value === undefined || typeof value === "boolean") return;
  if (typeof value !== "object" || value === null) throw errors.config("`metrics` must be true, false or { token }.");
  const unknown = Object.keys(value).filter((k) => k !== "token");
  if (unknown.length > 0) throw errors.config(`Unknown metrics option ${unknown.join(", ")}; the only one is token.`);
  const { token } = value as MetricsConfig;
  if (token !== undefined) checkToken(token, "metrics.token");
}

function checkToken(token: unknown, where: string): asserts token is string {
  if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH) {
    throw errors.config(
      `${where} must be a string of at least ${MIN_TOKEN_LENGTH} characters (e.g. the output of \`openssl rand -base64 32\`).`,
    );
  }
}

/**
 * setup()'s choice, else the environment's: a TROUPE_METRICS_TOKEN turns metrics on behind it,
 * TROUPE_METRICS=1 turns them on with no token (for a network only the scraper reaches).
 */
export function metricsAccess(
  config: MetricsConfig | boolean | undefined,
  env: Record<string, string | undefined>,
): MetricsAccess | undefined {
  if (config === false) return undefined;
  if (typeof config === "object" && config.token !== undefined) return { token: config.token };
  const token = env[METRICS_TOKEN_ENV];
  if (token !== undefined && token !== "") {
    checkToken(token, METRICS_TOKEN_ENV);
    return { token };
  }
  if (config !== undefined || ON.has((env[METRICS_ENV] ?? "").toLowerCase())) return { token: undefined };
  return undefined;
}
