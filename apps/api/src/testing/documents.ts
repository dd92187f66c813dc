/** Request bodies for the documents routes' tests. */
import { randomBytes } from "node:crypto";

/**
 * A multipart/form-data body with one `file` field, as a browser sends an upload; `fields`
 * (e.g. metadata) go before the file.
 */
export function multipart(
  fileName: string,
  content: Buffer | string,
  contentType = "application/octet-stream",
  fields: Record<string, string> = {},
) {
  const boundary = `----docent${randomBytes(8).toString("hex")}`;
  const payload = Buffer.concat([
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
