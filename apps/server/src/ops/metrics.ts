import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** One registry per app instance, so several apps in one process (tests) never collide. */
export function createMetrics() {
  const registry = new Registry();
  const inboundQueuePeak = Object.assign(
    new Gauge({
      name: "rally_inbound_queue_peak",
      help: "Most inbound packets waiting for a later event-loop turn at once, since the last scrape",
      registers: [registry],
      collect() {
        this.set(inboundQueuePeak.source());
      },
    }),
    { source: (): number => 0 },
  );
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    unknownEvents: new Counter({
      name: "rally_unknown_events_total",
      help: "Inbound events with no handler, discarded",
      labelNames: ["namespace"] as const,
      registers: [registry],
    }),
    oversizedPayloads: new Counter({
      name: "rally_oversized_payloads_total",
      help: "Inbound events refused for their size",
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "rally_rate_limited_total",
      help: "Inbound events refused because the sender's budget was spent",
      labelNames: ["event"] as const,
      registers: [registry],
    }),
    inboundQueuePeak,
    busyRefusals: new Counter({
      name: "rally_busy_refusals_total",
      help: "Inbound events refused as unavailable because the turn queue was full",
      registers: [registry],
    }),
    connectedSockets: new Gauge({
      name: "rally_connected_sockets",
      help: "Open Socket.IO connections by namespace",
      labelNames: ["namespace"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
