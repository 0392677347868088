import { EventCost, inboundSchemas } from "@rally/protocol";
import { expect, it } from "vitest";

it("every inbound event has its own cost in the budget table", () => {
  const missing = Object.keys(inboundSchemas).filter((event) => !(event in EventCost));
  expect(missing, "add these events to EventCost in packages/protocol/src/costs.ts").toEqual([]);
  for (const cost of Object.values(EventCost)) expect(cost).toBeGreaterThan(0);
});
