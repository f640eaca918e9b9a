import type { Policy } from '../../../domain/policy.js';
import { type FormBody, fieldText } from './form-fields.js';
import { amountToMinor, minorToAmount } from './schedule-form.js';

const text = fieldText;
const decimal = (typed: string): number | string => (/^-?\d+(\.\d+)?$/.test(typed) ? Number(typed) : typed);
/** "30" (percent) → 0.3, kept exact to four places. */
const percent = (typed: string): number | string => {
  const value = decimal(typed);
  return typeof value === 'number' ? Math.round(value * 100) / 10_000 : value;
};
const whole = (typed: string): number | string => (/^-?\d+$/.test(typed) ? Number(typed) : typed);

/** The fields the Money page shows, each with its problem beside it (in words: src/words/policy-fields.ts). */
export const moneyFieldNames: ReadonlySet<string> = new Set([
  'lateFees.rule.amountMinor',
  'lateFees.rule.annualRatePercent',
  'lateFees.rule.graceDays',
  'lateFees.rule.referenceRatePercent',
  'lateFees.rule.extraPoints',
  'recovery.agencyFeeShare',
  'recovery.settlementDiscount',
  'recovery.maxSettlementDiscount',
  'recovery.settlementAcceptance',
  'recovery.agencyRecoveryFactor',
  'recovery.chasingCostPerMonthMinor',
  'arrangements.promiseMaxDays',
  'arrangements.planMinInstallments',
  'arrangements.planMaxInstallments',
  'arrangements.planMinInstallmentMinor',
  'arrangements.planMaxSpanDays',
  'arrangements.installmentReminderDays',
  'arrangements.settlementPayWithinDays',
  'arrangements.portalLinkDays',
  'highValueCustomerMinor',
]);

/** The money settings of the form on top of the policy in force; checked by the policy's schema. */
export function moneyFromForm(body: FormBody, current: Policy, currency: string): Record<string, unknown> {
  const kind = text(body, 'lateFees.rule.kind');
  const rule =
    kind === 'flat'
      ? {
          kind,
          amountMinor: amountToMinor(text(body, 'lateFees.rule.amountMinor'), currency),
          graceDays: whole(text(body, 'lateFees.rule.graceDays')),
        }
      : kind === 'percentage'
        ? {
            kind,
            annualRatePercent: decimal(text(body, 'lateFees.rule.annualRatePercent')),
            graceDays: whole(text(body, 'lateFees.rule.graceDays')),
          }
        : kind === 'uk-late-payment'
          ? { kind, referenceRatePercent: decimal(text(body, 'lateFees.rule.referenceRatePercent')) }
          : kind === 'eu-late-payment'
            ? {
                kind,
                referenceRatePercent: decimal(text(body, 'lateFees.rule.referenceRatePercent')),
                ...(text(body, 'lateFees.rule.extraPoints')
                  ? { extraPoints: decimal(text(body, 'lateFees.rule.extraPoints')) }
                  : {}),
              }
            : { kind };
  const arrangement = (name: keyof Policy['arrangements']) =>
    name === 'planMinInstallmentMinor'
      ? amountToMinor(text(body, `arrangements.${name}`), currency)
      : whole(text(body, `arrangements.${name}`));
  return {
    ...current,
    lateFees: { rule, debtorsAreBusinesses: body['lateFees.debtorsAreBusinesses'] !== undefined },
    recovery: {
      agencyFeeShare: percent(text(body, 'recovery.agencyFeeShare')),
      settlementDiscount: percent(text(body, 'recovery.settlementDiscount')),
      maxSettlementDiscount: percent(text(body, 'recovery.maxSettlementDiscount')),
      settlementAcceptance: percent(text(body, 'recovery.settlementAcceptance')),
      agencyRecoveryFactor: decimal(text(body, 'recovery.agencyRecoveryFactor')),
      chasingCostPerMonthMinor: amountToMinor(text(body, 'recovery.chasingCostPerMonthMinor'), currency),
    },
    arrangements: Object.fromEntries(
      (Object.keys(current.arrangements) as Array<keyof Policy['arrangements']>).map((name) => [
        name,
        arrangement(name),
      ]),
    ),
    highValueCustomerMinor: amountToMinor(text(body, 'highValueCustomerMinor'), currency),
    approvalFromTone: text(body, 'approvalFromTone'),
  };
}

/** The form's values for a policy (percentages as percent, money in major units). */
export function moneyFormValues(policy: Policy, currency: string): Record<string, string> {
  const rule = policy.lateFees.rule as Record<string, unknown>;
  const asPercent = (share: number) => String(Math.round(share * 10_000) / 100);
  const values: Record<string, string> = {
    'lateFees.rule.kind': String(rule['kind']),
    'lateFees.rule.amountMinor':
      typeof rule['amountMinor'] === 'number' ? minorToAmount(rule['amountMinor'], currency) : '',
    'lateFees.rule.annualRatePercent':
      rule['annualRatePercent'] === undefined ? '' : String(rule['annualRatePercent']),
    'lateFees.rule.graceDays': rule['graceDays'] === undefined ? '0' : String(rule['graceDays']),
    'lateFees.rule.referenceRatePercent':
      rule['referenceRatePercent'] === undefined ? '' : String(rule['referenceRatePercent']),
    'lateFees.rule.extraPoints': rule['extraPoints'] === undefined ? '' : String(rule['extraPoints']),
    'lateFees.debtorsAreBusinesses': policy.lateFees.debtorsAreBusinesses ? 'on' : '',
    'recovery.agencyFeeShare': asPercent(policy.recovery.agencyFeeShare),
    'recovery.settlementDiscount': asPercent(policy.recovery.settlementDiscount),
    'recovery.maxSettlementDiscount': asPercent(policy.recovery.maxSettlementDiscount),
    'recovery.settlementAcceptance': asPercent(policy.recovery.settlementAcceptance),
    'recovery.agencyRecoveryFactor': String(policy.recovery.agencyRecoveryFactor),
    'recovery.chasingCostPerMonthMinor': minorToAmount(policy.recovery.chasingCostPerMonthMinor, currency),
    highValueCustomerMinor: minorToAmount(policy.highValueCustomerMinor, currency),
    approvalFromTone: policy.approvalFromTone,
  };
  for (const [name, value] of Object.entries(policy.arrangements))
    values[`arrangements.${name}`] =
      name === 'planMinInstallmentMinor' ? minorToAmount(value, currency) : String(value);
  return values;
}
