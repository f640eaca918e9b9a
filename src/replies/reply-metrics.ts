import { classifyReply, type ReplyClass, replyClasses } from './classify-reply.js';

/** One labelled reply (test/fixtures/replies/replies.jsonl). */
export interface LabelledReply {
  id: string;
  lang: string;
  subject: string;
  text: string;
  receivedAt: string;
  timeZone?: string;
  label: ReplyClass;
  promisedDate?: string | null;
  returnsOn?: string | null;
  split?: string;
}

export interface ClassFigures {
  class: ReplyClass;
  precision: number;
  recall: number;
  /** Replies labelled with this class. */
  n: number;
}

export interface Figures {
  classes: ClassFigures[];
  /** Of the promises and out-of-office notices classified right, how many got the labelled date. */
  dates: { right: number; of: number };
  wrong: Array<{ id: string; label: ReplyClass; got: ReplyClass; why: string }>;
}

export function parseLabelledReplies(jsonl: string): LabelledReply[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledReply);
}

/** Precision and recall per class (1 when a class was never predicted, or never labelled). */
export function figuresOf(replies: LabelledReply[]): Figures {
  const counts = new Map(replyClasses.map((name) => [name, { right: 0, predicted: 0, labelled: 0 }]));
  const dates = { right: 0, of: 0 };
  const wrong: Figures['wrong'] = [];
  for (const reply of replies) {
    const verdict = classifyReply({
      subject: reply.subject,
      text: reply.text,
      receivedAt: reply.receivedAt,
      ...(reply.timeZone ? { timeZone: reply.timeZone } : {}),
    });
    const labelled = counts.get(reply.label);
    const predicted = counts.get(verdict.class);
    if (labelled) labelled.labelled++;
    if (predicted) predicted.predicted++;
    if (verdict.class === reply.label) {
      if (labelled) labelled.right++;
      if (reply.label === 'promise') {
        dates.of++;
        if ((verdict.promisedDate ?? null) === (reply.promisedDate ?? null)) dates.right++;
      } else if (reply.label === 'out_of_office') {
        dates.of++;
        if ((verdict.returnsOn ?? null) === (reply.returnsOn ?? null)) dates.right++;
      }
    } else {
      wrong.push({ id: reply.id, label: reply.label, got: verdict.class, why: verdict.why });
    }
  }
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
  return {
    classes: replyClasses.map((name) => {
      const count = counts.get(name) ?? { right: 0, predicted: 0, labelled: 0 };
      return {
        class: name,
        precision: ratio(count.right, count.predicted),
        recall: ratio(count.right, count.labelled),
        n: count.labelled,
      };
    }),
    dates,
    wrong,
  };
}
