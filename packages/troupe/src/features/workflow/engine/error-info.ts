// Errors as the history keeps them: plain data that survives storage, rebuilt into an Error of
// the same name, message, group and code when a recorded failure is replayed.

import { ActorError, isActorError } from "../../../base/errors.ts";

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  group?: string;
  code?: string;
  metadata?: unknown;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (isActorError(error)) {
    const info: ErrorInfo = { name: error.name, message: error.message, group: error.group, code: error.code };
    if (error.metadata !== undefined) info.metadata = error.metadata;
    if (error.stack !== undefined) info.stack = error.stack;
    return info;
  }
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message };
    if (error.stack !== undefined) info.stack = error.stack;
    return info;
  }
  return { name: "Error", message: String(error) };
}

export function fromErrorInfo(info: ErrorInfo): Error {
  const error =
    info.group !== undefined && info.code !== undefined
      ? new ActorError(info.group, info.code, info.message, { metadata: info.metadata, public: false })
      : new Error(info.message);
  error.name = info.name;
  if (info.stack !== undefined) error.stack = info.stack;
  return error;
}
