// Standard Schema (standardschema.dev), the validator interface shared by Zod, Valibot, ArkType
// and others: declared here so that no validator library is a dependency.

import { ActorError } from "./errors.ts";

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> };

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (typeof value === "object" || typeof value === "function") && value !== null && "~standard" in value;
}

/** The validated (possibly transformed) value, or `actor.validation_error` listing the issues. */
export async function validate<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, what: string): Promise<T> {
  const result = await schema["~standard"].validate(value);
  if (result.issues === undefined) return result.value;
  const issues = result.issues.map((issue) => ({
    message: issue.message,
    path: issue.path?.map((p) => (typeof p === "object" ? p.key : p)).map(String),
  }));
  throw new ActorError("actor", "validation_error", `Invalid ${what}: ${issues.map((i) => i.message).join("; ")}`, {
    metadata: { issues },
  });
}
