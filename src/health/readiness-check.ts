// What `/readyz` asks of each dependency (the database, the job queue), whoever provides the check.
/**
 * What a check found. `ok: false` takes the instance out of rotation (503). `degraded` only reports
 * trouble this instance cannot fix by being out of rotation (work stuck in the shared queue): the
 * response stays 200 and says so, and `details` are added to the body (e.g. `stuckJobs`).
 */
export interface CheckOutcome {
  ok: boolean;
  degraded?: boolean;
  details?: Record<string, unknown>;
}

export interface ReadinessCheck {
  name: string;
  /** Resolves true (or an outcome with `ok`) when the dependency answers. */
  check(): Promise<boolean | CheckOutcome>;
}
