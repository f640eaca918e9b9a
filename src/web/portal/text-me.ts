import { html, type SafeHtml } from '../../domain/html.js';
import { textConsentWords } from '../../messaging/sms/consent-words.js';
import type { PortalTexts } from '../../messaging/sms/portal-texts.js';

/** The "text me" part of the debtor's page, and what was typed when it was refused. */
export interface TextMeOptions {
  texts: PortalTexts;
  /** The number as typed, when the form was refused. */
  typed?: string;
  /** Why the form was refused. */
  error?: string;
}

export const textMeConfirmations = {
  'texts-on':
    'Thank you. We will text reminders about these invoices to the number you gave. Reply STOP to any text to stop them.',
  'texts-off': 'We will not send you any more texts. Emails about these invoices are unchanged.',
} as const;

/** Why a "text me" form was refused, in words for the debtor. */
export const textMeProblems = {
  not_agreed: 'Please tick the box to agree to text messages, or leave this form.',
  invalid_phone:
    'That does not look like a mobile number. Please give it with the country code, for example +44 7700 900123.',
  opted_out:
    'Texts to that number were stopped. To get them again, reply START to one of our texts, or give another number.',
} as const;

/**
 * "Get reminders by text": a mobile number and a box whose words say what is agreed to; once a number
 * is on record, where texts go (its last four digits) and a button to stop them.
 */
export function textMeSection(
  organisationName: string,
  options: TextMeOptions,
  action: (path: string) => string,
): SafeHtml {
  const { texts } = options;
  if (texts.state === 'on')
    return html`<section aria-labelledby="texts-heading">
  <h2 id="texts-heading">Reminders by text</h2>
  <p>Texts about these invoices go to <strong>${texts.number}</strong>. Reply STOP to any of them to stop them, or stop them here.</p>
  <form method="post" action="${action('texts/stop')}"><button type="submit">Stop texts</button></form>
</section>`;
  return html`<section aria-labelledby="texts-heading">
  <h2 id="texts-heading">Get reminders by text</h2>
  ${texts.state === 'stopped' ? html`<p class="note">Texts to ${texts.number} are stopped. To get them again, reply START to one of our texts, or give a number below.</p>` : ''}
  ${options.error ? html`<p class="banner problem" role="alert">${options.error}</p>` : ''}
  <form method="post" action="${action('texts')}">
    <label for="text-phone">Mobile number</label>
    <input type="tel" id="text-phone" name="phone" autocomplete="tel" required maxlength="40" aria-describedby="text-phone-help" value="${options.typed ?? ''}">
    <span class="note" id="text-phone-help">With the country code, for example +44 7700 900123.</span>
    <fieldset><legend>Your agreement</legend>
      <label><input type="checkbox" name="agree" value="yes" required> ${textConsentWords(organisationName)}</label>
    </fieldset>
    <div class="form-actions"><button type="submit">Text me</button></div>
  </form>
</section>`;
}
