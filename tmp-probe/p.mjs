import { compile } from "vega-lite";
import { View, parse, resetSVGDefIds } from "vega";
import * as vega from "vega";
console.log(typeof compile, typeof View, typeof parse, typeof resetSVGDefIds, Object.keys(vega).length);
