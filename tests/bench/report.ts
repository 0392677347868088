// Pairs the two systems' measurements into rows (median over repeats, ratio, spread) and prints
// them as one Markdown table that can be pasted into the README as is.
import { GOALS } from "./goals.js";
import type { Measurements } from "./scenarios.js";

export interface Run {
  n: number;
  rally: Measurements;
  baseline: Measurements;
}

export interface Row {
  scenario: string;
  metric: string;
  rally: number;
  baseline: number;
  ratio: number;
  n: number;
  spread: string;
  goal: string;
  met: boolean | null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ratioOf = (rally: number, baseline: number) =>
  baseline === 0 ? (rally === 0 ? 1 : Number.POSITIVE_INFINITY) : rally / baseline;

export function rowsOf(runs: Run[]): Row[] {
  const rows: Row[] = [];
  for (const n of [...new Set(runs.map((run) => run.n))]) {
    const mine = runs.filter((run) => run.n === n);
    for (const goal of GOALS) {
      if (!(goal.metric in mine[0]!.rally)) continue;
      const rally = median(mine.map((run) => run.rally[goal.metric]!));
      const baseline = median(mine.map((run) => run.baseline[goal.metric]!));
      const ratios = mine.map((run) => ratioOf(run.rally[goal.metric]!, run.baseline[goal.metric]!));
      const ratio = ratioOf(rally, baseline);
      rows.push({
        scenario: goal.scenario,
        metric: goal.metric,
        rally,
        baseline,
        ratio,
        n,
        spread: `${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}`,
        goal: goal.text,
        met: goal.met ? goal.met(ratio, rally) : null,
      });
    }
  }
  return rows;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function printTable(rows: Row[]): void {
  console.log("| scenario | metric | N | Rally | bare | ratio | spread of ratio | goal | met |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const met = row.met === null ? "" : row.met ? "yes" : "**no**";
    console.log(
      `| ${row.scenario} | ${row.metric} | ${row.n} | ${fmt(row.rally)} | ${fmt(row.baseline)} | ${fmt(row.ratio)}× | ${row.spread} | ${row.goal} | ${met} |`,
    );
  }
}
