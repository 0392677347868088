// Reads a V8 .cpuprofile (node --cpu-prof) and names where the self time went: by function and by
// package, so the next hotspot is visible without opening a profiler.
import fs from "node:fs";

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(["(idle)", "(root)"]);

function packageOf(url: string): string {
  if (!url) return "(native / V8)";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith("node:")) return "node core";
  const app = /(apps\/server\/src\/[^/]+)/.exec(url);
  return app ? app[1]! : url.replace(/^file:\/\//, "");
}

export function summarizeProfile(file: string, top = 15): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Starting the profiler is itself sampled (under node:inspector): not the server's work.
  const ignored = new Set<number>();
  const ignore = (node: ProfileNode) => {
    ignored.add(node.id);
    for (const child of node.children ?? []) ignore(byId.get(child)!);
  };
  for (const node of profile.nodes) if (node.callFrame.url === "node:inspector") ignore(node);
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (IDLE.has(frame.functionName) || ignored.has(id)) continue;
    total += us;
    const where = frame.url
      ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(apps|tests)\//, "$1/")}:${frame.lineNumber + 1}`
      : "";
    const name = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const pkg = packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, us]) =>
          `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
      );
  return [
    `busy CPU in the profile: ${(total / 1000).toFixed(0)} ms`,
    "top self time by function:",
    ...lines(byFunction),
    "top self time by package:",
    ...lines(byPackage),
  ].join("\n");
}
