// A deterministic stand-in for a streaming language model, so the example runs with no network
// and no key: it counts letters when asked "how many X's in WORD", and echoes anything else.

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface FakeModelOptions {
  /** Pause before each token, as a real model's stream would have. Default 30 ms. */
  tokenDelayMs?: number;
}

export class FakeModel {
  readonly #delay: number;

  constructor(options: FakeModelOptions = {}) {
    this.#delay = options.tokenDelayMs ?? 30;
  }

  /** The reply to the conversation, token by token (a word and the space after it). */
  async *stream(messages: readonly ChatMessage[]): AsyncGenerator<string> {
    const question = messages.findLast((m) => m.role === "user")?.content ?? "";
    for (const token of answer(question).match(/\S+\s*/g) ?? []) {
      await new Promise((resolve) => setTimeout(resolve, this.#delay));
      yield token;
    }
  }
}

export function answer(question: string): string {
  const asked = /how many (\w)'?s? (?:are )?in "?(\w+)"?/i.exec(question);
  if (!asked) return `You said: "${question}". I am a fake model: ask me how many r's are in strawberry.`;
  const [, letter = "", word = ""] = asked;
  const count = [...word.toLowerCase()].filter((c) => c === letter.toLowerCase()).length;
  return `There ${count === 1 ? "is" : "are"} ${count} "${letter}" in "${word}".`;
}
