export { chooseHost, Placer, FILTERS, sortsLargestFirst, summarise, type Decision, type PlacementPolicy } from "./scheduler.js";
export type { Filter, PlacementRequest, Scorer } from "./types.js";
