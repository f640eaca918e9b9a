/**
 * The phrases each class is recognised by, in English, French, German, Spanish and Dutch. They are
 * matched against folded text (lower case, accents dropped: "überwiesen" is "uberwiesen"), only
 * against what the debtor wrote (never the quoted reminder). A weight is how sure one phrase makes
 * the class on its own; 0.5 and over decides it.
 */
import type { ContentClass, Cue } from './cues/cue.js';
import { rx } from './cues/cue.js';
import { disputeCues } from './cues/dispute.js';
import { paidAlreadyCues } from './cues/paid-already.js';
import { planRequestCues } from './cues/plan-request.js';
import { promiseCues } from './cues/promise.js';
import { unsubscribeCues } from './cues/unsubscribe.js';

export type { ContentClass, Cue } from './cues/cue.js';

export const cues: Record<ContentClass, Cue[]> = {
  unsubscribe: unsubscribeCues,
  dispute: disputeCues,
  paid_already: paidAlreadyCues,
  plan_request: planRequestCues,
  promise: promiseCues,
};

/** Words that make what follows them in the same clause untrue ("not", "nicht", "pas", "niet", "no"). */
export const negation =
  /(?:\bnot\b|n't\b|\bnever\b|\bno\b|\bnicht\b|\bnie\b|\bniemals\b|\bkein\w*|\bpas\b|\bjamais\b|\bnunca\b|\btodavia no\b|\bne\b|\bn'|\bniet\b|\bnooit\b|\bgeen\b|\byet to\b|\bunable\b)/;

