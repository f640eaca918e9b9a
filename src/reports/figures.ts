// The home page route (src/http) and the weekly summary's email import these from here.
export { collectedBetween } from './collected-between.js';
export { dso } from './days-sales-outstanding.js';
export { largestOverdueDebtors } from './overdue-debtors.js';
export { type AgingBucketKey, overdueFigures } from './overdue-figures.js';
export { promisesDue } from './promises-due.js';
