// Calls to the inspector API (docs/inspector.md), relative to the page (served at <mount>/inspector/),
// with the token on every call. Errors come back as ApiError with the API's group and code.

import { currentToken } from "./token.ts";

export const API_BASE = new URL("v1/", location.href.replace(/#.*$/, ""));

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly group: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get label(): string {
    return `${this.group}.${this.code}`;
  }
}

/** Called when the server refuses the token, so the app can ask for another. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(callback: () => void): void {
  onUnauthorized = callback;
}

export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${currentToken() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(new URL(path.replace(/^\//, ""), API_BASE), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "unreachable", "The server cannot be reached. Is it still running?");
  }
  const text = await response.text();
  const parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    throw new ApiError(
      response.status,
      String(parsed.group ?? "http"),
      String(parsed.code ?? response.status),
      String(parsed.message ?? text),
    );
  }
  return parsed as T;
}

/** `encodeURIComponent` for one path segment. */
export const seg = encodeURIComponent;
