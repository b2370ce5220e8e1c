/** Hard constraint: bare processes and containers share the host kernel, so one host runs one OS family's apps. */
import type { Filter } from "../types.js";

export const osCompatible: Filter = (host, req) =>
  host.sharesHostOs() && host.os !== undefined && host.os !== req.app.os ? `os conflict ${host.os}` : undefined;
