import { Limits } from "@rally/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, request } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";
import { bystanders, chatRoundTrip, deepArrayJson, rawEmit, rawPacket } from "./helpers.js";

// Finding 1 of issue 9: one event nesting arrays ~5,000 deep under the 16 KiB limit killed the
// process (a recursive size check). Any reply is fine; a crash or a hang is not.
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  closeAll();
  closeServerSockets();
  await server.close();
});

async function stillServes(): Promise<void> {
  const [a, b] = await bystanders(server, 2);
  await chatRoundTrip(a!, [b!], `alive ${Math.random()}`);
  a!.socket.close();
  b!.socket.close();
}

describe("deeply nested payloads", () => {
  it("refuses 5,000 nested arrays just under 16 KiB with invalid_payload, and keeps serving", async () => {
    const attacker = await newPlayer(server);
    const json = `["channel:chat",${deepArrayJson(5_000)}]`;
    expect(json.length).toBeLessThan(Limits.maxPayloadBytes);
    const reply = await rawEmit(attacker.socket, json, 901);
    expect(reply?.[0]).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    // one-way, with no callback, on another namespace
    const social = await connect(server.url, attacker.login.token, "/");
    await rawEmit(social, `["friends:request",${deepArrayJson(5_000)}]`, null);
    const objects = '{"a":'.repeat(3_000) + "1" + "}".repeat(3_000);
    const objectReply = await rawEmit(social, `["friends:request",${objects}]`, 902);
    expect(objectReply?.[0]).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    expect((await request(social, "servers:list")).ok).toBe(true);
    await stillServes();
  });

  it("refuses 100,000 nested arrays (about 200 KiB) and a wide payload over 16 KiB", async () => {
    const attacker = await newPlayer(server);
    // The walk meets the depth bound long before it has measured the size.
    const deep = await rawEmit(attacker.socket, `["channel:join",${deepArrayJson(100_000)}]`, 903);
    expect(deep?.[0]).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    const wide = await rawEmit(attacker.socket, `["channel:chat",{"text":"${"x".repeat(20_000)}"}]`, 906);
    expect(wide?.[0]).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
    await stillServes();
  });

  it("allows the nesting depth of the limit and refuses one level more, as extra arguments too", async () => {
    const attacker = await newPlayer(server);
    const atLimit = await rawEmit(
      attacker.socket,
      `["channel:join",{"channel":1},${deepArrayJson(Limits.maxPayloadDepth)}]`,
      904,
    );
    expect(atLimit?.[0]).toMatchObject({ ok: true });
    const over = await rawEmit(
      attacker.socket,
      `["channel:join",{"channel":1},${deepArrayJson(Limits.maxPayloadDepth + 1)}]`,
      905,
    );
    expect(over?.[0]).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
  });

  it("survives deep nesting around binary attachments", async () => {
    const attacker = await newPlayer(server);
    let nested: unknown = Buffer.from([1, 2, 3]);
    for (let i = 0; i < 2_000; i++) nested = [nested];
    const reply = await request(attacker.socket, "channel:chat", nested, 3_000).catch((e: Error) => e);
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    await stillServes();
  });

  it("survives a binary packet whose attachment sits 50,000 levels deep", async () => {
    const attacker = await newPlayer(server);
    // Socket.IO's parser rebuilds attachments recursively and gives up on this packet (its
    // decoder errors are caught): only this connection is closed.
    const depth = 50_000;
    const placeholder = `${"[".repeat(depth)}{"_placeholder":true,"num":0}${"]".repeat(depth)}`;
    const closed = new Promise((resolve) => attacker.socket.io.engine.once("close", resolve));
    attacker.socket.io.engine.send(`51-/servers/eu-1,["channel:chat",${placeholder}]`);
    attacker.socket.io.engine.send(Buffer.from([1, 2, 3]));
    const outcome = await Promise.race([
      closed.then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("open"), 1_000)),
    ]);
    expect(outcome).toBe("closed");
    await stillServes();
  });

  it("survives a deeply nested handshake auth payload", async () => {
    const player = await newPlayer(server);
    // A CONNECT packet to /admin whose auth nests 5,000 arrays (socket.io-client cannot even encode it).
    const refused = await rawPacket(player.socket, `0/admin,{"token":${deepArrayJson(5_000)}}`, "4/admin,");
    expect(refused).toContain("unauthorized");
    await stillServes();
  });
});
