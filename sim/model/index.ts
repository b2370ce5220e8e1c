export * from "./profiles.js";
export * from "./workload.js";
export * from "./footprint.js";
export * from "./host.js";
export * from "./startup.js";
export * from "./layer-cache.js";
export * from "./load.js";
export * from "./running.js";
