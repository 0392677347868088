import { credentialsSchema, ErrorCode, type LoginReply } from "@rally/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { httpError, parseBody } from "../http/errors.js";
import { verifyPassword } from "./passwords.js";
import { bearerToken } from "./sessions.js";
import { toMe } from "./store.js";

const INVALID_CREDENTIALS = { code: ErrorCode.invalid_credentials, message: "Wrong username or password" };

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { accounts, sessions, config } = ctx;

  async function reply(user: Parameters<typeof toMe>[0] & { role: "player" | "admin" }): Promise<LoginReply> {
    const issued = await sessions.issue(user);
    return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: toMe(user) };
  }

  app.post(
    "/api/auth/register",
    {
      // Every account costs an Argon2 hash and a row: a few per address and hour is plenty.
      config: { rateLimit: { max: config.limits.registerPerHour, timeWindow: 3_600_000 } },
    },
    async (request, response) => {
      const body = parseBody(credentialsSchema, request.body);
      const user = await accounts.createUser(body.username, body.password);
      if (!user) throw httpError(409, ErrorCode.username_taken, "That username is taken", "username");
      await ctx.audit("user.registered", user.id, user.id);
      return response.code(201).send(await reply(user));
    },
  );

  app.post("/api/auth/login", { preHandler: loginLimits(app, config) }, async (request, response) => {
    const body = request.body as { username?: unknown; password?: unknown } | undefined;
    if (typeof body?.username !== "string" || typeof body.password !== "string") {
      parseBody(credentialsSchema, body);
    }
    const { username, password } = body as { username: string; password: string };
    const user = await accounts.findByName(username);
    const valid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !valid) return response.code(401).send({ error: INVALID_CREDENTIALS });
    return reply(user);
  });

  app.post("/api/auth/logout", { preHandler: ctx.requireUser }, async (request, response) => {
    const { sessionId } = request.auth!;
    await ctx.sessions.revoke(sessionId);
    ctx.disconnectSession(sessionId);
    return response.code(204).send();
  });

  app.get("/api/me", { preHandler: ctx.requireUser }, async (request) => toMe(request.auth!.user));
}

/**
 * Two budgets, both checked before any hashing: per address whatever the usernames (one machine
 * trying many names), and per address and username (guessing one account's password).
 */
function loginLimits(app: FastifyInstance, config: AppContext["config"]) {
  const perAddress = app.createRateLimit({
    max: config.limits.loginPerIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `login|${request.ip}`,
  });
  const perName = app.createRateLimit({
    max: config.loginRateLimit.max,
    timeWindow: config.loginRateLimit.windowMs,
    keyGenerator: (request) => {
      const name = (request.body as { username?: unknown } | undefined)?.username;
      return `login|${request.ip}|${typeof name === "string" ? name.toLowerCase() : ""}`;
    },
  });
  return async (request: FastifyRequest, response: FastifyReply) => {
    for (const limit of [perAddress, perName]) {
      const outcome = await limit(request);
      if (!outcome.isAllowed && outcome.isExceeded) {
        response.header("retry-after", String(outcome.ttlInSeconds));
        throw httpError(429, ErrorCode.rate_limited, "Too many attempts, try again later");
      }
    }
  };
}

/** preHandler: sets request.auth from the bearer token or answers 401. */
export function requireUser(sessions: AppContext["sessions"]) {
  return async (request: FastifyRequest, response: FastifyReply) => {
    const auth = await sessions.authenticate(bearerToken(request.headers.authorization));
    if (!auth) {
      return response.code(401).send({
        error: {
          code: ErrorCode.unauthorized,
          message: "Sign in first: missing, invalid or expired token",
        },
      });
    }
    request.auth = auth;
  };
}
