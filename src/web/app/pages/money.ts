import type { CreditTargetChoices } from '../../../collections/money-page.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import { tones } from '../../../domain/policy.js';
import type { CreditTarget } from '../../../organisations/settings.js';
import { moneyFieldNames } from '../forms/money-form.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

export interface MoneyPageData {
  values: Record<string, string>;
  problems: Map<string, string[]>;
  version: number;
  currency: string;
  /** The ledger's accounts or items, or why they could not be read. */
  targets: CreditTargetChoices;
  writeOffTarget: CreditTarget | null;
  settlementTarget: CreditTarget | null;
}

const feeKinds = [
  ['none', 'No late fees or interest'],
  ['flat', 'A flat fee'],
  ['percentage', 'Interest at a yearly rate'],
  ['uk-late-payment', 'UK statutory interest and compensation (Late Payment Act)'],
  ['eu-late-payment', 'EU statutory interest and compensation (Directive 2011/7/EU)'],
] as const;

export function moneyPage(frame: PageFrame, data: MoneyPageData): string {
  const { values, problems } = data;
  const errorId = (name: string) => `error-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const field = (name: string, label: string, unit: string, hint = ''): SafeHtml => {
    const wrong = problems.has(name);
    return html`<div><label for="${name}">${label}${unit ? html` <span class="muted small">(${unit})</span>` : ''}</label>
<input type="text" inputmode="decimal" id="${name}" name="${name}" value="${values[name] ?? ''}"${wrong ? html` aria-invalid="true" aria-describedby="${errorId(name)}"` : ''}>
${wrong ? html`<p class="field-error" id="${errorId(name)}">${(problems.get(name) ?? []).join(' ')}</p>` : ''}
${hint ? html`<p class="hint">${hint}</p>` : ''}</div>`;
  };
  const targetSelect = (
    name: 'writeOffTarget' | 'settlementTarget',
    label: string,
    chosen: CreditTarget | null,
  ) => {
    if (!data.targets.ok)
      return html`<div><label>${label}</label><p>${chosen ? `${chosen.description} (${chosen.ref})` : 'Not chosen yet.'}</p></div>`;
    return html`<div><label for="${name}">${label}</label><select id="${name}" name="${name}">
<option value="">Not chosen</option>${data.targets.options.map(
      (option) =>
        html`<option value="${option.ref}"${chosen?.ref === option.ref ? ' selected' : ''}>${option.name} (${option.kind})</option>`,
    )}</select></div>`;
  };
  const unplaced = [...problems.entries()].filter(
    ([path]) => !moneyFieldNames.has(path) && path !== 'approvalFromTone',
  );
  const content = html`<h1>Money matters</h1>
<p class="lede">Late fees, what you will settle for, payment plans, agencies, write-offs and your most valuable customers. Version ${data.version === 0 ? 'default' : data.version} is in force.</p>
${problems.size > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong> Please fix the fields marked below.${unplaced.length > 0 ? html`<ul>${unplaced.map(([, messages]) => html`<li>${messages.join(' ')}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/app/${frame.orgId}/money" novalidate>${csrfField(frame.csrfToken)}
<input type="hidden" name="basedOnVersion" value="${data.version}">
<section class="card" aria-labelledby="fees"><h2 id="fees">Late fees and interest</h2>
<p class="muted small">Quoted in the reminders marked “late-fee notice” on the Schedule page; Dunwell does not add them to invoices.</p>
<label for="lateFees.rule.kind">Rule</label>
<select id="lateFees.rule.kind" name="lateFees.rule.kind">${feeKinds.map(([kind, label]) => html`<option value="${kind}"${values['lateFees.rule.kind'] === kind ? ' selected' : ''}>${label}</option>`)}</select>
<div class="row">
${field('lateFees.rule.amountMinor', 'Flat fee', data.currency)}
${field('lateFees.rule.annualRatePercent', 'Yearly rate', '%')}
${field('lateFees.rule.graceDays', 'Grace', 'days')}
${field('lateFees.rule.referenceRatePercent', 'Central bank reference rate', '%', 'Bank of England base rate or the ECB rate.')}
${field('lateFees.rule.extraPoints', 'Points over the reference (EU)', 'points')}
</div>
<label class="check"><input type="checkbox" name="lateFees.debtorsAreBusinesses"${values['lateFees.debtorsAreBusinesses'] ? ' checked' : ''}> My customers are businesses (statutory interest applies only between businesses)</label>
</section>
<section class="card" aria-labelledby="recovery"><h2 id="recovery">Settlements, agencies and write-offs</h2>
<p class="muted small">These set the arithmetic of every suggestion in the Review queue.</p>
<div class="row">
${field('recovery.settlementDiscount', 'Settlement discount offered', '%')}
${field('recovery.maxSettlementDiscount', 'Never settle for more off than', '%')}
${field('recovery.settlementAcceptance', 'Chance a customer accepts', '%')}
${field('recovery.agencyFeeShare', 'Agency’s fee', '% of what it collects')}
${field('recovery.agencyRecoveryFactor', 'Agency collects this many times more often', '×')}
${field('recovery.chasingCostPerMonthMinor', 'Your cost of chasing a month', data.currency)}
</div>
<div class="row">
${targetSelect('writeOffTarget', 'Write-offs are credited to', data.writeOffTarget)}
${targetSelect('settlementTarget', 'Settlement discounts are credited to', data.settlementTarget)}
</div>
${data.targets.ok ? '' : html`<p class="field-error">${data.targets.problem}</p>`}
</section>
<section class="card" aria-labelledby="plans"><h2 id="plans">Promises and payment plans customers can choose themselves</h2>
<div class="row">
${field('arrangements.promiseMaxDays', 'Promise to pay at most', 'days ahead')}
${field('arrangements.planMinInstallments', 'Plan: fewest installments', '')}
${field('arrangements.planMaxInstallments', 'Plan: most installments', '')}
${field('arrangements.planMinInstallmentMinor', 'Plan: smallest installment', data.currency)}
${field('arrangements.planMaxSpanDays', 'Plan: longest', 'days')}
${field('arrangements.installmentReminderDays', 'Remind before each installment', 'days')}
${field('arrangements.settlementPayWithinDays', 'A settlement offer is open for', 'days')}
${field('arrangements.portalLinkDays', 'Links in emails work for', 'days')}
</div>
<p class="hint">Outside these limits a plan waits for you in the Review queue.</p>
</section>
<section class="card" aria-labelledby="value"><h2 id="value">Your most valuable customers</h2>
<div class="row">
${field('highValueCustomerMinor', 'Customers who have paid you more than', data.currency, '0 turns this off.')}
<div><label for="approvalFromTone">need your approval for every step from</label>
<select id="approvalFromTone" name="approvalFromTone">${tones.map((tone) => html`<option value="${tone}"${values['approvalFromTone'] === tone ? ' selected' : ''}>${tone}</option>`)}</select></div>
</div>
</section>
<div class="actions"><button type="submit">Save money matters</button>
<a class="button secondary" href="/app/${frame.orgId}/money">Discard changes</a></div>
</form>`;
  return appPage(frame, content);
}
