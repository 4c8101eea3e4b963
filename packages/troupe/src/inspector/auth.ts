// The inspector's token check: from the Authorization header, or from a WebSocket subprotocol
// (browsers cannot set headers on a WebSocket). Both sides are hashed first, so the comparison
// takes the same time whatever was sent, its length included.

import { fromBase64 } from "./base64.ts";

export const INSPECTOR_PROTOCOL = "troupe.inspector.v1";
export const TOKEN_PROTOCOL = "troupe.inspector.token.";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

export class TokenCheck {
  readonly #expected: Promise<Uint8Array>;

  constructor(token: string) {
    this.#expected = digest(token);
  }

  /** Whether `presented` is the token. */
  async accepts(presented: string | undefined): Promise<boolean> {
    if (presented === undefined) return false;
    const [expected, actual] = await Promise.all([this.#expected, digest(presented)]);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference |= (expected[i] as number) ^ (actual[i] as number);
    return difference === 0;
  }
}

/** The token of `Authorization: Bearer <token>`. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header === null ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}

/** The token of a `troupe.inspector.token.<base64url of its UTF-8>` subprotocol. */
export function protocolToken(protocols: readonly string[]): string | undefined {
  const offered = protocols.find((p) => p.startsWith(TOKEN_PROTOCOL));
  const bytes = offered === undefined ? undefined : fromBase64(offered.slice(TOKEN_PROTOCOL.length));
  if (bytes === undefined) return undefined;
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
