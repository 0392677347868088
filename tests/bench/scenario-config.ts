// Shared by both servers under test and the orchestrator, so both serve the same shape of world.

/** One roomy game server: enough channels and seats that capacity never refuses a bench player. */
export const BENCH_SERVER = {
  slug: "bench",
  name: "Bench",
  region: "eu",
  channelCount: 10,
  channelCapacity: 5_000,
  maxPopulation: 100_000,
};

/** Channels the connect storm spreads players over; the join wave gathers them into two. */
export const STORM_CHANNELS = 10;
