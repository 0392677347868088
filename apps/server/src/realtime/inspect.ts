export type PayloadVerdict = "ok" | "too_large" | "too_deep" | "bad_text";

/**
 * A NUL character, or half of a surrogate pair: JSON carries them, but databases refuse them
 * (PostgreSQL text cannot hold NUL; a lone surrogate is not valid UTF-8), and no player types them.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

/** Rough JSON cost of a leaf, so a payload of many small values still counts toward the limit. */
function leafSize(value: unknown): number {
  if (typeof value === "string") return value.length + 2;
  if (typeof value === "number" || typeof value === "bigint") return String(value).length;
  if (typeof value === "boolean") return value ? 4 : 5;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  return 4;
}

/**
 * Measures the arguments of one inbound packet without recursion: an explicit stack walks the
 * value, and the walk stops as soon as the size or the depth is over its bound, so neither a
 * 100,000-deep array nor a huge one can exhaust the call stack or hold the event loop. On the way
 * it finds strings no database would store.
 */
export function inspectPayload(args: unknown[], maxBytes: number, maxDepth: number): PayloadVerdict {
  const stack: { value: unknown; depth: number }[] = [];
  for (const arg of args) if (typeof arg !== "function") stack.push({ value: arg, depth: 0 });
  let size = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    const leaf =
      value === null ||
      typeof value !== "object" ||
      ArrayBuffer.isView(value) ||
      value instanceof ArrayBuffer;
    if (leaf) {
      if (typeof value === "string" && unstorable(value)) return "bad_text";
      size += leafSize(value);
    } else {
      if (depth >= maxDepth) return "too_deep";
      size += 2;
      if (Array.isArray(value)) {
        for (const item of value) {
          size += 1;
          stack.push({ value: item, depth: depth + 1 });
          if (size > maxBytes) return "too_large";
        }
      } else {
        for (const key of Object.keys(value)) {
          if (unstorable(key)) return "bad_text";
          size += key.length + 4;
          stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
          if (size > maxBytes) return "too_large";
        }
      }
    }
    if (size > maxBytes) return "too_large";
  }
  return "ok";
}
