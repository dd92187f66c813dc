// The images' HEALTHCHECK: GET /readyz on the service's own port, healthy on 200.
// Usage: node healthcheck.mjs <PORT variable> <default port>; the variable is read at
// check time, so a PORT changed by the operator is followed.
const [variable = "PORT", fallback = "3000"] = process.argv.slice(2);
const port = process.env[variable] || fallback;
try {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
