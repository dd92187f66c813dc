import { compiledPackage } from "./src/tsdown.ts";

export default compiledPackage(new URL("./package.json", import.meta.url));
