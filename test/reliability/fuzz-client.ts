/** Counting HTTP client, table snapshots and form scraping for the fuzz run (test/reliability/fuzz.ts). */
import { decodeHTML } from 'entities';
import pg from 'pg';
import { describe } from './fuzz-arbitraries.js';

export interface AreaStats {
  cases: number;
  requests: number;
  status_counts: Record<string, number>;
  five_xx: number;
  partial_writes: number;
  job_errors: number;
  failures: number;
}

export interface Failure {
  area: string;
  kind: '5xx' | 'partial_write' | 'crash' | 'job_error' | 'no_answer';
  detail: string;
  input?: string;
}

export class FuzzStats {
  readonly areas = new Map<string, AreaStats>();
  readonly problems: Failure[] = [];
  crashes = 0;

  area(name: string): AreaStats {
    let stats = this.areas.get(name);
    if (!stats) {
      stats = {
        cases: 0,
        requests: 0,
        status_counts: {},
        five_xx: 0,
        partial_writes: 0,
        job_errors: 0,
        failures: 0,
      };
      this.areas.set(name, stats);
    }
    return stats;
  }

  totals() {
    const status_counts: Record<string, number> = {};
    let cases = 0;
    let requests = 0;
    let fiveXx = 0;
    let partial = 0;
    let jobErrors = 0;
    for (const stats of this.areas.values()) {
      cases += stats.cases;
      requests += stats.requests;
      fiveXx += stats.five_xx;
      partial += stats.partial_writes;
      jobErrors += stats.job_errors;
      for (const [status, count] of Object.entries(stats.status_counts))
        status_counts[status] = (status_counts[status] ?? 0) + count;
    }
    return {
      cases,
      requests,
      status_counts,
      five_xx: fiveXx,
      partial_writes: partial,
      job_errors: jobErrors,
    };
  }
}

export interface Answer {
  status: number;
  text: string;
  location: string | null;
}

/** One fuzz area's view: requests counted, 5xx and lost answers noted as problems of the current case. */
export class AreaClient {
  /** Problems of the case being run (the property fails when any). */
  problems: string[] = [];

  constructor(
    readonly name: string,
    private readonly stats: FuzzStats,
    private readonly baseUrl: string,
    private readonly session: { cookie: string; csrf: string },
  ) {}

  startCase(): void {
    this.problems = [];
    this.stats.area(this.name).cases += 1;
  }

  /** A request as the signed-in owner (cookie and CSRF token), or anonymous with `anonymous`. */
  async send(path: string, init: RequestInit & { anonymous?: boolean } = {}): Promise<Answer | null> {
    const stats = this.stats.area(this.name);
    stats.requests += 1;
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (!init.anonymous) {
      headers['cookie'] = this.session.cookie;
      if (init.method && init.method !== 'GET' && headers['x-csrf-token'] === undefined)
        headers['x-csrf-token'] = this.session.csrf;
    }
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      const key = String(response.status);
      stats.status_counts[key] = (stats.status_counts[key] ?? 0) + 1;
      if (response.status >= 500) {
        stats.five_xx += 1;
        this.problems.push(
          `5xx: ${init.method ?? 'GET'} ${path.slice(0, 120)} answered ${response.status}: ${text.slice(0, 300)}`,
        );
      }
      return { status: response.status, text, location: response.headers.get('location') };
    } catch (error) {
      stats.status_counts['no_answer'] = (stats.status_counts['no_answer'] ?? 0) + 1;
      this.problems.push(`no answer: ${init.method ?? 'GET'} ${path.slice(0, 120)}: ${String(error)}`);
      return null;
    }
  }

  partialWrite(what: string): void {
    this.stats.area(this.name).partial_writes += 1;
    this.problems.push(`partial write: ${what}`);
  }

  jobError(what: string): void {
    this.stats.area(this.name).job_errors += 1;
    this.problems.push(`job error: ${what}`);
  }
}

/** Fingerprints of an organisation's rows in the named tables, to tell whether a refused request wrote. */
export class Snapshots {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }

  async take(orgId: string, tables: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const where =
        table === 'organisations'
          ? 'id = $1'
          : table === 'webhook_inbox'
            ? '$1::text is not null'
            : 'org_id = $1';
      const { rows } = await this.pool.query<{ hash: string; count: number }>(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash, count(*)::int as count from ${table} t where ${where}`,
        [orgId],
      );
      out[table] = `${rows[0]?.count}:${rows[0]?.hash}`;
    }
    return out;
  }

  /** Tables whose rows differ between two snapshots. */
  static changed(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys(before).filter((table) => before[table] !== after[table]);
  }

  query<T extends pg.QueryResultRow>(sql: string, values: unknown[]) {
    return this.pool.query<T>(sql, values);
  }

  close() {
    return this.pool.end();
  }
}

/** The fields of the form posting to `action` on an HTML page, as the browser would send them. */
export function scrapeForm(html: string, action: string): Array<[string, string]> | null {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attributes = match[1] ?? '';
    const formAction = decodeHTML(/\baction="([^"]*)"/.exec(attributes)?.[1] ?? '');
    if (formAction !== action) continue;
    const inner = match[2] ?? '';
    const fields: Array<[string, string]> = [];
    for (const element of inner.matchAll(/<(input|textarea|select)\b([^>]*)>([\s\S]*?<\/\1>)?/g)) {
      const [, tag, attrs = '', rest = ''] = element;
      const name = /\bname="([^"]*)"/.exec(attrs)?.[1];
      if (!name) continue;
      const value = decodeHTML(/\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? '');
      if (tag === 'input') {
        const type = /\btype="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
        if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(attrs)) continue;
        if (type === 'submit' && fields.some(([other]) => other === name)) continue;
        fields.push([decodeHTML(name), value]);
      } else if (tag === 'textarea') {
        fields.push([decodeHTML(name), decodeHTML(rest.replace(/<\/textarea>$/, ''))]);
      } else {
        const options = [...rest.matchAll(/<option\b([^>]*)>/g)].map((option) => option[1] ?? '');
        const chosen = options.find((option) => /\bselected\b/.test(option)) ?? options[0] ?? '';
        fields.push([decodeHTML(name), decodeHTML(/\bvalue="([^"]*)"/.exec(chosen)?.[1] ?? '')]);
      }
    }
    return fields;
  }
  return null;
}

export { describe };
