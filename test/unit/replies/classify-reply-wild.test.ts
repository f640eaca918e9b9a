import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyReply, type ReplyClass } from '../../../src/replies/classify-reply.js';
import { figuresOf, parseLabelledReplies } from '../../../src/replies/reply-metrics.js';
import { dropSignOff, normalise } from '../../../src/replies/reply-normalise.js';

// The third round of rules (issue #20): replies as debtors write them. Received Tuesday 24 November 2026.
const tuesday = '2026-11-24T10:15:00Z';
const classify = (text: string, subject = 'Re: Reminder: invoice 1043 is past due') =>
  classifyReply({ subject, text, receivedAt: tuesday });

const signature = '\n\nKind regards,\n\nMelanie Hart\nAccounts Payable\nHart & Co Florists\nT: 0161 555 0507';

describe('reply text made even', () => {
  it('cuts a sign-off line and what follows, but keeps a reply that is only "Thanks"', () => {
    expect(dropSignOff(`paid${signature}`)).toBe('paid');
    expect(dropSignOff('Will pay Friday.\nThanks, Dave\nDave Morris Builders')).toBe('Will pay Friday.');
    expect(dropSignOff('Thanks')).toBe('Thanks');
    expect(dropSignOff('Thanks\nI paid it on Friday.\nCheers')).toBe('Thanks\nI paid it on Friday.');
  });

  it('writes shorthand out and points each character back at the reply', () => {
    const folded = 'sory, ill pay it tomorow';
    const { text, from, to } = normalise(folded);
    expect(text).toBe("sorry, i'll pay it tomorrow");
    expect(from).toHaveLength(text.length);
    // Any part of a written-out word points at the whole word it came from.
    const start = text.indexOf("'ll pay");
    expect(folded.slice(from[start], to[start + "'ll pay".length - 1])).toBe('ill pay');
    expect(folded.slice(from[text.indexOf('tomorrow')], to[text.length - 1])).toBe('tomorow');
  });

  it('leaves German "im" alone', () => {
    expect(normalise('ich befinde mich im urlaub').text).toBe('ich befinde mich im urlaub');
    expect(normalise('im going to pay friday').text).toBe("i'm going to pay friday");
  });

  it('quotes a phrase found in written-out shorthand in the reply’s own words', () => {
    expect(classify('sory for the delay, ill pay it tomorow').why).toContain('ill pay');
  });
});

