import { type Ack, ErrorCode, fail, type InboundEvent, inboundSchemas, Limits, ok } from "@rally/protocol";
import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Metrics } from "../ops/metrics.js";
import { isUnavailable } from "../ops/unavailable.js";
import { AppError } from "./app-error.js";

type PayloadOf<E extends InboundEvent> = z.output<(typeof inboundSchemas)[E]>;

export interface HandlerContext {
  socket: Socket;
  userId: string;
  username: string;
}

export type Handler<E extends InboundEvent> = (payload: PayloadOf<E>, ctx: HandlerContext) => unknown;

interface Logger {
  error(obj: object, msg: string): void;
}

/** Turns a zod failure into invalid_payload naming the first offending field. */
function invalidPayload(error: z.ZodError): Ack<never> {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : "payload";
  return fail(ErrorCode.invalid_payload, `${field}: ${issue?.message ?? "invalid"}`, field);
}

/**
 * Registers a request handler with the ack discipline every event follows: the payload is
 * validated by its protocol schema, the handler's return value becomes `{ ok: true, data }`, an
 * AppError becomes its code, and anything else becomes `internal` with nothing leaked. Exactly one
 * reply goes out when the client passed a callback; a one-way emit just runs the handler.
 */
export function handle<E extends InboundEvent>(
  socket: Socket,
  event: E,
  handler: Handler<E>,
  log: Logger,
): void {
  const schema = inboundSchemas[event] as z.ZodType;
  socket.on(event as string, async (...args: unknown[]) => {
    const maybeAck = args[args.length - 1];
    const ack = typeof maybeAck === "function" ? (maybeAck as (reply: Ack<unknown>) => void) : null;
    const payload = ack ? args.slice(0, -1)[0] : args[0];
    let reply: Ack<unknown>;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply = invalidPayload(parsed.error);
    } else {
      try {
        const data = await handler(parsed.data as PayloadOf<E>, {
          socket,
          userId: socket.data.userId,
          username: socket.data.username,
        });
        reply = ok(data === undefined ? null : data);
      } catch (error) {
        if (error instanceof AppError) {
          reply = fail(error.code, error.message, error.field);
        } else if (isUnavailable(error)) {
          reply = fail(ErrorCode.unavailable, "The server is busy, try again shortly");
        } else {
          log.error({ err: error, event, userId: socket.data.userId }, "handler failed");
          reply = fail(ErrorCode.internal, "Something went wrong on the server. Please try again.");
        }
      }
    }
    ack?.(reply);
  });
}

function approximateSize(args: unknown[]): number {
  let size = 0;
  for (const arg of args) {
    if (typeof arg === "function") continue;
    if (typeof arg === "string") size += arg.length;
    else if (arg !== undefined) size += JSON.stringify(arg)?.length ?? 0;
  }
  return size;
}

/**
 * Runs before any handler for every inbound packet. Unknown events are discarded (as the seed
 * says) but a callback still gets `unknown_event`, so no sender hangs; oversized payloads are
 * refused with `payload_too_large` before any handler parses them.
 */
export function guardInbound(socket: Socket, metrics: Metrics): void {
  socket.use((packet, next) => {
    const [event, ...args] = packet as [string, ...unknown[]];
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (last as (reply: Ack<never>) => void) : null;
    if (socket.listeners(event).length === 0) {
      metrics.unknownEvents.inc({
        namespace: socket.nsp.name.startsWith("/servers/") ? "/servers/*" : socket.nsp.name,
      });
      ack?.(fail(ErrorCode.unknown_event, `No handler for event "${String(event)}" on ${socket.nsp.name}`));
      return;
    }
    if (approximateSize(args) > Limits.maxPayloadBytes) {
      metrics.oversizedPayloads.inc();
      ack?.(fail(ErrorCode.payload_too_large, `Payload over ${Limits.maxPayloadBytes} bytes`));
      return;
    }
    next();
  });
}
