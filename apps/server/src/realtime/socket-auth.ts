import type { IncomingMessage } from "node:http";
import { ConnectCost, type ErrorBody, ErrorCode, Namespaces } from "@rally/protocol";
import type { SessionService } from "../auth/sessions.js";
import type { Metrics } from "../ops/metrics.js";
import type { SocketLimits } from "../config.js";
import { isUnavailable } from "../ops/unavailable.js";
import { FloodGuard, type SocketBudget } from "./budget.js";
import { guardInbound, type Logger } from "./handle.js";
import { TurnScheduler } from "./turns.js";
import type { IoServer, IoSocket } from "../types.js";
import { personalRoom } from "../types.js";

/** A connect_error the client can read: `err.message` is the code, `err.data` explains. */
export function connectError(code: ErrorCode, message: string): Error & { data: object } {
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
 * Other connections of this user to the socket's namespace on this node, counting ones still in
 * handshake (a recovered socket is already back in its rooms: it does not count itself).
 */
function openConnections(socket: IoSocket, userId: string): number {
  const room = socket.nsp.adapter.rooms.get(personalRoom(userId));
  if (!room) return 0;
  return room.has(socket.id) ? room.size - 1 : room.size;
}

/**
 * Every namespace, present and future, authenticates the handshake before any handler runs,
 * caps the user's connections to it, and guards every inbound packet (unknown events, oversized
 * or over-deep payloads, the flood budget). A socket restored by connection state recovery comes
 * back with its old `socket.data` and rooms, so it is checked like any other: the session must
 * still be good (not logged out, not expired), name and role are read again (a demoted admin is
 * refused at `/admin`), and the token must be the same user's.
 */
export function installSocketAuth(
  io: IoServer,
  sessions: SessionService,
  metrics: Metrics,
  limits: SocketLimits,
  log: Logger,
  /** Why this player may not connect (a ban), or null. */
  refusal: (userId: string) => Promise<ErrorBody | null> = async () => null,
): FloodGuard {
  const guard = new FloodGuard({
    socket: limits.socketBudget,
    user: limits.userBudget,
    strikes: limits.floodStrikes,
    strikeWindowMs: limits.floodStrikeWindowMs,
  });
  const authenticate = async (socket: IoSocket, next: (err?: Error) => void) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      // Charged before the session lookup, so refused handshakes cost no query.
      const claims = sessions.claims(token);
      const wait = claims === null ? 0 : guard.chargeConnect(claims.sub, ConnectCost);
      if (wait > 0) {
        const error = connectError(ErrorCode.rate_limited, "Too many connections at once: try again shortly");
        Object.assign(error.data, { retryAfterMs: wait });
        return next(error);
      }
      const auth =
        claims &&
        (await sessions.authenticateClaims(claims, { fresh: socket.nsp.name === Namespaces.admin }));
      const restoredUser = socket.recovered ? socket.data.userId : undefined;
      if (!auth || (restoredUser !== undefined && restoredUser !== auth.user.id))
        return next(
          connectError(ErrorCode.unauthorized, "Sign in first: missing, invalid, expired or revoked token"),
        );
      const refused = await refusal(auth.user.id);
      if (refused) return next(connectError(refused.code, refused.message));
      // Checked and joined in one synchronous step, so concurrent handshakes cannot all slip in.
      if (openConnections(socket, auth.user.id) >= limits.maxSocketsPerUser) {
        return next(
          connectError(
            ErrorCode.too_many_connections,
            `At most ${limits.maxSocketsPerUser} ${limits.maxSocketsPerUser === 1 ? "connection" : "connections"} per player here: close another tab first`,
          ),
        );
      }
      socket.data = {
        userId: auth.user.id,
        username: auth.user.username,
        role: auth.user.role,
        sessionId: auth.sessionId,
      };
      socket.join(personalRoom(auth.user.id));
      next();
    } catch (error) {
      if (!isUnavailable(error)) log.error({ err: error }, "handshake check failed");
      next(
        isUnavailable(error)
          ? connectError(ErrorCode.unavailable, "The server is busy, try again shortly")
          : connectError(ErrorCode.internal, "Could not check the session, try again"),
      );
    }
  };
  // One disconnect listener for every socket (`this` is the socket), so a connection keeps no
  // closure for it; its budget is found beside the socket and goes with it.
  const budgets = new WeakMap<IoSocket, SocketBudget>();
  const label = (socket: IoSocket) =>
    socket.nsp.name.startsWith("/servers/") ? "/servers/*" : socket.nsp.name;
  function onDisconnect(this: IoSocket): void {
    metrics.connectedSockets.dec({ namespace: label(this) });
    const budget = budgets.get(this);
    if (budget) guard.release(budget);
  }
  const turns = new TurnScheduler(limits.turnSliceMs, limits.turnQueueLimit);
  metrics.inboundQueuePeak.source = () => turns.takePeak();
  const onConnection = (socket: IoSocket) => {
    metrics.connectedSockets.inc({ namespace: label(socket) });
    const budget = guard.open(socket.data.userId);
    budgets.set(socket, budget);
    // `on`, not `once` (which wraps the listener per socket): Socket.IO emits "disconnect" once.
    socket.on("disconnect", onDisconnect);
    guardInbound(socket, metrics, budget, log, turns);
  };
  io.use(authenticate);
  io.on("connection", onConnection);
  io.on("new_namespace", (nsp) => {
    nsp.use(authenticate);
    nsp.on("connection", onConnection);
  });
  return guard;
}
