/** openapi-typescript's programmatic API: an OpenAPI 3.1 document in, a .d.ts text out. */
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";

export async function renderTypes(doc: object): Promise<string> {
  const ast = await openapiTS(doc as Parameters<typeof openapiTS>[0], { alphabetize: false });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}
