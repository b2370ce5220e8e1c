/**
 * Fluid resource sharing, the public face: resources with capacities, flows of work sharing them at
 * weighted max-min fair rates with caps, completions scheduled on a Simulation. No domain words here.
 */
export { FluidSharing } from "./fluid-sharing.js";
export { ReusedSpec, type MutableUse } from "./reused-spec.js";
export type { FlowId, FlowSpec, OnDone, ResourceId, SharingStats, Use } from "./types.js";
