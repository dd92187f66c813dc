import { compiledPackage } from "@docent/config/tsdown";

export default compiledPackage(new URL("./package.json", import.meta.url));
