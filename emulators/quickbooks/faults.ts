/**
 * Error bodies in Intuit's shapes.
 *
 * - Validation and business errors: `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time"}`.
 * - Authentication (401) and authorisation (403) use a different, lowercase envelope seen in real responses, e.g.
 *   `{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200;
 *   statusCode=401","detail":"...","code":"3200","element":null}],"type":"AUTHENTICATION"},...,"time":1633520295688}`
 *   (github.com/routablehq/python-quickbooks/issues/250; 403/3100 with type SERVICE: intuit/oauth-jsclient#2).
 * - Throttling (429): code 3001, `message=ThrottleExceeded; errorCode=003001; statusCode=429`, Fault type SERVICE;
 *   Intuit has been seen answering it in XML even when JSON was asked (routablehq/python-quickbooks#43,
 *   ruckus/quickbooks-ruby#348). Intuit documents no Retry-After header ("wait 60 seconds before retrying",
 *   developer.intuit.com limits-and-throttles), so none is sent.
 * - Query syntax errors: code 4000 "Error parsing query" with a `QueryParserError: Encountered …` detail;
 *   unknown properties: code 4001 "Invalid query" with `QueryValidationError: …`.
 */
import { isoResponseTime } from './time.js';

export interface FaultBody {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

export interface FaultItem {
  Message: string;
  Detail?: string;
  code: string;
  element?: string;
}

/** Thrown by handlers; the API pipeline turns it into the HTTP answer. */
export class FaultError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly errors: FaultItem[],
  ) {
    super(errors[0]?.Message ?? type);
  }

  /** The `Fault` object (also used inside batch responses). */
  fault(): { Error: FaultItem[]; type: string } {
    return { Error: this.errors, type: this.type };
  }
}

export function validationFault(message: string, detail: string, code: string, element?: string): FaultError {
  const item: FaultItem = { Message: message, Detail: detail, code };
  if (element !== undefined) item.element = element;
  return new FaultError(400, 'ValidationFault', [item]);
}

export function objectNotFound(entity: string, id: string): FaultError {
  return validationFault(
    'Object Not Found',
    `Object Not Found : Something you're trying to use has been made inactive or deleted. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${id})`,
    '610',
  );
}

export function staleObject(): FaultError {
  return validationFault(
    'Stale Object Error',
    'Stale Object Error : You and QuickBooks User were working on this at the same time. QuickBooks User finished before you did, so your work was not saved.',
    '5010',
  );
}

export function requiredParam(element: string): FaultError {
  return validationFault(
    'Required param missing, need to supply the required value for the API',
    `Required parameter ${element} is missing in the request`,
    '2020',
    element,
  );
}

export function stringTooLong(element: string, max: number): FaultError {
  return validationFault(
    'String length is either shorter or longer than supported by specification',
    `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied value exceeds ${max} characters for ${element}`,
    '2050',
    element,
  );
}

export function invalidReference(element: string, id: string): FaultError {
  return validationFault(
    'Invalid Reference Id',
    `Invalid Reference Id : ${element} ${id} does not exist`,
    '2500',
    element,
  );
}

export function invalidValue(element: string, detail: string): FaultError {
  return validationFault('Request has invalid or unsupported property', detail, '2010', element);
}

export function businessValidation(detail: string): FaultError {
  return validationFault(
    'A business validation error has occurred while processing your request',
    `Business Validation Error: ${detail}`,
    '6000',
  );
}

export function queryParserError(detail: string): FaultError {
  return validationFault('Error parsing query', `QueryParserError: ${detail}`, '4000');
}

export function queryValidationError(detail: string): FaultError {
  return validationFault('Invalid query', `QueryValidationError: ${detail}`, '4001');
}

export function unsupportedOperation(path: string): FaultError {
  return validationFault(
    'Unsupported Operation',
    `Operation Could not find resource for relative : ${path} is not supported.`,
    '500',
  );
}

export function systemFault(): FaultError {
  return new FaultError(500, 'SystemFault', [
    {
      Message: 'An application error has occurred while processing your request',
      Detail:
        'System Failure Error: An unexpected error occurred while accessing or saving your data. (emulated)',
      code: '10000',
    },
  ]);
}

export function faultResponse(error: FaultError, now: number): FaultBody {
  return {
    status: error.status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({ Fault: error.fault(), time: isoResponseTime(now) }),
  };
}

function lowercaseFault(
  message: string,
  detail: string | null,
  code: string,
  type: string,
  now: number,
): string {
  return JSON.stringify({
    warnings: null,
    intuitObject: null,
    fault: { error: [{ message, detail, code, element: null }], type },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: now,
    status: null,
    cdcresponse: [],
  });
}

export function authenticationFault(detail: string, now: number): FaultBody {
  return {
    status: 401,
    contentType: 'application/json;charset=UTF-8',
    body: lowercaseFault(
      'message=AuthenticationFailed; errorCode=003200; statusCode=401',
      detail,
      '3200',
      'AUTHENTICATION',
      now,
    ),
  };
}

export function authorizationFault(now: number): FaultBody {
  return {
    status: 403,
    contentType: 'application/json;charset=UTF-8',
    body: lowercaseFault(
      'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
      null,
      '3100',
      'SERVICE',
      now,
    ),
  };
}

const THROTTLE_MESSAGE = 'message=ThrottleExceeded; errorCode=003001; statusCode=429';
const THROTTLE_DETAIL = 'The request limit was reached.  Try again later';

export function throttleFault(now: number, asXml: boolean): FaultBody {
  if (asXml) {
    const body =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<IntuitResponse time="${isoResponseTime(now)}" xmlns="http://schema.intuit.com/finance/v3">\n` +
      '    <Fault type="SERVICE">\n' +
      '        <Error code="3001">\n' +
      `            <Message>${THROTTLE_MESSAGE}</Message>\n` +
      `            <Detail>${THROTTLE_DETAIL}</Detail>\n` +
      '        </Error>\n' +
      '    </Fault>\n' +
      '</IntuitResponse>';
    return { status: 429, contentType: 'application/xml;charset=UTF-8', body };
  }
  const fault = {
    Error: [{ Message: THROTTLE_MESSAGE, Detail: THROTTLE_DETAIL, code: '3001' }],
    type: 'SERVICE',
  };
  return {
    status: 429,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({ Fault: fault, time: isoResponseTime(now) }),
  };
}
