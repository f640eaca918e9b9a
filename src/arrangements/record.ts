// The review routes (src/http) and an email test import these from here.
export { openDispute, resolveDispute } from './disputes.js';
export { decidePaymentPlan } from './payment-plans.js';
