/**
 * The key file behind DOCENT_ENCRYPTION_KEYS_FILE (the compose stack's `keys` one-shot):
 *
 *   encryption-keys.js ensure <file>   create the file with one new key unless it exists
 *   encryption-keys.js rotate <file>   put a new key first (it seals from now on); older
 *                                      keys stay in the ring, so stored secrets still open
 *
 * The file holds a key ring ("kid:base64,kid:base64"), mode 0600. Losing it makes every
 * stored BYOK key unreadable: back it up with the database.
 */
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { createLogger } from "@docent/config/logger";
import { generateKeyEntry, parseKeyRing } from "@docent/service-kit/crypto/secrets";

const log = createLogger({ service: "encryption-keys", level: "info" });
const [command, file = process.env.DOCENT_ENCRYPTION_KEYS_FILE] = process.argv.slice(2);

async function readRing(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function main(): Promise<number> {
  if ((command !== "ensure" && command !== "rotate") || !file) {
    process.stderr.write("usage: encryption-keys.js ensure|rotate <file>  (or set DOCENT_ENCRYPTION_KEYS_FILE)\n");
    return 64;
  }
  const existing = await readRing(file);
  if (existing !== undefined) {
    const ring = parseKeyRing(existing); // a damaged file stops here, naming the bad entry
    if (command === "ensure") {
      log.info({ file, keys: ring.keys.size, primaryKeyId: ring.primaryKeyId }, "encryption key file present");
      return 0;
    }
  }
  if (command === "ensure") {
    const entry = generateKeyEntry();
    // "wx": if another run created the file meanwhile, keep theirs.
    try {
      await writeFile(file, `${entry}\n`, { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return main();
      throw error;
    }
    log.info({ file, primaryKeyId: entry.split(":")[0] }, "generated a new encryption key file: back it up with the database");
    return 0;
  }
  const entry = generateKeyEntry();
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${[entry, existing].filter(Boolean).join(",")}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  log.info({ file, primaryKeyId: entry.split(":")[0] }, "rotated: new secrets are sealed with the new key; restart the services");
  return 0;
}

try {
  process.exit(await main());
} catch (error) {
  log.fatal({ file }, `encryption key file: ${(error as Error).message}`);
  process.exit(1);
}
