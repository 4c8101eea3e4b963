// Where the bytes of a large state's members lay in its last encoding (actor/state-encoding.ts):
// one layout per container, with positions relative to the container's own bytes, so that a
// container copied whole keeps its layout as it is.

/** Where a member's bytes lie in its container is kept as one number: start × SPAN + length. */
export const SPAN = 8 * 1024;

/** Where the bytes of a container's members lie, relative to the start of the container's own bytes. */
export class Layout {
  length = 0;
  /** Members of a plain object written whole: start × SPAN + length. */
  readonly members = new Map<object, number>();
  /** Containers inside: their start and their own layout. */
  readonly containers = new Map<object, { start: number; layout: Layout }>();
  /**
   * For an array: where its elements start (relative to `body`, where the first one starts; one more
   * entry, where the last one ends), and each element written whole that can be copied (else undefined).
   */
  body = 0;
  starts: number[] = [];
  items: Array<object | undefined> = [];
  #index: Map<object, number> | undefined;
  /** Its elements' positions went to the next layout (takeElements): nothing is found here any more. */
  #taken = false;

  /** Hands the positions of its elements over to the next layout, without copying them. */
  takeElements(): { starts: number[]; items: Array<object | undefined> } {
    const { starts, items } = this;
    // Without the end of the last one: the next layout goes on from there.
    starts.pop();
    this.starts = [0];
    this.items = [];
    this.#index = undefined;
    this.#taken = true;
    return { starts, items };
  }

  /**
   * Where `member` lay in the last encoding, relative to the container: start × SPAN + length. In an
   * array, at `index`, or (when it may have been in this array at all: `moved`) elsewhere in it.
   */
  find(member: object, index: number, moved: boolean): number | undefined {
    if (index < 0) return this.members.get(member);
    if (this.#taken) return undefined;
    let i: number | undefined = index;
    if (this.items[i] !== member) {
      if (!moved) return undefined;
      // Moved within the array: found by identity.
      if (this.#index === undefined) {
        this.#index = new Map();
        for (let at = 0; at < this.items.length; at++) {
          const item = this.items[at];
          if (item !== undefined) this.#index.set(item, at);
        }
      }
      i = this.#index.get(member);
      if (i === undefined) return undefined;
    }
    const start = this.starts[i] as number;
    return (this.body + start) * SPAN + ((this.starts[i + 1] as number) - start);
  }

  /** Whether `member` (or a container) was written in this layout (or may have been, once its elements were taken). */
  holds(member: object, array: boolean): boolean {
    return this.#taken || this.containers.has(member) || (array ? this.find(member, 0, true) !== undefined : this.members.has(member));
  }
}
