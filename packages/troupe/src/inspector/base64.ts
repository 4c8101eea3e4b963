// Base64 (standard and URL-safe) with web APIs only, for bytes shown by the inspector and for its
// cursors and WebSocket token.

const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array, urlSafe = false): string {
  let binary = "";
  for (let i = 0; i < bytes.byteLength; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  const text = btoa(binary);
  return urlSafe ? text.replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "") : text;
}

/** Either alphabet, padded or not; undefined when `text` is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  let binary: string;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
