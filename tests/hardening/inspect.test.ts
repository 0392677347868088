import { Limits } from "@rally/protocol";
import { describe, expect, it } from "vitest";
import { inspectPayload } from "../../apps/server/src/realtime/inspect.js";

const max = Limits.maxPayloadBytes;
const depth = Limits.maxPayloadDepth;
const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe("inspectPayload: size and depth without recursion", () => {
  it("measures what JSON.stringify cannot: 200,000 levels deep is simply too deep", () => {
    expect(inspectPayload([nested(200_000)], max, depth)).toBe("too_deep");
  });

  it("counts containers down to the limit, and one more is too deep", () => {
    expect(inspectPayload([nested(depth)], max, depth)).toBe("ok");
    expect(inspectPayload([nested(depth + 1)], max, depth)).toBe("too_deep");
    expect(inspectPayload([{ a: 1 }, nested(depth + 1)], max, depth)).toBe("too_deep");
  });

  it("counts strings, keys, many small values and binary toward the size", () => {
    expect(inspectPayload(["x".repeat(max)], max, depth)).toBe("too_large");
    expect(inspectPayload([{ ["k".repeat(max)]: 1 }], max, depth)).toBe("too_large");
    expect(inspectPayload([Array.from({ length: max }, () => 0)], max, depth)).toBe("too_large");
    expect(inspectPayload([Buffer.alloc(max + 1)], max, depth)).toBe("too_large");
    expect(inspectPayload([{ data: Buffer.alloc(100) }, "ok"], max, depth)).toBe("ok");
  });

  it("finds strings no database stores: NUL and lone surrogates, in values and keys", () => {
    expect(inspectPayload([{ text: "a\u0000b" }], max, depth)).toBe("bad_text");
    expect(inspectPayload([{ text: "half \ud83d" }], max, depth)).toBe("bad_text");
    expect(inspectPayload([{ text: "\ude00 half" }], max, depth)).toBe("bad_text");
    expect(inspectPayload([{ ["k\u0000"]: 1 }], max, depth)).toBe("bad_text");
    expect(inspectPayload([{ text: "whole 😀 emoji, ünïcödé" }], max, depth)).toBe("ok");
  });

  it("reads __proto__ keys as the plain data JSON.parse makes of them, and skips the ack", () => {
    const parsed = JSON.parse(`{"__proto__":{"polluted":"${"p".repeat(max)}"}}`);
    expect(inspectPayload([parsed], max, depth)).toBe("too_large");
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
    expect(inspectPayload([{ text: "hi" }, () => {}], max, depth)).toBe("ok");
  });
});
