import {
  type Ack,
  type ErrorBody,
  ErrorCode,
  DefaultEventCost,
  EventCost,
  fail,
  type InboundEvent,
  inboundSchemas,
  Limits,
  ok,
} from "@rally/protocol";
import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Metrics } from "../ops/metrics.js";
import type { IoSocket } from "../types.js";
import { isUnavailable } from "../ops/unavailable.js";
import { AppError } from "./app-error.js";
import type { SocketBudget } from "./budget.js";
import { inspectPayload } from "./inspect.js";
import type { TurnScheduler } from "./turns.js";

type PayloadOf<E extends InboundEvent> = z.output<(typeof inboundSchemas)[E]>;

export interface HandlerContext {
  /** The sending socket: per-socket values (its game server, its user) are read from it. */
  socket: IoSocket;
  userId: string;
  username: string;
}

export type Handler<E extends InboundEvent> = (payload: PayloadOf<E>, ctx: HandlerContext) => unknown;

export interface Logger {
  error(obj: object, msg: string): void;
}

/** Turns a zod failure into invalid_payload naming the first offending field. */
function invalidPayload(error: z.ZodError): Ack<never> {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : "payload";
  return fail(ErrorCode.invalid_payload, `${field}: ${issue?.message ?? "invalid"}`, field);
}

/**
 * The listener for one event, with the ack discipline every event follows: the payload is
 * validated by its protocol schema, the handler's return value becomes `{ ok: true, data }`, an
 * AppError becomes its code, and anything else becomes `internal` with nothing leaked. Exactly one
 * reply goes out when the client passed a callback; a one-way emit just runs the handler. The
 * socket is `this` (Socket.IO calls listeners on the socket), so one listener serves every socket.
 */
export function listener<E extends InboundEvent>(event: E, handler: Handler<E>, log: Logger) {
  const schema = inboundSchemas[event] as z.ZodType;
  const run = async (socket: Socket, payload: unknown): Promise<Ack<unknown>> => {
    try {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return invalidPayload(parsed.error);
      const data = await handler(parsed.data as PayloadOf<E>, {
        socket: socket as IoSocket,
        userId: socket.data.userId,
        username: socket.data.username,
      });
      return ok(data === undefined ? null : data);
    } catch (error) {
      if (error instanceof AppError) {
        const refused = fail(error.code, error.message, error.field);
        if (error.retryAfterMs !== undefined) refused.error.retryAfterMs = error.retryAfterMs;
        return refused;
      }
      if (isUnavailable(error)) return fail(ErrorCode.unavailable, "The server is busy, try again shortly");
      log.error({ err: error, event, userId: socket.data.userId }, "handler failed");
      return fail(ErrorCode.internal, "Something went wrong on the server. Please try again.");
    }
  };
  return async function (this: Socket, ...args: unknown[]) {
    const maybeAck = args[args.length - 1];
    const ack = typeof maybeAck === "function" ? (maybeAck as (reply: Ack<unknown>) => void) : null;
    const reply = await run(this, ack ? args.slice(0, -1)[0] : args[0]);
    try {
      ack?.(reply);
    } catch (error) {
      log.error({ err: error, event, userId: this.data.userId }, "reply not sent");
    }
  };
}

/** Registers one request handler on one socket (see `listener`). */
export function handle<E extends InboundEvent>(
  socket: Socket,
  event: E,
  handler: Handler<E>,
  log: Logger,
): void {
  socket.on(event as string, listener(event, handler, log));
}

export type HandlerTable = { [E in InboundEvent]?: Handler<E> };

/**
 * A namespace's handlers, turned into listeners once: the returned function only adds those
 * shared listeners to a socket, so a connection costs no closures per event. Handlers get the
 * socket in their context.
 */
export function handlers(table: HandlerTable, log: Logger): (socket: Socket) => void {
  const listeners = (Object.keys(table) as InboundEvent[]).map(
    (event) => [event, listener(event, table[event] as Handler<typeof event>, log)] as const,
  );
  return (socket) => {
    for (const [event, fn] of listeners) socket.on(event, fn);
  };
}

type Refusal = { ok: false; error: ErrorBody };

