import { z } from "zod";
import { Limits } from "./limits.js";

export const Role = { player: "player", admin: "admin" } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const credentialsSchema = z.object({
  username: z.string().regex(Limits.usernamePattern, "3 to 20 letters, digits or underscores"),
  password: z.string().min(Limits.passwordMin).max(Limits.passwordMax),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export interface UserRef {
  id: string;
  name: string;
}

export interface Me extends UserRef {
  role: Role;
  appearOffline: boolean;
}

export interface LoginReply {
  token: string;
  expiresAt: string;
  user: Me;
}

/** What the server keeps on every authenticated socket. Filled from the token only. */
export interface SocketData {
  userId: string;
  username: string;
  role: Role;
  sessionId: string;
}
