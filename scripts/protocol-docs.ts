// `npm run docs:protocol`: regenerates the tables of docs/protocol.md between their markers from
// packages/protocol (zod schemas through z.toJSONSchema, plus src/reference*.ts), and
// docs/protocol-schemas.json. `--check` changes nothing and exits 1 when either is out of date.
// Prose outside the markers is never touched.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DefaultEventCost, EventCost, emptyPayload, ErrorCode, inboundSchemas } from "@rally/protocol";
import { errorDocs } from "../packages/protocol/src/reference-errors.js";
import { broadcastDocs, requestDocs } from "../packages/protocol/src/reference.js";
import { z } from "zod";

export const DOC = path.resolve(import.meta.dirname, "../docs/protocol.md");

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  additionalProperties?: unknown;
};

// z.number().int() bounds itself by the safe integers: no bound worth printing.
const bound = (value: number | undefined) =>
  value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;
const range = (low: number | undefined, high: number | undefined, unit = "") => {
  const [min, max] = [bound(low), bound(high)];
  return min !== undefined && max !== undefined && max !== undefined
    ? ` (${min}–${max}${unit})`
    : min !== undefined
      ? ` (≥ ${min}${unit})`
      : max !== undefined
        ? ` (≤ ${max}${unit})`
        : "";
};

/** A JSON Schema as a one-line TypeScript-like type: `{ userId: string (1–64), reason?: string }`. */
export function renderSchema(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const members = union.map(renderSchema);
    return members.includes("any") ? "any" : members.join(" | ");
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  switch (type) {
    case "object": {
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties ?? {}).map(([name, field]) => {
        // Output-side schemas mark defaulted fields required; to a sender they are optional.
        const optional = !required.has(name) || field.default !== undefined;
        const fallback = field.default !== undefined ? ` = ${JSON.stringify(field.default)}` : "";
        return `${name}${optional ? "?" : ""}: ${renderSchema(field)}${fallback}`;
      });
      if (fields.length === 0) return schema.additionalProperties === false ? "{}" : "object";
      return `{ ${fields.join(", ")} }`;
    }
    case "string":
      if (schema.format === "date-time") return "string (ISO-8601)";
      if (schema.pattern) return `string /${schema.pattern}/`;
      return `string${range(schema.minLength, schema.maxLength)}`;
    case "integer":
    case "number":
      return `${type}${range(schema.minimum, schema.maximum)}`;
    case "array":
      return `${schema.items ? renderSchema(schema.items) : "unknown"}[]`;
    case undefined:
      return "any";
    default:
      return type;
  }
}

/** The payload as a sender must shape it. Limits set after trimming are on the output side. */
export function payloadText(schema: z.ZodType): string {
  if (schema === emptyPayload) return "none";
  const json = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Schema;
  return renderSchema(json);
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const code = (text: string) => `\`${text}\``;
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");

function groupBlock(group: string): string {
  const requests = Object.entries(requestDocs)
    .filter(([, doc]) => doc.group === group)
    .map(([event, doc]) => {
      const schema = inboundSchemas[event as keyof typeof inboundSchemas] as z.ZodType;
      const note = "note" in doc && doc.note ? ` (${doc.note})` : "";
      return [
        code(event),
        cell(code(payloadText(schema))) + note,
        doc.reply,
        (doc.errors as string[]).map(code).join(", "),
        String(EventCost[event as keyof typeof inboundSchemas] ?? DefaultEventCost),
      ];
    });
  const broadcasts = Object.entries(broadcastDocs)
    .filter(([, doc]) => doc.group === group)
    .map(([event, doc]) => [code(event), doc.payload, doc.to]);
  const parts: string[] = [];
  if (requests.length) parts.push(table(["request", "payload", "reply `data`", "errors", "cost"], requests));
  if (broadcasts.length) parts.push(table(["server event", "payload", "to, and when"], broadcasts));
  return parts.join("\n\n");
}

function errorBlock(): string {
  return table(
    ["code", "meaning"],
    Object.values(ErrorCode).map((name) => [code(name), errorDocs[name]]),
  );
}

/** Every generated block by marker name. */
export function blocks(): Map<string, string> {
  const groups = new Set(
    [...Object.values(requestDocs), ...Object.values(broadcastDocs)].map((d) => d.group),
  );
  const result = new Map<string, string>([["error-codes", errorBlock()]]);
  for (const group of groups) result.set(`events:${group}`, groupBlock(group));
  return result;
}

const MARKER = /<!-- generated:([a-z:-]+):start -->\n[\s\S]*?<!-- generated:\1:end -->/g;

const BIOME = path.resolve(import.meta.dirname, "../node_modules/@biomejs/biome/bin/biome");

/** Biome formats Markdown too (aligned tables); the generated file must already pass `npm run lint`. */
function formatted(markdown: string): string {
  const result = spawnSync(process.execPath, [BIOME, "format", `--stdin-file-path=${DOC}`], {
    input: markdown,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`biome could not format docs/protocol.md:\n${result.stderr}`);
  return result.stdout;
}

/** The document with every block regenerated; throws when a block has no marker or vice versa. */
export function regenerate(text: string): string {
  const generated = blocks();
  const seen = new Set<string>();
  const output = text.replace(MARKER, (_match, name: string) => {
    const block = generated.get(name);
    if (block === undefined) throw new Error(`docs/protocol.md has a marker for unknown block "${name}"`);
    seen.add(name);
    return `<!-- generated:${name}:start -->\n<!-- Generated by npm run docs:protocol from packages/protocol; edit there. -->\n${block}\n<!-- generated:${name}:end -->`;
  });
  const missing = [...generated.keys()].filter((name) => !seen.has(name));
  if (missing.length) {
    throw new Error(
      `docs/protocol.md has no markers for: ${missing.map((n) => `generated:${n}`).join(", ")}`,
    );
  }
  return formatted(output);
}

export const SCHEMAS = path.resolve(import.meta.dirname, "../docs/protocol-schemas.json");

/**
 * Every inbound event's payload as JSON Schema (draft 2020-12, zod's own output), for clients in
 * other languages. The output side: limits apply after the server trims; defaulted fields may be
 * left out. Formatted as biome formats JSON, so lint passes on it.
 */
export function schemasJson(): string {
  const events = Object.fromEntries(
    Object.entries(inboundSchemas).map(([event, schema]) => [
      event,
      schema === emptyPayload
        ? { description: "no payload: send none, null or {}" }
        : z.toJSONSchema(schema as z.ZodType, { io: "output", unrepresentable: "any" }),
    ]),
  );
  const result = spawnSync(process.execPath, [BIOME, "format", `--stdin-file-path=${SCHEMAS}`], {
    input: JSON.stringify({ $comment: "Generated by npm run docs:protocol; do not edit.", events }),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`biome could not format the schemas:\n${result.stderr}`);
  return result.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outputs: [string, string][] = [
    [DOC, regenerate(fs.readFileSync(DOC, "utf8"))],
    [SCHEMAS, schemasJson()],
  ];
  const stale = outputs.filter(
    ([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text,
  );
  const names = stale.map(([file]) => path.relative(process.cwd(), file)).join(", ");
  if (process.argv.includes("--check")) {
    if (stale.length) {
      console.error(`${names} out of date: run npm run docs:protocol`);
      process.exit(1);
    }
    console.log("the protocol reference is up to date");
  } else {
    for (const [file, text] of stale) fs.writeFileSync(file, text);
    console.log(stale.length ? `regenerated ${names}` : "the protocol reference was already up to date");
  }
}
