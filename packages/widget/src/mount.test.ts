import { afterEach, describe, expect, it, vi } from "vitest";
import { mountWidget } from "./mount";

class MemoryStorage {
  private map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const sse = (...events: [string, unknown][]) =>
  new Response(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(""), { headers: { "content-type": "text/event-stream" } });

const flush = () => new Promise((r) => setTimeout(r, 0));

/** The events' data in the contract's shapes (@docent/contracts/chat-stream). */
const uuid = (n: number) => `8a4f2c1e-0000-4000-8000-${String(n).padStart(12, "0")}`;
const start = (conversationId: string) => ({ conversationId, messageId: uuid(1), userMessageId: uuid(2) });
const citation = { index: 1, chunkId: uuid(3), documentId: uuid(4), documentName: "manual.md", page: null, headingPath: [], score: 0.7, quote: "seven year warranty" };
const done = (conversationId: string, answer: string) => ({
  conversationId,
  messageId: uuid(1),
  answer,
  citations: [],
  extractive: true,
  refused: false,
  model: "extractive-v2",
  usage: { inputTokens: 0, outputTokens: 0 },
  latencyMs: 5,
});

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe("mountWidget", () => {
  it("opens from the launcher, answers a question with its sources, and shows hostile text as text", async () => {
    const transport = vi.fn(async () =>
      sse(["start", start("c1")], ["token", { text: "It is <b>seven</b> years [1]." }], ["citations", { citations: [citation] }], ["done", done("c1", "It is <b>seven</b> years [1].")]),
    );
    const storage = new MemoryStorage() as unknown as Storage;
    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: { headerText: "Help" }, transport, storage });
    const root = w.shadowRoot;
    const launcher = root.querySelector<HTMLButtonElement>(".launcher")!;
    expect(launcher.getAttribute("aria-expanded")).toBe("false");
    launcher.click();
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    expect(root.querySelector('[role="dialog"]')!.getAttribute("aria-labelledby")).toBeTruthy();
    const input = root.querySelector("textarea")!;
    input.value = "<script>alert(1)</script> warranty?";
    root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector(".msg.assistant .sources")).not.toBeNull());
    expect(transport).toHaveBeenCalledWith(expect.objectContaining({ message: "<script>alert(1)</script> warranty?" }), expect.anything());
    expect(root.querySelector(".msg.user")!.textContent).toBe("<script>alert(1)</script> warranty?");
    const answer = [...root.querySelectorAll(".msg.assistant")].at(-1)!;
    expect(answer.textContent).toContain("It is <b>seven</b> years");
    expect(root.querySelector(".log script, .log b")).toBeNull();
    expect(answer.querySelector("button.cite")!.getAttribute("aria-label")).toBe("Source 1: manual.md");
    // The conversation survives a reload (a new mount with the same storage).
    w.destroy();
    const again = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: {}, transport, storage });
    expect(again.shadowRoot.querySelector(".msg.user")!.textContent).toContain("warranty?");
    expect(JSON.parse(storage.getItem("docent-widget:bot123")!).conversationId).toBe("c1");
  });

  it("ends on the stored answer, and keeps neither a failed answer nor its conversation", async () => {
    const transport = vi
      .fn()
      .mockResolvedValueOnce(
        sse(["start", start("c-failed")], ["token", { text: "Half an ans" }], ["error", { requestId: "r1", statusCode: 502, error: "LLM_FAILED", message: "The model failed" }]),
      )
      .mockResolvedValueOnce(sse(["start", start("c2")], ["token", { text: "Seven years [1] [" }], ["done", done("c2", "Seven years [1].")]));
    const storage = new MemoryStorage() as unknown as Storage;
    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: {}, transport, storage, startOpen: true });
    const root = w.shadowRoot;
    const askQuestion = async (q: string) => {
      root.querySelector("textarea")!.value = q;
      root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
      await vi.waitFor(() => expect(root.querySelector("textarea")!.disabled).toBe(false));
      await flush();
    };
    const greetings = root.querySelectorAll(".msg.assistant").length;
    await askQuestion("first?");
    expect(root.querySelectorAll(".msg.assistant").length).toBe(greetings);
    expect(root.textContent).not.toContain("Half an ans");
    expect(root.querySelector(".msg.notice.error")!.textContent).toBe("The model failed");
    expect(JSON.parse(storage.getItem("docent-widget:bot123")!).conversationId).toBeUndefined();
    await askQuestion("second?");
    expect(transport.mock.calls[1]![0]).not.toHaveProperty("conversationId");
    expect([...root.querySelectorAll(".msg.assistant")].at(-1)!.textContent).toContain("Seven years");
    expect([...root.querySelectorAll(".msg.assistant")].at(-1)!.textContent).not.toContain("[1] [");
    expect(JSON.parse(storage.getItem("docent-widget:bot123")!).conversationId).toBe("c2");
  });

  it("shows the server's refusal and disables input when the site is not allowed", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ message: "This website is not allowed to use this assistant" }), { status: 403 })));
    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", storage: null });
    await vi.waitFor(() => expect(w.shadowRoot.querySelector(".msg.notice")).not.toBeNull());
    expect(w.shadowRoot.querySelector(".msg.notice")!.textContent).toBe("This website is not allowed to use this assistant");
    expect(w.shadowRoot.querySelector("textarea")!.disabled).toBe(true);
  });

  it("applies appearance updates live and closes on Escape", async () => {
    const w = mountWidget({ publicId: "p", apiBase: "https://x/chat", config: { primaryColor: "#2563eb" }, storage: null, startOpen: true });
    const root = w.shadowRoot.querySelector<HTMLElement>(".root")!;
    w.update({ primaryColor: "#e11d48", headerText: "Zephyr help", position: "bottom-left" });
    expect(root.style.getPropertyValue("--dw-primary")).toBe("#e11d48");
    expect(root.classList.contains("left")).toBe(true);
    expect(w.shadowRoot.querySelector("h2")!.textContent).toBe("Zephyr help");
    w.shadowRoot.querySelector(".panel")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect((w.shadowRoot.querySelector(".panel") as HTMLElement).hidden).toBe(true);
  });

  it("keeps nothing of an answer that \"New conversation\" cancelled", async () => {
    // The answer streams one token, then waits until the request is aborted.
    const transport = vi.fn(async (_request: unknown, signal: AbortSignal) => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(`event: start\ndata: ${JSON.stringify(start("c-old"))}\n\n`));
          controller.enqueue(encoder.encode(`event: token\ndata: ${JSON.stringify({ text: "partial" })}\n\n`));
          signal.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const storage = new MemoryStorage() as unknown as Storage;
    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: {}, transport, storage, startOpen: true });
    const root = w.shadowRoot;
    root.querySelector("textarea")!.value = "first?";
    root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.textContent).toContain("partial"));
    root.querySelector<HTMLButtonElement>('button[aria-label="Start a new conversation"]')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLButtonElement>("button.send")!.disabled).toBe(false));
    await flush();
    expect(root.textContent).not.toContain("partial");
    const stored = JSON.parse(storage.getItem("docent-widget:bot123") ?? "{}") as { messages?: unknown[]; conversationId?: string };
    expect(stored.messages ?? []).toEqual([]);
    expect(stored.conversationId).toBeUndefined();
  });

  it("offers 1-5 stars under answers only when the bot enables it, sends the visitor's rating and comment, and remembers it", async () => {
    const transport = vi.fn(async () => sse(["start", start("c1")], ["token", { text: "Seven years." }], ["done", done("c1", "Seven years.")]));
    const rater = vi.fn(async () => true);
    const storage = new MemoryStorage() as unknown as Storage;
    const ask = async (w: ReturnType<typeof mountWidget>) => {
      w.shadowRoot.querySelector("textarea")!.value = "warranty?";
      w.shadowRoot.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
      await vi.waitFor(() => expect(w.shadowRoot.querySelector("textarea")!.disabled).toBe(false));
      await flush();
    };
    const off = mountWidget({ publicId: "bot-off", apiBase: "https://x/chat", config: {}, transport, rater, storage, startOpen: true });
    await ask(off);
    expect(off.shadowRoot.querySelector(".stars")).toBeNull();
    off.destroy();

    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: { offerStars: true }, transport, rater, storage, startOpen: true });
    await ask(w);
    const root = w.shadowRoot;
    // The greeting is not an answer: only the real answer gets stars.
    expect(root.querySelectorAll(".stars")).toHaveLength(1);
    root.querySelector<HTMLButtonElement>('button[aria-label="4 of 5 stars"]')!.click();
    await vi.waitFor(() => expect(root.querySelector(".rating-comment")).not.toBeNull());
    const visitorId = JSON.parse(storage.getItem("docent-widget:bot123")!).visitorId as string;
    expect(rater).toHaveBeenLastCalledWith({ messageId: uuid(1), visitorId, stars: 4 });
    expect(root.querySelectorAll(".star.on")).toHaveLength(4);
    root.querySelector<HTMLInputElement>(".rating-comment input")!.value = "Clear answer";
    root.querySelector(".rating-comment")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(rater).toHaveBeenCalledTimes(2));
    expect(rater).toHaveBeenLastCalledWith({ messageId: uuid(1), visitorId, stars: 4, comment: "Clear answer" });

    // After a reload the stars show the visitor's rating again.
    w.destroy();
    const again = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: { offerStars: true }, transport, rater, storage });
    expect(again.shadowRoot.querySelectorAll(".star.on")).toHaveLength(4);
  });

  it("keeps the previous stars and says so when the rating cannot be sent", async () => {
    const transport = vi.fn(async () => sse(["start", start("c1")], ["done", done("c1", "Seven years.")]));
    const rater = vi.fn(async () => false);
    const w = mountWidget({ publicId: "b", apiBase: "https://x/chat", config: { offerStars: true }, transport, rater, storage: null, startOpen: true });
    w.shadowRoot.querySelector("textarea")!.value = "q?";
    w.shadowRoot.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(w.shadowRoot.querySelector(".stars")).not.toBeNull());
    w.shadowRoot.querySelector<HTMLButtonElement>('button[aria-label="2 of 5 stars"]')!.click();
    await vi.waitFor(() => expect(w.shadowRoot.querySelector(".rating-status")!.textContent).toBe("Your rating could not be sent."));
    expect(w.shadowRoot.querySelectorAll(".star.on")).toHaveLength(0);
  });

  it("offers a handoff to a person once a conversation exists, when the bot enables it, and sends it once", async () => {
    const transport = vi.fn(async () => sse(["start", start("c7")], ["token", { text: "Hello." }], ["done", done("c7", "Hello.")]));
    const handoff = vi.fn(async () => ({ ok: true as const }));
    const storage = new MemoryStorage() as unknown as Storage;
    const w = mountWidget({ publicId: "bot123", apiBase: "https://x/chat", config: { handoffEnabled: true }, transport, handoff, storage, startOpen: true });
    const root = w.shadowRoot;
    const button = root.querySelector<HTMLButtonElement>("button.handoff")!;
    expect(button.hidden).toBe(true);

    const input = root.querySelector("textarea")!;
    input.value = "My order is late";
    root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(button.hidden).toBe(false));

    button.click();
    await vi.waitFor(() => expect(button.textContent).toBe("A person has been asked"));
    expect(button.disabled).toBe(true);
    expect(handoff).toHaveBeenCalledTimes(1);
    expect(handoff).toHaveBeenCalledWith({ conversationId: "c7", visitorId: expect.any(String) });
    expect(root.textContent).toContain("a person from the team has been asked to follow up");

    // Not offered when the bot does not enable it.
    w.update({ handoffEnabled: false });
    expect(button.hidden).toBe(true);
  });
});
