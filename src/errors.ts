/** An error a service throws on purpose: it carries the status and a message meant for the caller. */
export class AppError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

/** The one "not found" (404) answer: `notFound('organisation')` is "No such organisation.". */
export function notFound(what: string): AppError {
  return new AppError(404, 'not_found', `No such ${what}.`);
}
