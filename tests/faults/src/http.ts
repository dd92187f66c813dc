/** Small HTTP helpers for the fault tests (plain fetch against the service processes). */

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  ms: number;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // SSE and other text bodies stay strings.
  }
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}

/** Calls until `accept` holds; returns the accepted answer and when it came. */
export async function callUntil(
  attempt: () => Promise<Answer>,
  accept: (a: Answer) => boolean,
  timeoutMs = 30_000,
): Promise<Answer & { at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: Answer | undefined;
  for (;;) {
    try {
      last = await attempt();
      if (accept(last)) return { ...last, at: Date.now() };
    } catch {
      // The service may drop the connection while its dependency restarts.
    }
    if (Date.now() > deadline) throw new Error(`no accepted answer in ${timeoutMs} ms; last: ${JSON.stringify(last?.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a text/event-stream response event by event. */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(part, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      if (!data && event === "message") continue;
      let parsed: unknown = data;
      try {
        parsed = JSON.parse(data);
      } catch {
        // "[DONE]" stays a string
      }
      yield { event, data: parsed };
    }
  }
}
