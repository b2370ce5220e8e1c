/** Hard constraint: on bare metal, two versions of one runtime family (java@11, java@17) cannot share a host. */
import type { Filter } from "../types.js";

export const runtimeCompatible: Filter = (host, req) => {
  const rt = req.app.runtime;
  if (host.mode.kind !== "bare" || !rt) return undefined;
  const present = host.runtimes.get(rt.family);
  return present === undefined || present.version === rt.version ? undefined : `runtime conflict ${rt.family}@${present.version}`;
};
