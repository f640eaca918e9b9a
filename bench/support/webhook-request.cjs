// autocannon's setupRequest for bench/webhooks.ts, loaded by its worker thread (functions cannot be
// passed to a worker, files can): a unique, signed webhook body for the vendor in BENCH_VENDOR.
const { createHmac, randomUUID } = require('node:crypto');

const vendor = process.env.BENCH_VENDOR;
const secret = process.env.BENCH_WEBHOOK_SECRET;
let sent = 0;

function body() {
  sent += 1;
  const id = randomUUID();
  if (vendor === 'quickbooks') {
    return JSON.stringify([
      {
        specversion: '1.0',
        id,
        source: 'intuit.bench',
        type: 'qbo.invoice.updated.v1',
        time: new Date().toISOString(),
        intuitentityid: String(sent),
        intuitaccountid: '9130355377384706',
        data: {},
      },
    ]);
  }
  return JSON.stringify({
    events: [
      {
        resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${id}`,
        resourceId: id,
        eventDateUtc: new Date().toISOString(),
        eventType: 'UPDATE',
        eventCategory: 'INVOICE',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
        tenantType: 'ORGANISATION',
      },
    ],
    firstEventSequence: sent,
    lastEventSequence: sent,
    entropy: id,
  });
}

module.exports = (request) => {
  const payload = body();
  return {
    ...request,
    body: payload,
    headers: {
      'content-type': 'application/json',
      [vendor === 'quickbooks' ? 'intuit-signature' : 'x-xero-signature']: createHmac('sha256', secret)
        .update(payload)
        .digest('base64'),
    },
  };
};
