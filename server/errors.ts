// Domain errors: services throw these; each door (tRPC, REST, MLflow) maps them in one place.
export type DomainErrorCode = "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "INVALID" | "PRECONDITION_FAILED" | "UNAUTHORIZED" | "TOO_LARGE" | "UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found`);
  }
}
export class Conflict extends DomainError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}
export class Forbidden extends DomainError {
  constructor(message = "You do not have permission to do this") {
    super("FORBIDDEN", message);
  }
}
export class Invalid extends DomainError {
  constructor(message: string, details?: unknown) {
    super("INVALID", message, details);
  }
}
export class PreconditionFailed extends DomainError {
  constructor(message: string) {
    super("PRECONDITION_FAILED", message);
  }
}
export class Unauthorized extends DomainError {
  constructor(message = "Sign in or send a valid API token") {
    super("UNAUTHORIZED", message);
  }
}
export class TooLarge extends DomainError {
  constructor(message: string) {
    super("TOO_LARGE", message);
  }
}

/** The database cannot answer now (down, unreachable, too slow); clients should retry after a pause. */
export class Unavailable extends DomainError {
  constructor(message = "The database is not answering; retry in a few seconds") {
    super("UNAVAILABLE", message);
  }
}

/** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

// SQLSTATE classes and codes that mean "the database cannot serve now", not "this request is wrong":
// connection exceptions (08), insufficient resources (53), operator intervention (57: shutdown,
// cannot connect now, statement timeout / query cancelled).
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection timeout|Cannot use a pool after calling end/i;

/** True when `err` (or any error in its cause chain) says the database is unreachable or timed out. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DomainError) return e.code === "UNAVAILABLE";
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_NODE_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE.test(code)))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** Domain errors pass through; a database outage becomes `Unavailable`; anything else is left as is. */
export function classifyError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  return isDatabaseUnavailable(err) ? new Unavailable() : err;
}

/** HTTP status per domain code: the single table REST and MLflow doors use. */
export const httpStatusFor: Record<DomainErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  INVALID: 400,
  PRECONDITION_FAILED: 412,
  UNAUTHORIZED: 401,
  TOO_LARGE: 413,
  UNAVAILABLE: 503,
};
