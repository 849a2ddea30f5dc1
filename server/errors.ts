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