/** An out-of-office subject: an auto-reply names itself there in every mail program. */
export const autoReplySubject =
  /^\s*[[(]?\s*(?:\[?auto(?:matic|matische|matisch|mated)?[- ]?(?:reply|response|antwort|antwoord)|autoreply|auto:|out\s+of\s+(?:the\s+)?office|ooo\b|away\b|abwesen\w*|absence|absent\b|reponse\s+automatique|message\s+automatique|respuesta\s+automatica|fuera\s+de\s+(?:la\s+)?oficina|afwezig\w*|niet\s+aanwezig|ausente|vacances|urlaub|vacaciones|vakantie|on\s+leave|holiday)/;

/** A person saying they are away (first person: "I am out of the office"). */
export const absence = rx`\b(?:(?:i\s+am|i'm|im|i\s+will\s+be|i'll\s+be|am)\s+(?:currently\s+|now\s+|presently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|parental\s+|maternity\s+|paternity\s+|sick\s+|study\s+)?leave|on\s+(?:holiday|vacation)|travel+ing|off\s+(?:work|sick|until)|off\b(?=\s+until|\s+till|\s+today)|out\s+(?:today|until))|je\s+suis\s+(?:actuellement\s+)?(?:absente?|en\s+conges?|en\s+vacances|en\s+deplacement|hors\s+du\s+bureau|en\s+arret)|(?:ich\s+bin|bin\s+ich|ich\s+befinde\s+mich|befinde\s+mich)\b~{0,40}?\b(?:nicht\s+im\s+buro|nicht\s+im\s+buero|abwesend|im\s+urlaub|ausser\s+haus|nicht\s+erreichbar|krank|unterwegs)|(?:estoy|estare|me\s+encuentro)\s+(?:\w+\s+)?(?:fuera\s+de\s+la\s+oficina|de\s+vacaciones|ausente|fuera|de\s+viaje|de\s+baja)|(?:ik\s+ben|ben\s+ik)\b~{0,40}?\b(?:afwezig|niet\s+op\s+kantoor|niet\s+aanwezig|met\s+vakantie|op\s+vakantie|vrij|ziek))`;

/** Someone else away ("Raj is out of the office until …"): a notice needs more than this. */
export const absenceOfOthers = rx`\b(?:is|are)\s+(?:currently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|parental\s+|maternity\s+|sick\s+)?leave|on\s+holiday|on\s+vacation)\b`;

/** The wording of an absence notice, as nobody writes it by hand. */
export const absenceNotice = rx`\b(?:automatic\s+(?:reply|response)|automated\s+(?:reply|response|message)|auto-?generated|(?:limited|no|intermittent)\s+access\s+to\s+(?:my\s+)?(?:e-?mails?|messages)|(?:on|upon|after)\s+(?:my|his|her|our)\s+return|when\s+i\s+(?:am\s+back|return)|(?:message|e-?mail|mailbox)\s+(?:has\s+not\s+been|will\s+not\s+be|is\s+not\s+being|is\s+not)\s+(?:forwarded|monitored|read)|not\s+be\s+checking|won't\s+be\s+checking|for\s+(?:anything\s+)?urgent|in\s+(?:my|his|her)\s+absence|during\s+my\s+absence|office\s+is\s+closed|(?:will\s+)?(?:be\s+back|return|returning|reopen)(?:\s+(?:in|to)\s+the\s+office)?\s+on\b|back\s+(?:in\s+the\s+office|tomorrow|on\b)|de\s+retour\s+le|serai\s+de\s+retour|sera\s+de\s+retour|(?:a|des)\s+mon\s+retour|acces\s+limite|reponse\s+automatique|message\s+automatique|ne\s+sera\s+pas\s+transfere|pour\s+toute\s+urgence|est\s+ferme|wieder\s+(?:im\s+buro|im\s+buero|erreichbar|da|fur\s+sie\s+da|zuruck|im\s+hause)|nach\s+meiner\s+(?:ruckkehr|rueckkehr)|wird\s+nicht\s+weitergeleitet|in\s+dringenden\s+fallen|automatische\s+antwort|a\s+mi\s+regreso|volvere|regresare|estare\s+de\s+vuelta|acceso\s+limitado|respuesta\s+automatica|para\s+asuntos\s+urgentes|no\s+sera\s+reenviado|weer\s+(?:op\s+kantoor|aanwezig|bereikbaar|terug)|na\s+(?:mijn\s+)?terugkomst|wordt\s+niet\s+doorgestuurd|voor\s+dringende\s+zaken|automatisch\s+antwoord|beperkt\s+toegang)`;

/** Someone has left: an auto-reply that is not an absence, for a person to update the contact. */
export const leftTheCompany = rx`\b(?:no\s+longer\s+(?:works?|working|employed|with)|has\s+left\s+(?:the\s+company|the\s+business|us|\w+\s+(?:ltd|limited|inc|gmbh|bv))|nicht\s+mehr\s+(?:im\s+unternehmen|bei\s+uns|fur\s+uns|fuer\s+uns)|ne\s+fait\s+plus\s+partie|ya\s+no\s+trabaja|niet\s+meer\s+(?:werkzaam|in\s+dienst))`;

/** A message that says it was sent by a machine ("this is an automated response"), not "automated emails". */
export const automaticMessage =
  /\b(?:(?:this\s+is\s+(?:an?\s+)?)?(?:automatic|automated|auto-?generated)\s+(?:reply|response|message|notification|e-?mail)(?!s)|(?:message|e-?mail|reply)\s+(?:is\s+|was\s+)?(?:automatically\s+generated|auto-?generated)|reponse\s+automatique|message\s+automatique|automatische\s+(?:antwort|nachricht|e-?mail)|respuesta\s+automatica|mensaje\s+automatico|automatisch\s+(?:antwoord|bericht)|automatisch\s+gegenereerd|automatisch\s+erstellt)\b/;

/** An address nobody reads ("this mailbox is not monitored"): for a person to update the contact. */
export const unreadMailbox = rx`\b(?:(?:mailbox|inbox|e-?mail\s+address|address|account)\s+is\s+(?:not|no\s+longer)\s+(?:being\s+)?(?:monitored|checked|in\s+use|read|active)|(?:unmonitored|unattended)\s+(?:mailbox|inbox|address)|(?:cette\s+)?(?:adresse|boite)\b~{0,20}?\bn'est\s+(?:pas|plus)\s+(?:consultee|surveillee|lue)|(?:postfach|adresse)\s+wird\s+nicht\s+(?:mehr\s+)?(?:gelesen|uberwacht|ueberwacht)|(?:buzon|direccion)\s+no\s+(?:es|esta)\s+(?:monitorizad[oa]|supervisad[oa])|(?:mailbox|adres)\s+wordt\s+niet\s+(?:meer\s+)?(?:gelezen|bewaakt|gecontroleerd))\b`;

/** A bounce: the reminder never reached anyone. */
export const bounceSubject =
  /^\s*(?:undeliverable|undelivered|delivery\s+(?:status\s+notification|has\s+failed|failure)|mail\s+delivery\s+(?:failed|failure|subsystem)|returned\s+mail|failure\s+notice|unzustellbar|non\s+remis|no\s+se\s+puede\s+entregar|onbestelbaar)/;

/** When "stop" or "unsubscribe" is the whole message. */
export const bareUnsubscribe =
  /^\s*(?:stop|unsubscribe|remove|desabonner|abmelden|baja|afmelden)\s*[.!]*\s*$/;

/** Reply and forward prefixes ("Re:", "AW:", "RV:") on a subject. */
export const replyPrefix = /^\s*(?:(?:re|aw|wg|fw|fwd|tr|rv|sv|antw|r|rif|enc)\s*(?:\[\d+\])?\s*:\s*)+/;
