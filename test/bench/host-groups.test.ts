import { describe, expect, it } from "vitest";
import { benchHostGroups } from "../../bench/host-groups.js";

describe("host groups bench", () => {
  it("runs every mode of the services case whole and as groups, and prints one row each and a total", async () => {
    const table = await benchHostGroups(["--groups-services=400"]);
    expect(table).toContain("400 services");
    const rows = table.split("\n").filter((l) => /^\| (bare|container|vm|microvm|\*\*total\*\*) /.test(l));
    expect(rows.map((r) => r.split("|")[1]!.trim())).toEqual(["bare", "container", "vm", "microvm", "**total**"]);
    for (const r of rows) expect(Number(/([\d.]+)x \|$/.exec(r)![1])).toBeGreaterThan(0);
  });
});
