/** The query language parser and the timestamp quirks of the query string, without HTTP. */
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../emulators/quickbooks/faults.js';
import { parseQuery } from '../../emulators/quickbooks/query/parser.js';
import { isoDateTime, parseTimestamp } from '../../emulators/quickbooks/time.js';

describe('query parser', () => {
  it('reads what node-quickbooks generates', () => {
    expect(
      parseQuery(
        "select * from invoice where Balance > '0' and CustomerRef in ('1','2') and DocNumber = 'O\\'Brien' orderby DueDate desc startposition 1001 maxresults 1000",
      ),
    ).toEqual({
      select: '*',
      entity: 'invoice',
      where: [
        { field: 'Balance', op: '>', value: '0' },
        { field: 'CustomerRef', op: 'in', value: ['1', '2'] },
        { field: 'DocNumber', op: '=', value: "O'Brien" },
      ],
      orderBy: [{ field: 'DueDate', desc: true }],
      startPosition: 1001,
      maxResults: 1000,
    });
  });

  it('takes counts, projections, booleans, LIKE and mixed case keywords', () => {
    expect(parseQuery('SELECT COUNT(*) FROM Customer WHERE Active = false')).toMatchObject({
      select: 'count',
      where: [{ field: 'Active', op: '=', value: false }],
    });
    expect(
      parseQuery("Select Id, Balance From Invoice Where DisplayName Like 'Acme%' MaxResults 5"),
    ).toMatchObject({
      select: ['Id', 'Balance'],
      where: [{ op: 'like', value: 'Acme%' }],
      maxResults: 5,
    });
    expect(
      parseQuery("select * from Invoice where MetaData.LastUpdatedTime >= '2026-01-01T00:00:00-07:00'").where,
    ).toEqual([{ field: 'MetaData.LastUpdatedTime', op: '>=', value: '2026-01-01T00:00:00-07:00' }]);
  });

  it('rejects what QuickBooks rejects with a 4000 QueryParserError', () => {
    for (const bad of [
      'select * from Invoice where Balance > 0 or Balance < 5',
      'select * from Invoice where',
      "select * from Invoice where DocNumber = 'unterminated",
      'delete from Invoice',
      'select * from Invoice maxresults ten',
    ]) {
      let error: unknown;
      try {
        parseQuery(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(FaultError);
      expect((error as FaultError).errors[0]).toMatchObject({ code: '4000', Message: 'Error parsing query' });
    }
  });
});

describe('timestamps', () => {
  it('reads a + offset that arrived as a space (node-quickbooks does not encode changedSince)', () => {
    const expected = Date.parse('2026-03-02T18:00:00+01:00');
    expect(parseTimestamp('2026-03-02T18:00:00 01:00')).toBe(expected);
    expect(parseTimestamp('2026-03-02T18:00:00+01:00')).toBe(expected);
    expect(parseTimestamp('2026-03-02T17:00:00Z')).toBe(expected);
  });

  it('writes whole seconds with the company offset', () => {
    expect(isoDateTime(Date.parse('2026-03-02T17:00:00.789Z'))).toBe('2026-03-02T10:00:00-07:00');
  });
});
