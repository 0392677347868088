import type { Socket } from "socket.io-client";
import type { Net } from "./client.js";

/** The message of a refused handshake (`connect_error` data), or its code. */
export function refusalText(error: Error): string {
  return (error as Error & { data?: { message?: string } }).data?.message ?? error.message;
}

/**
 * Mutes and bans, as the server tells the player: a mute is a toast with the reason; a ban signs
 * out at once, before the server cuts the connections, with until when and why.
 */
export function listenForSanctions(net: Net, socket: Socket): void {
  socket.on("account:muted", ({ reason, expiresAt }: { reason: string; expiresAt: string }) =>
    net.toast(`You are muted until ${new Date(expiresAt).toLocaleTimeString()}: ${reason}`, "bad"),
  );
  socket.on("account:unmuted", () => net.toast("You can chat again", "good"));
  socket.on("account:banned", ({ reason, expiresAt }: { reason: string; expiresAt: string | null }) => {
    const until = expiresAt ? `until ${new Date(expiresAt).toLocaleString()}` : "for good";
    net.signOutLocally(`You are banned ${until}: ${reason}`);
  });
}