/** What reading a packet over the size limit cost (Socket.IO parsed up to 1 MB of JSON). */
const OVERSIZE_COST = 20;

const namespaceLabel = (socket: Socket) =>
  socket.nsp.name.startsWith("/servers/") ? "/servers/*" : socket.nsp.name;

/** Cuts the socket once it has collected too many refusals; the current reply still goes out. */
function strike(socket: Socket, budget: SocketBudget): void {
  if (budget.strike(Date.now())) setImmediate(() => socket.disconnect());
}

function rateLimited(retryAfterMs: number): Refusal {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    ok: false,
    error: {
      code: ErrorCode.rate_limited,
      message: `Too many requests: try again in ${seconds} s`,
      retryAfterMs,
    },
  };
}

/**
 * Why this packet must not reach its handler, or null. Every packet is charged to the budgets,
 * even an unknown or oversized one (those cost little, or the parsing they caused), so no kind
 * of packet can be sent without limit; refusals for size, depth and budget count as strikes.
 */
function refusal(
  socket: Socket,
  event: string,
  args: unknown[],
  budget: SocketBudget,
  metrics: Metrics,
): Refusal | null {
  const known = socket.listenerCount(event) > 0;
  const verdict = inspectPayload(args, Limits.maxPayloadBytes, Limits.maxPayloadDepth);
  const cost =
    (known ? (EventCost[event as InboundEvent] ?? DefaultEventCost) : 1) +
    (verdict === "too_large" ? OVERSIZE_COST : 0);
  const charge = budget.charge(cost, Date.now());
  if (!charge.ok) {
    metrics.rateLimited.inc({ event: known ? event : "unknown" });
    if (charge.disconnect) setImmediate(() => socket.disconnect());
    return rateLimited(charge.retryAfterMs);
  }
  if (!known) {
    metrics.unknownEvents.inc({ namespace: namespaceLabel(socket) });
    return fail(ErrorCode.unknown_event, `No handler for event "${event}" on ${socket.nsp.name}`);
  }
  if (verdict === "too_large") {
    metrics.oversizedPayloads.inc();
    strike(socket, budget);
    return fail(ErrorCode.payload_too_large, `Payload over ${Limits.maxPayloadBytes} bytes`);
  }
  if (verdict === "too_deep") {
    strike(socket, budget);
    return fail(ErrorCode.invalid_payload, `payload: nested deeper than ${Limits.maxPayloadDepth} levels`);
  }
  if (verdict === "bad_text") {
    strike(socket, budget);
    return fail(ErrorCode.invalid_payload, "payload: text must be valid Unicode without NUL characters");
  }
  return null;
}

/**
 * Runs before any handler for every inbound packet, and never throws whatever the packet holds.
 * Unknown events are discarded (as the seed says) but a callback still gets `unknown_event`, so no
 * sender hangs; oversized or over-deep payloads are refused before any handler reads them; every
 * packet's cost is charged to the socket's and the user's budgets (rate_limited when short), and
 * a socket that keeps collecting refusals is disconnected.
 */
export function guardInbound(
  socket: Socket,
  metrics: Metrics,
  budget: SocketBudget,
  log: Logger,
  turns: TurnScheduler,
): void {
  socket.use((packet, next) => {
    let ack: ((reply: Ack<never>) => void) | null = null;
    let reply: Refusal | null;
    try {
      const [event, ...args] = packet as [unknown, ...unknown[]];
      const last = args[args.length - 1];
      if (typeof last === "function") ack = last as (reply: Ack<never>) => void;
      reply =
        typeof event === "string"
          ? refusal(socket, event, args, budget, metrics)
          : fail(ErrorCode.unknown_event, "The event name must be a string");
    } catch (error) {
      log.error({ err: error, userId: socket.data.userId }, "inbound guard failed");
      reply = fail(ErrorCode.invalid_payload, "payload: could not be read");
    }
    if (reply === null && turns.run(next)) return;
    if (reply === null) {
      metrics.busyRefusals.inc();
      reply = fail(ErrorCode.unavailable, "The server is busy, try again shortly");
    }
    try {
      ack?.(reply);
    } catch (error) {
      log.error({ err: error, userId: socket.data.userId }, "inbound refusal not sent");
    }
  });
}
