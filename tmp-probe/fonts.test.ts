import { test } from "vitest";
import { textWidth } from "../sim/report/fonts.js";
test("w", () => {
  for (const c of ["a", " ", "M", "0", "·", "×", "…", "😀"]) console.log(JSON.stringify(c), textWidth(c, 2048), textWidth(c, 2048, true));
});
