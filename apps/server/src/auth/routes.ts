import { credentialsSchema, type ErrorBody, ErrorCode, type LoginReply } from "@rally/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { httpError, parseBody } from "../http/errors.js";
import { FailedLogins } from "./failed-logins.js";
import { routeDocs } from "../http/route-docs.js";
import { verifyPassword } from "./passwords.js";
import { bearerToken } from "./sessions.js";
import { toMe } from "./store.js";

const INVALID_CREDENTIALS = { code: ErrorCode.invalid_credentials, message: "Wrong username or password" };

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { accounts, sessions, config } = ctx;
  const failedLogins = new FailedLogins();

  async function reply(user: Parameters<typeof toMe>[0] & { role: "player" | "admin" }): Promise<LoginReply> {
    const issued = await sessions.issue(user);
    return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: toMe(user) };
  }

  const tags = ["auth"];
  app.post(
    "/api/auth/register",
    {
      ...routeDocs({
        summary: "Create an account and sign in",
        tags,
        body: credentialsSchema,
        responses: { 201: "LoginReply", 400: "invalid_payload", 409: "username_taken", 429: "rate_limited" },
      }),
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

  const loginDocs = routeDocs({
    summary: "Sign in",
    tags,
    body: credentialsSchema,
    responses: {
      200: "LoginReply",
      400: "invalid_payload",
      401: "invalid_credentials",
      403: "banned (the message says until when and why)",
      429: "rate_limited",
    },
  });
  app.post(
    "/api/auth/login",
    { preHandler: loginLimits(app, config), ...loginDocs },
    async (request, response) => {
      const body = request.body as { username?: unknown; password?: unknown } | undefined;
      if (typeof body?.username !== "string" || typeof body.password !== "string") {
        parseBody(credentialsSchema, body);
      }
      const { username, password } = body as { username: string; password: string };
      const user = await accounts.findByName(username);
      const priority = !failedLogins.suspect(request.ip);
      const valid = await verifyPassword(user?.passwordHash ?? null, password, priority);
      if (!user || !valid) {
        failedLogins.failed(request.ip);
        return response.code(401).send({ error: INVALID_CREDENTIALS });
      }
      failedLogins.succeeded(request.ip);
      // Only after the password checked out: a ban's reason is for its owner.
      const refused = await ctx.moderation.refusal(user.id);
      if (refused) return response.code(403).send({ error: refused });
      return reply(user);
    },
  );

  const logoutDocs = routeDocs({
    summary: "Revoke this token and close its sockets",
    tags,
    auth: true,
    responses: { 204: "signed out", 401: "unauthorized" },
  });
  app.post("/api/auth/logout", { preHandler: ctx.requireUser, ...logoutDocs }, async (request, response) => {
    const { sessionId } = request.auth!;
    await ctx.sessions.revoke(sessionId);
    ctx.disconnectSession(sessionId);
    return response.code(204).send();
  });

  const meDocs = routeDocs({
    summary: "The signed-in player",
    tags,
    auth: true,
    responses: { 200: "Me", 401: "unauthorized", 403: "banned" },
  });
  app.get("/api/me", { preHandler: ctx.requireUser, ...meDocs }, async (request) => toMe(request.auth!.user));
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
export function requireUser(
  sessions: AppContext["sessions"],
  refusal: (userId: string) => Promise<ErrorBody | null> = async () => null,
) {
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
    const refused = await refusal(auth.user.id);
    if (refused) return response.code(403).send({ error: refused });
    request.auth = auth;
  };
}