describe('the third round of rules, one reply each', () => {
  const cases: Array<[ReplyClass, string, string?]> = [
    // Paid, as debtors write it
    ['paid_already', `paid${signature}`],
    ['paid_already', 'Payment sent yesterday via BACS, ref 1043.'],
    ['paid_already', 'Settled in full on 20 Nov. Please stop chasing.'],
    ['paid_already', 'Funds were released to you on Monday.'],
    ['paid_already', 'all paid up now mate'],
    ['paid_already', 'already done on friday, thanks'],
    ['paid_already', 'Hi there, I sorted the payment this morning through your payment link.'],
    [
      'paid_already',
      "think you'll find we've already sorted this one, went out with last Thursday's payment run.",
    ],
    ['paid_already', 'Payment for this invoice was included in the transfer we made on 13 November.'],
    ['paid_already', 'Did you not receive our payment? It left our account on the 10th.'],
    ['paid_already', 'die Zahlung ist am 18.11. an Sie rausgegangen.'],
    ['paid_already', 'i payed it last week?? check ur bank'],
    ['paid_already', 'We did pay this - twice actually, by mistake! Could you refund the duplicate?'],
    // Promises
    ['promise', 'Payment will be made on 2 December.'],
    ['promise', 'We acknowledge the balance and will remit the full amount no later than 4th December 2026.'],
    ['promise', 'sory for the delay been really busy, ill pay it tomorow'],
    ['promise', "You'll have the money by the end of the month, promise."],
    ['promise', "Hi, I'm away until Monday, I'll pay it as soon as I'm back on Monday."],
    ['promise', "Just to let you know I'll be making the payment on the 1st."],
    ['promise', "I'll pay it on Friday if that's ok."],
    ['promise', 'Bonjour, je vous règle la facture vendredi.'],
    ['promise', 'Nous procéderons au paiement le 3 décembre.'],
    ['promise', 'Perdón por el retraso, la semana que viene se lo pago.'],
    // Disputes
    ['dispute', "This isn't ours. We've never used your company."],
    ['dispute', "You've charged us for 10 hours but your engineer was only on site for 4."],
    ['dispute', 'The quote was £450, the invoice says £650. Please explain.'],
    ['dispute', "The cleaners didn't turn up on two of the four weeks you've invoiced for."],
    ['dispute', 'Your invoice includes materials we supplied ourselves. Please reissue it without them.'],
    ['dispute', 'I have already told you this is being disputed. Stop sending these.'],
    ['dispute', 'This was supposed to be a free replacement!'],
    ['dispute', "I don't recognise this invoice. We have no record of ordering anything from you."],
    ['dispute', "I can't pay until the dispute is sorted."],
    ['dispute', 'We are withholding payment until the snagging list is complete.'],
    ['dispute', 'Le montant ne correspond pas au devis accepté.'],
    ['dispute', 'Esta factura no es correcta, el trabajo no se terminó.'],
    ['dispute', 'Nos han cobrado el material dos veces.'],
    // Plans
    [
      'plan_request',
      "I can pay £100 today and then £100 every Friday until it's done, if that works for you?",
    ],
    ['plan_request', 'Is there any way to break this into smaller payments?'],
    ['plan_request', 'Can we set up a direct debit to clear this monthly?'],
    [
      'plan_request',
      'Due to cash flow difficulties we request a repayment schedule for the outstanding balance.',
    ],
    [
      'plan_request',
      "Hi, I'm a bit short this month. Could I do half on the 30th and the rest mid December?",
    ],
    ['plan_request', 'Ahora mismo no puedo pagar todo, ¿podemos hacer pagos mensuales?'],
    ['plan_request', 'Können wir den Betrag in monatlichen Teilbeträgen von 200 € abzahlen?'],
    // Opt-outs
    ['unsubscribe', 'opt me out of these automated emails thanks'],
    ['unsubscribe', 'Graag deze e-mails niet meer naar mij sturen.'],
    ['unsubscribe', 'Please stop sending these.'],
    ['unsubscribe', 'Please remove this email address from your system, I don’t deal with this account.'],
    // Hard negatives: a person should read these
    ['other', 'Did you get my payment?'],
    ['other', 'Has this been paid??'],
    ['other', 'Wurde die Rechnung schon bezahlt? Ich finde keinen Beleg.'],
    ['other', 'Avez-vous bien reçu notre paiement ?'],
    [
      'other',
      "I have paid the previous invoice, but I'm not sure about this one. Could you send me a statement?",
    ],
    ['other', 'I’ll pay if you can show me the signed delivery note.'],
    ['other', "Hi Sarah, can you check if we've paid this? If not please put it on this week's run."],
    ['other', 'Your payment portal keeps giving me an error when I try to pay. Can you help?'],
    ['other', 'Please reissue the invoice with our PO number on it.'],
    ['other', "I'll check with our accounts department and get back to you."],
  ];
  it.each(cases)('%s: %s', (expected, text) => {
    expect(classify(text).class).toBe(expected);
  });

  it('reads the date of a promise written in shorthand or the present tense', () => {
    expect(classify('sory, ill pay it tomorow').promisedDate).toBe('2026-11-25');
    expect(classify('Payment will be made on 2 December.').promisedDate).toBe('2026-12-02');
    expect(classify('Bonjour, je vous règle la facture vendredi.').promisedDate).toBe('2026-11-27');
    expect(classify("You'll have the money by the end of the month.").promisedDate).toBe('2026-11-30');
  });

  it('an auto-reply from a mailbox nobody reads is other, but an absence notice that says so is out of office', () => {
    const unread = classify(
      'This mailbox is not monitored. Please send invoices to ap@client.example.',
      'Automatic reply: Reminder',
    );
    expect(unread.class).toBe('other');
    expect(unread.why).toContain('not monitored');
    const away = classify(
      'I am on annual leave until 30 November and this mailbox is not monitored.',
      'Automatic reply: Reminder',
    );
    expect(away).toMatchObject({ class: 'out_of_office', returnsOn: '2026-11-30' });
  });

  it('a helpdesk acknowledgement is not out of office; "automated emails" in a person’s words is not an auto-reply', () => {
    expect(
      classify(
        'Thank you for your email. We have received your message and will respond within 2 working days. Your ticket number is #48213.',
        '[Ticket #48213] Reminder',
      ).class,
    ).toBe('other');
    expect(classify('This is an automated response: I am away until Monday.').class).toBe('out_of_office');
  });
});

describe('the held-out sets beside the labelled replies', () => {
  const read = (name: string) =>
    parseLabelledReplies(
      readFileSync(new URL(`../../fixtures/replies/${name}.jsonl`, import.meta.url), 'utf8'),
    );
  const wild = read('wild');
  const sealed = read('sealed');
  const goal: ReplyClass[] = ['paid_already', 'promise', 'dispute', 'out_of_office'];

  it('hold at least 200 and 60 replies, every class, five languages', () => {
    expect(wild.length).toBeGreaterThanOrEqual(200);
    expect(sealed.length).toBeGreaterThanOrEqual(60);
    for (const set of [wild, sealed]) {
      expect(new Set(set.map((reply) => reply.label)).size).toBe(7);
      expect(new Set(set.map((reply) => reply.lang))).toEqual(new Set(['en', 'fr', 'de', 'es', 'nl']));
    }
  });

  it('meets the goal on the wild set the third round was tuned on', () => {
    const figures = figuresOf(wild);
    for (const figure of figures.classes.filter((entry) => goal.includes(entry.class))) {
      expect(figure.precision, `${figure.class} precision`).toBeGreaterThanOrEqual(0.9);
      expect(figure.recall, `${figure.class} recall`).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('on the sealed set (never tuned on) a wrong paid or promise is never suggested, and what it misses is other', () => {
    const figures = figuresOf(sealed);
    for (const figure of figures.classes.filter((entry) =>
      ['paid_already', 'promise', 'out_of_office'].includes(entry.class),
    )) {
      expect(figure.precision, `${figure.class} precision`).toBeGreaterThanOrEqual(0.9);
    }
    // Its recall is short of the goal (README, docs/replies.md); a miss falls to other for a person.
    expect(figures.wrong.filter((miss) => miss.got !== 'other').length).toBeLessThanOrEqual(1);
  });
});
