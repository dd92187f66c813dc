/**
 * The admin's CSP has no 'unsafe-eval': zod must not probe for `new Function` (its JIT),
 * which a strict CSP reports as a violation even though zod catches the error. Imported
 * first by main.tsx, because shared schema modules parse at import time
 * (`@docent/db/json` builds its defaults with `parse`), before main's own code runs.
 */
import { config } from "zod";

config({ jitless: true });
