/**
 * The HTTP plumbing under the admin's API clients (client.ts). Every request is
 * same-origin (`/api/...` for the REST API, `/chat/...` for the chat service; the dev
 * server and nginx proxy both), sends the session cookie, and adds the CSRF token to
 * mutations. Failures become `ApiError`, carrying the platform's error body
 * `{ requestId, statusCode, error, message, details? }` so screens can show it as is.
 */
import type { Middleware } from "openapi-fetch";

export interface ApiErrorBody {
  requestId?: string;
  statusCode?: number;
  error?: string;
  message?: string;
  details?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly code: string | undefined;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message || body.error || `Request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.requestId = body.requestId;
    this.code = body.error;
    this.details = body.details;
  }

  /** Field errors from a validation failure, as "field: message" lines. */
  fieldMessages(): string[] {
    const d = this.details as unknown;
    const list = Array.isArray(d) ? d : d && typeof d === "object" && Array.isArray((d as { issues?: unknown }).issues) ? (d as { issues: unknown[] }).issues : [];
    return list
      .map((item) => {
        if (!item || typeof item !== "object") return null;
        const i = item as { path?: unknown; field?: unknown; message?: unknown };
        const path = Array.isArray(i.path) ? i.path.join(".") : typeof i.field === "string" ? i.field : typeof i.path === "string" ? i.path : "";
        return typeof i.message === "string" ? (path ? `${path}: ${i.message}` : i.message) : null;
      })
      .filter((x): x is string => !!x);
  }
}

let csrfToken: string | null = null;
/** The API hands the CSRF token out with the session; mutations echo it in a header. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

function csrfFromCookie(): string | null {
  if (typeof document === "undefined") return null;
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name && /csrf/i.test(name)) return decodeURIComponent(rest.join("="));
  }
  return null;
}

export function mutationHeaders(): Record<string, string> {
  const token = csrfToken ?? csrfFromCookie();
  return token ? { "x-csrf-token": token } : {};
}

/** Listeners told when any request answers 401, so the app can return to the login screen. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let body: ApiErrorBody;
  try {
    body = JSON.parse(text) as ApiErrorBody;
  } catch {
    body = { message: response.status >= 500 ? "The server could not complete the request. Please try again." : text.slice(0, 300) || response.statusText };
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    body.message ??= "The service is unavailable right now. Please try again in a moment.";
  }
  return new ApiError(response.status, body);
}

/** The ApiError for a failed answer; a 401 also tells the listeners the session is gone. */
export async function failed(response: Response): Promise<ApiError> {
  const error = await toApiError(response);
  if (response.status === 401) for (const l of unauthorizedListeners) l();
  return error;
}

const NETWORK_ERROR = "Could not reach the server. Check your connection and try again.";

/**
 * The same plumbing for the openapi-fetch clients (client.ts): JSON accepted, the CSRF
 * header on mutations, a failed answer thrown as an ApiError, a network failure explained.
 */
export const plumbing: Middleware = {
  onRequest({ request }) {
    if (!request.headers.has("accept")) request.headers.set("accept", "application/json");
    if (request.method !== "GET" && request.method !== "HEAD") for (const [k, v] of Object.entries(mutationHeaders())) request.headers.set(k, v);
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await failed(response);
    return undefined;
  },
  onError({ error }) {
    if (error instanceof Error && error.name === "AbortError") return error;
    return new ApiError(0, { message: NETWORK_ERROR });
  },
};

/**
 * Upload with progress: fetch() cannot report upload progress, XMLHttpRequest can.
 */
export function uploadWithProgress<T>(url: string, form: FormData, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    for (const [k, v] of Object.entries(mutationHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        headers: { "content-type": xhr.getResponseHeader("content-type") ?? "application/json" },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } else {
        void toApiError(response).then(reject);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { message: "The upload was interrupted. Check your connection and try again." }));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
