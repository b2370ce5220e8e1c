/**
 * Test helper: lays a Vega-Lite spec out with headless Vega and returns the drawn marks'
 * items (bars, points, texts) with their data and geometry, so tests can assert what a
 * chart actually shows, not only what its spec says.
 */

import { View, parse } from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

export interface SceneItem {
  /** Vega mark type: "rect", "symbol", "text", "rule", ... */
  readonly markType: string;
  /** Vega mark name, as Vega-Lite generates it: "concat_0_layer_0_marks" and the like. */
  readonly markName: string;
  readonly datum: Readonly<Record<string, unknown>>;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly text: unknown;
  readonly fill: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/** Every leaf item that carries a data row (axis and legend parts carry none of ours). */
export async function sceneItems(spec: TopLevelSpec): Promise<SceneItem[]> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    await view.runAsync();
    const items: SceneItem[] = [];
    const walk = (node: unknown, markType: string, markName: string): void => {
      if (!isRecord(node)) return;
      const isMark = typeof node["marktype"] === "string";
      const type = isMark ? String(node["marktype"]) : markType;
      const name = isMark ? String(node["name"] ?? "") : markName;
      const children = node["items"];
      if (Array.isArray(children)) {
        for (const child of children) walk(child, type, name);
      }
      const datum = node["datum"];
      if (markType !== "" && markType !== "group" && isRecord(datum)) {
        items.push({
          markType,
          markName,
          datum,
          x: num(node["x"]),
          y: num(node["y"]),
          width: num(node["width"]),
          height: num(node["height"]),
          text: node["text"],
          fill: node["fill"],
        });
      }
    };
    // Vega's typings model the scene loosely; the runtime object has a `root` group.
    const scene: unknown = view.scenegraph();
    walk(isRecord(scene) ? scene["root"] : undefined, "", "");
    return items;
  } finally {
    view.finalize();
  }
}
