import type { IncomingMessage } from "node:http";
import { type ErrorBody, ErrorCode } from "@rally/protocol";
import type { SessionService } from "../auth/sessions.js";
import type { Metrics } from "../ops/metrics.js";
import { guardInbound } from "./handle.js";
import type { IoServer, IoSocket } from "../types.js";
import { personalRoom, sessionRoom } from "../types.js";

/** A connect_error the client can read: `err.message` is the code, `err.data` explains. */
export function connectError(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(code), { data: { code, message } });
}

/**
 * Same-origin by default (the Origin must name the host the request was sent to), or the
 * configured list. A request with no Origin header is not from a browser page and is let through:
 * the check exists to stop other sites' pages from riding a player's browser.
 */
export function originAllowed(req: IncomingMessage, allowed: string[] | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed) return allowed.includes(origin);
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Every namespace, present and future, authenticates the handshake before any handler runs, and
 * guards every inbound packet (unknown events, oversized payloads).
 */
export function installSocketAuth(
  io: IoServer,
  sessions: SessionService,
  metrics: Metrics,
  refusal: (userId: string) => Promise<ErrorBody | null> = async () => null,
): void {
  const authenticate = async (socket: IoSocket, next: (err?: Error) => void) => {
    if (socket.data.userId) return next();
    try {
      const auth = await sessions.authenticate((socket.handshake.auth as { token?: unknown })?.token);
      if (!auth)
        return next(
          connectError(ErrorCode.unauthorized, "Sign in first: missing, invalid, expired or revoked token"),
        );
      const refused = await refusal(auth.user.id);
      if (refused) return next(connectError(refused.code, refused.message));
      socket.data = {
        userId: auth.user.id,
        username: auth.user.username,
        role: auth.user.role,
        sessionId: auth.sessionId,
      };
      socket.join([personalRoom(auth.user.id), sessionRoom(auth.sessionId)]);
      next();
    } catch {
      next(connectError(ErrorCode.internal, "Could not check the session, try again"));
    }
  };
  const onConnection = (socket: IoSocket) => {
    const label = socket.nsp.name.startsWith("/servers/") ? "/servers/*" : socket.nsp.name;
    metrics.connectedSockets.inc({ namespace: label });
    socket.once("disconnect", () => metrics.connectedSockets.dec({ namespace: label }));
    guardInbound(socket, metrics);
  };
  io.use(authenticate);
  io.on("connection", onConnection);
  io.on("new_namespace", (nsp) => {
    nsp.use(authenticate);
    nsp.on("connection", onConnection);
  });
}
