/**
 * Every error code a Docent service answers with, and its one HTTP status. The table is
 * closed: a service can only throw a code listed here (AppError takes an `ErrorCode`), and
 * the status always follows from the code, so a client may switch on `error` alone. Add a
 * code here, with the status that fits it, before using it.
 */
export const errorStatuses = {
  // 400: the request itself is wrong
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_TOKEN: 400,
  UNSAFE_URL: 400,
  API_KEY_NOT_ALLOWED: 400,
  SYSTEM_MESSAGE_TOO_LONG: 400,
  SSO_CODE_REJECTED: 400,
  SSO_DENIED: 400,
  SSO_ID_TOKEN_INVALID: 400,
  SSO_NO_EMAIL: 400,
  SSO_NO_PENDING_LOGIN: 400,
  SSO_OTHER_BROWSER: 400,
  // 401: who is calling is unknown
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_API_KEY: 401,
  API_KEY_OWNER_INACTIVE: 401,
  // 402: the plan does not allow it
  QUOTA_EXCEEDED: 402,
  PLAN_UPGRADE_REQUIRED: 402,
  // 403: known, but not allowed
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  SESSION_REQUIRED: 403,
  API_KEY_REQUIRED: 403,
  ACCOUNT_SUSPENDED: 403,
  EMAIL_NOT_VERIFIED: 403,
  EMAIL_DOMAIN_NOT_ALLOWED: 403,
  INVITATION_FOR_ANOTHER_ADDRESS: 403,
  ORIGIN_NOT_ALLOWED: 403,
  PASSWORD_SIGNIN_DISABLED: 403,
  SSO_EMAIL_NOT_VERIFIED: 403,
  SSO_ISSUER_CHANGED: 403,
  SSO_LINK_OTHER_ACCOUNT: 403,
  SSO_LINK_SESSION_CHANGED: 403,
  // 404: not there, or not yours (never said which)
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONVERSATION_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  SSO_NO_PENDING_LINK: 404,
  SSO_UNKNOWN_PROVIDER: 404,
  MODEL_NOT_FOUND: 404,
  // other client errors Fastify or its plugins answer by status
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  LENGTH_REQUIRED: 411,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  // 409: conflicts with the current state
  CONFLICT: 409,
  ALREADY_MEMBER: 409,
  EMAIL_ALREADY_REGISTERED: 409,
  LAST_OWNER: 409,
  LAST_SIGN_IN_METHOD: 409,
  ORIGIN_EXISTS: 409,
  PLAN_EXISTS: 409,
  PLAN_INACTIVE: 409,
  PLAN_IS_DEFAULT: 409,
  PROMPT_ACTIVE: 409,
  BOT_DISABLED: 409,
  BOT_HAS_NO_DOCUMENTS: 409,
  EMBEDDING_MODEL_MISMATCH: 409,
  EVAL_RUN_ACTIVE: 409,
  EVAL_SET_EMPTY: 409,
  EVAL_SET_STALE: 409,
  LLM_NOT_CONFIGURED: 409,
  LLM_URL_REFUSED: 409,
  SSO_IDENTITY_IN_USE: 409,
  SSO_LINK_REQUIRED: 409,
  SSO_PROVIDER_ALREADY_LINKED: 409,
  SOURCE_CRAWL_RUNNING: 409,
  // 413, 415, 422: the content
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  EVAL_SET_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_FILE: 415,
  EMPTY_FILE: 422,
  ENCRYPTED_FILE: 422,
  CORRUPT_FILE: 422,
  // 429: too much, too fast
  RATE_LIMITED: 429,
  DAILY_BUDGET_EXHAUSTED: 429,
  // 500: this server's fault or configuration
  INTERNAL: 500,
  ENCRYPTION_NOT_CONFIGURED: 500,
  LLM_KEY_UNREADABLE: 500,
  EMBEDDING_KEY_UNREADABLE: 500,
  RERANK_KEY_UNREADABLE: 500,
  // 502: a provider behind us failed
  EMBEDDING_FAILED: 502,
  LLM_UNAVAILABLE: 502,
  SSO_PROVIDER_ERROR: 502,
  // 503: a dependency is down or a feature is off; worth retrying later where Retry-After says so
  SERVICE_UNAVAILABLE: 503,
  MAIL_UNAVAILABLE: 503,
  EVALS_UNAVAILABLE: 503,
  SSO_PROVIDER_UNAVAILABLE: 503,
} as const satisfies Record<string, 400 | 401 | 402 | 403 | 404 | 405 | 406 | 408 | 409 | 411 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 502 | 503>;

export type ErrorCode = keyof typeof errorStatuses;

export const errorCodes = Object.keys(errorStatuses) as ErrorCode[];
