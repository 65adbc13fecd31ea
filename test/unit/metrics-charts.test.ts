import { describe, expect, it } from "vitest";
import { timeToAcceptChart, withinWindowChart } from "../../src/admin/metrics-charts.ts";

/** The bars of an SVG as [height, label text] pairs, read back from the markup. */
const bars = (svg: string) => [...svg.matchAll(/<rect [^>]*height="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [Number(m[1]), m[2]]);

describe("metrics charts", () => {
  it("draws the time-to-accept distribution with bar heights in proportion, and the same numbers as a table", () => {
    const chart = timeToAcceptChart([
      { upToSeconds: 300, leads: 10 },
      { upToSeconds: 900, leads: 5 },
      { upToSeconds: 3600, leads: 0 },
      { upToSeconds: null, leads: 2 },
    ]);
    expect(chart.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.svg.endsWith("</svg>")).toBe(true);
    const drawn = bars(chart.svg);
    expect(drawn.map(([, t]) => t)).toEqual(["≤ 5 min: 10", "≤ 15 min: 5", "≤ 1 h: 0", "longer: 2"]);
    const [tallest, half, none, small] = drawn.map(([h]) => h as number);
    expect(half! / tallest!).toBeCloseTo(0.5, 1);
    expect(none).toBe(0);
    expect(small! / tallest!).toBeCloseTo(0.2, 1);
    expect(chart.table).toEqual({ head: ["accepted within", "leads"], rows: [["≤ 5 min", "10"], ["≤ 15 min", "5"], ["≤ 1 h", "0"], ["longer", "2"]] });
  });

  it("draws the within-window share per week on a 0–100% axis; a week with nothing accepted is a dash in the table", () => {
    const chart = withinWindowChart([
      { week: "2026-W48", accepted: 8, withinWindow: 6 },
      { week: "2026-W49", accepted: 4, withinWindow: 4 },
      { week: "2026-W50", accepted: 0, withinWindow: 0 },
    ]);
    const drawn = bars(chart.svg);
    expect(drawn.map(([, t]) => t)).toEqual(["W48: 75%", "W49: 100%", "W50: 0%"]);
    expect((drawn[0]![0] as number) / (drawn[1]![0] as number)).toBeCloseTo(0.75, 2);
    expect(chart.table.rows).toEqual([
      ["2026-W48", "8", "6", "75%"],
      ["2026-W49", "4", "4", "100%"],
      ["2026-W50", "0", "0", "–"],
    ]);
  });

  it("escapes every text it writes and says so when there is nothing to draw", () => {
    const chart = withinWindowChart([{ week: '<script>"x"</script>', accepted: 1, withinWindow: 1 }]);
    expect(chart.svg).not.toContain("<script>");
    expect(chart.svg).toContain("&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
    expect(timeToAcceptChart([]).svg).toContain(">no data</text>");
  });
});
