import * as r from "@resvg/resvg-js";
console.log(Object.keys(r));
