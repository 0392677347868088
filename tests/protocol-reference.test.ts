import fs from "node:fs";
import { ErrorCode, inboundSchemas } from "@rally/protocol";
import { expect, it } from "vitest";
import { blocks, DOC, payloadText, regenerate, SCHEMAS, schemasJson } from "../scripts/protocol-docs.js";

it("docs/protocol.md's generated tables match packages/protocol (run npm run docs:protocol)", () => {
  const current = fs.readFileSync(DOC, "utf8");
  expect(regenerate(current) === current, "docs/protocol.md is out of date: run npm run docs:protocol").toBe(
    true,
  );
});

it("docs/protocol-schemas.json matches the zod schemas (run npm run docs:protocol)", () => {
  const current = fs.readFileSync(SCHEMAS, "utf8");
  expect(
    schemasJson() === current,
    "docs/protocol-schemas.json is out of date: run npm run docs:protocol",
  ).toBe(true);
  const { events } = JSON.parse(current);
  expect(Object.keys(events).sort()).toEqual(Object.keys(inboundSchemas).sort());
  expect(events["report:create"].oneOf ?? events["report:create"].anyOf).toHaveLength(2);
});

it("lists every inbound event with its schema and every error code", () => {
  const text = [...blocks().values()].join("\n");
  for (const event of Object.keys(inboundSchemas)) expect(text).toContain(`| \`${event}\` |`);
  for (const code of Object.values(ErrorCode)) expect(text).toContain(`| \`${code}\` |`);
  expect(payloadText(inboundSchemas["moderation:mute"])).toBe(
    "{ userId: string (1–64), durationSeconds: integer (60–2592000), reason: string (1–200) }",
  );
  expect(payloadText(inboundSchemas["rooms:list"])).toBe("none");
});

it("refuses a document whose markers do not match the generated blocks", () => {
  expect(() => regenerate("no markers here")).toThrow(/no markers for/);
  const unknown = "<!-- generated:events:nope:start -->\n<!-- generated:events:nope:end -->";
  expect(() => regenerate(unknown)).toThrow(/unknown block "events:nope"/);
});
