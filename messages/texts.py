"""Every sentence Schakel shows a person, in its Dutch source form.

The Dutch is the gettext msgid, so translators see the real sentence. Rules for
writers: plain Dutch (klare taal, about A2-B1), short sentences, "u", active voice,
whole sentences with named {placeholders}, nothing sensitive in the first line (it
shows on a locked phone), a count after the words it counts ("Nieuwkomers: 1": the
catalogs have no plural forms, so no noun may have to agree with a number). Mark
each text with who reads it (`for_newcomers`, `N_` for staff, `label`): `schakel
check-messages` holds it to that audience's rules. Change a text here, then run
`make catalogs` (see README).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum, StrEnum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


class Audience(StrEnum):
    """Who reads a text; `schakel check-messages` checks each audience by its own rules."""

    NEWCOMER = "newcomer"  # plain Dutch at about A2, and the Dutch fits one SMS
    STAFF = "staff"  # caseworkers, coordinators, admins: plain, but may be longer
    LABEL = "label"  # a button or a short label: a few words


AUDIENCE: dict[str, Audience] = {}

# The marker functions below, for pybabel (`make catalogs` passes each as -k).
KEYWORDS = ("N_", "for_newcomers", "label")


def _mark(text: str, audience: Audience) -> str:
    AUDIENCE[text] = audience
    return text


def N_(text: str) -> str:
    """A text for staff, marked for extraction by pybabel (translated when rendered)."""
    return _mark(text, Audience.STAFF)


def for_newcomers(text: str) -> str:
    """A text a newcomer may read: strict plain Dutch, and the Dutch fits one SMS."""
    return _mark(text, Audience.NEWCOMER)


def in_dutch_only(text: str) -> str:
    """A newcomer text only ever sent in Dutch (the reminder SMS): checked by the newcomer
    rules, not extracted for translators (the newcomer's language gets its own lines)."""
    return _mark(text, Audience.NEWCOMER)


def label(text: str) -> str:
    """A button or a short label (a status, a kind of appointment): a few words."""
    return _mark(text, Audience.LABEL)


def for_members(members: Iterable[E], prefix: str = "", suffix: str = "") -> dict[E, str]:
    """Each member's text, named <prefix><MEMBER><suffix> here: `for_members(Kind, "KIND_")`.
    A member without its text fails at import, so a new one cannot go unworded."""
    return {member: globals()[f"{prefix}{member.name}{suffix}"] for member in members}


# --- Everyone -----------------------------------------------------------------

# Translators: sent to someone Schakel does not know yet. Keep it very short.
UNKNOWN_PERSON = for_newcomers("Ik ken u nog niet. Vraag uw begeleider om een link om te starten.")

# Translators: shown when something broke inside Schakel. Nothing was saved.
SOMETHING_WENT_WRONG = for_newcomers(
    "Er ging iets mis. Ik heb niets veranderd. Probeer het later opnieuw."
)

# Translators: reply to a message or command that Schakel does not understand.
NOT_UNDERSTOOD = for_newcomers("Dat begrijp ik niet. Typ /help voor hulp.")

# Translators: someone changed (edited) a message they sent earlier. Schakel only reads new
# messages, so the change did nothing.
EDIT_NOT_READ = for_newcomers(
    "Ik lees geen bericht dat u verandert. Stuur het nog eens als nieuw bericht."
)

# Translators: someone pressed a button that is not theirs, or that was forged.
BUTTON_NOT_FOR_YOU = for_newcomers("Deze knop is niet voor u.")

# Translators: a staff member used a command of another role. {role} is a role name.
ONLY_FOR_ROLE = N_("Dit kan alleen een {role}. Typ /help om te zien wat u kunt doen.")

# Translators: someone pressed an old button that no longer works.
BUTTON_TOO_OLD = for_newcomers("Deze knop werkt niet meer.")

# --- Invite links (newcomers and staff) -----------------------------------------

# Translators: an invite link that was already used once.
INVITE_USED = for_newcomers("Deze link werkt maar één keer. Vraag een nieuwe link.")

# Translators: an invite link that is too old.
INVITE_EXPIRED = for_newcomers("Deze link werkt niet meer. Hij is te oud. Vraag een nieuwe link.")

# Translators: an invite link that a caseworker or admin stopped.
INVITE_REVOKED = for_newcomers("Iemand heeft deze link gestopt. Vraag een nieuwe link.")

# Translators: an invite link that does not exist (typo or made up).
INVITE_UNKNOWN = for_newcomers("Deze link klopt niet. Vraag een nieuwe link.")

# --- Newcomers ------------------------------------------------------------------

# Translators: first message after a newcomer opens their invite link.
# {name} is their first name, {contact} their contact person, {organisation} a short name.
NEWCOMER_WELCOME = for_newcomers(
    "Hallo {name}! Ik ben Schakel. {contact} van {organisation} is uw contactpersoon."
)

# Translators: the consent question. It must say what is sent, what is kept,
# who sees it and how to stop.
NEWCOMER_CONSENT_QUESTION = for_newcomers(
    "Mag ik u berichten sturen over uw afspraken? "
    "Alleen uw begeleiders en hun baas zien wat ik bewaar. "
    "Stoppen kan altijd: typ /stop."
)

# Translators: the consent question, second part: everything Schakel keeps about the
# newcomer (what /gegevens shows).
NEWCOMER_CONSENT_KEPT = for_newcomers(
    "Ik bewaar uw naam, taal en afspraken. Ook uw niveau Nederlands en uw code bij Telegram. "
    "En hoeveel berichten u kreeg. En wat uw begeleider over u schrijft."
)

# Translators: button text, keep it short (about 15 characters).
BUTTON_AGREE = label("Ja, dat is goed")

# Translators: button text, keep it short (about 15 characters).
BUTTON_NOT_NOW = label("Nu niet")

# Translators: after the newcomer agreed.
NEWCOMER_CONSENT_THANKS = for_newcomers(
    "Dank u. U krijgt nu berichten van mij. Typ /help voor hulp."
)

# Translators: after the newcomer said "not now".
NEWCOMER_CONSENT_REFUSED = for_newcomers(
    "Goed. Ik stuur u geen berichten. Wilt u later toch berichten? Vraag uw begeleider."
)

# Translators: the newcomer opened their link again, but is already signed up.
NEWCOMER_ALREADY_LINKED = for_newcomers("Ik ken u al. Typ /help voor hulp.")

# Translators: help text for newcomers.
NEWCOMER_HELP = for_newcomers(
    "Afspraken: /afspraken. Contactpersoon: /contact. Taal: /taal. "
    "Wat weet ik over u? /gegevens. Alles wissen? /vergeet. Geen berichten? /stop."
)

# Translators: after /stop. Nothing more will be sent.
NEWCOMER_STOPPED = for_newcomers("U krijgt geen berichten meer. Wilt u weer berichten? Typ /start.")

# --- Newcomers: language, menu, contact card, appointments, data -----------------

# Translators: under the welcome, above the language buttons.
LANGUAGE_PICKER = for_newcomers("Is dit uw taal? Kies hier een andere taal.")

# Translators: after /taal, above the language buttons.
CHOOSE_LANGUAGE = for_newcomers("Kies uw taal.")

# Translators: after choosing a language. {language} is the language's own name.
LANGUAGE_CHANGED = for_newcomers("Uw taal is nu {language}.")

# Translators: menu button (an icon goes before it). One or two short words.
MENU_APPOINTMENTS = label("Afspraken")

# Translators: menu button (an icon goes before it). One or two short words.
MENU_CONTACT = label("Contactpersoon")

# Translators: menu button (an icon goes before it). One or two short words.
MENU_LANGUAGE = label("Taal")

# Translators: menu button (an icon goes before it). One or two short words.
MENU_HELP = label("Hulp")

# Translators: a newcomer used the menu before answering the consent question.
CONSENT_FIRST = for_newcomers(
    "Eerst een vraag: mag ik u berichten sturen? Kies een knop hierboven."
)

# Translators: contact card, first line. {organisation} is a short name like VDAB.
CARD_CONTACT = for_newcomers("Uw contactpersoon is {name} van {organisation}.")

# Translators: contact card. {phone} is an international number like +32 470 12 34 56.
CARD_PHONE = for_newcomers("Bel of stuur een bericht: {phone}.")

# Translators: contact card. {hours} is typed by the contact person, in Dutch.
CARD_HOURS = for_newcomers("U kunt bellen: {hours}.")

# Translators: contact card. {spoken} is a list of language names.
CARD_LANGUAGES = for_newcomers("{name} spreekt {spoken}.")

# Translators: contact card, above the other people who help the newcomer.
CARD_OTHERS = for_newcomers("Ook deze mensen helpen u:")

# Translators: contact card, one other helper. {about} is one of the "Ask ..." lines below.
CARD_OTHER = for_newcomers("{name} ({organisation}): {about}")

# Translators: what to ask a caseworker about (contact card).
ABOUT_CASEWORKER = for_newcomers("Vraag naar uw plan en uw afspraken.")

# Translators: what to ask a civic-integration counsellor about (contact card).
ABOUT_CIVIC_INTEGRATION = for_newcomers("Vraag naar inburgering en de les over België.")

# Translators: what to ask a social worker about (contact card).
ABOUT_SOCIAL_WORKER = for_newcomers("Vraag naar geld, wonen en papieren.")

# Translators: what to ask a job coach about (contact card).
ABOUT_JOB_COACH = for_newcomers("Vraag naar werk en een job zoeken.")

# Translators: what to ask a Dutch teacher about (contact card).
ABOUT_TEACHER = for_newcomers("Vraag naar de les Nederlands.")

# Translators: what a buddy (a volunteer) does with the newcomer (contact card).
ABOUT_BUDDY = for_newcomers("Samen praten en Nederlands oefenen.")

# Translators: sent when the newcomer gets a new contact person; the card follows.
CONTACT_CHANGED = for_newcomers("U hebt een nieuwe contactpersoon: {name} van {organisation}.")

# Translators: list of appointments, title.
APPOINTMENTS_TITLE = for_newcomers("Uw afspraken:")

# Translators: the newcomer has no appointments planned.
APPOINTMENTS_NONE = for_newcomers("U hebt nu geen afspraken.")

# Translators: one appointment. {when} is a weekday, date and time; {kind} a word below.
APPOINTMENT_LINE = for_newcomers("{when}: {kind}. Waar: {place}. Met: {with_whom}.")

# Translators: one appointment without a named person.
APPOINTMENT_LINE_NO_PERSON = for_newcomers("{when}: {kind}. Waar: {place}.")

# Translators: kind of appointment: the first talk with two counsellors and an interpreter.
KIND_DUO_INTAKE = label("Eerste gesprek")

# Translators: kind of appointment.
KIND_JOB_COACH = label("Jobcoach")

# Translators: kind of appointment.
KIND_SOCIAL_WORKER = label("Sociaal werker")

# Translators: kind of appointment: civic integration (inburgering).
KIND_CIVIC_INTEGRATION = label("Inburgering")

# Translators: kind of appointment: an information session for a group.
KIND_INFO_SESSION = label("Infosessie")

# Translators: kind of appointment: any other appointment.
KIND_OTHER = label("Afspraak")

# Translators: a stopped newcomer typed /start again.
NEWCOMER_RESUMED = for_newcomers("Welkom terug. U krijgt weer berichten. Typ /help voor hulp.")

# Translators: "what do you know about me", title of the list.
MY_DATA_TITLE = for_newcomers("Dit weet Schakel over u:")

# Translators: {reference} is a code like K-7F3Q.
MY_DATA_NAME = for_newcomers("Naam: {name}. Code: {reference}.")

# Translators: {language} is a language name.
MY_DATA_LANGUAGE = for_newcomers("Taal: {language}.")

# Translators: {level} is a level like A1 or B1.
MY_DATA_LEVEL = for_newcomers("Niveau Nederlands: {level}.")

# Translators: {when} is a date and time.
MY_DATA_CONSENT = for_newcomers("U zei ja tegen berichten op {when}.")

# Translators: {telegram} is a number.
MY_DATA_TELEGRAM = for_newcomers("Uw code bij Telegram (geen nummer om te bellen): {telegram}.")

# Translators: the newcomer's mobile number, kept for text messages (SMS) only.
# {number} is a phone number.
MY_DATA_SMS = for_newcomers("Uw nummer voor sms: {number}.")

# Translators: {names} is a list of names with their organisation.
MY_DATA_COUNSELLORS = for_newcomers("Uw begeleiders: {names}.")

# Translators: {count} is a number.
MY_DATA_APPOINTMENTS = for_newcomers("Afspraken: {count}.")

# Translators: {count} is a number.
MY_DATA_MESSAGES = for_newcomers("Berichten van Schakel aan u: {count}.")

# Translators: notes that counsellors passed on to another organisation. {count} is a number.
MY_DATA_HANDOVERS = for_newcomers(
    "Uw begeleider schreef {count} keer over u aan een andere dienst."
)

# Translators: last line of "what do you know about me".
MY_DATA_FORGET = for_newcomers("Alles wissen? Typ /vergeet.")

# Translators: the newcomer typed /vergeet. Two buttons follow.
FORGET_QUESTION = for_newcomers(
    "Wilt u dat Schakel alles over u wist? Daarna is alles voor altijd weg."
)

# Translators: button, keep it short.
BUTTON_FORGET_YES = label("Ja, alles wissen")

# Translators: button, keep it short.
BUTTON_FORGET_NO = label("Nee")

# Translators: after "No" to the question above.
FORGET_CANCELLED = for_newcomers("Goed. Ik wis niets.")

# Translators: the last message after erasing everything.
FORGOTTEN = for_newcomers("Ik heb alles over u gewist. U krijgt geen berichten meer. Dag!")

# --- Staff: joining -------------------------------------------------------------

# Translators: role name of a caseworker (counsellor at a partner organisation).
ROLE_CASEWORKER = N_("begeleider")

# Translators: role name of the neutral process coordinator.
ROLE_COORDINATOR = N_("coördinator")

# Translators: role name of whoever runs the bot.
ROLE_ADMIN = N_("beheerder")

# Translators: after a staff member opened their invite link.
STAFF_WELCOME = N_(
    "Welkom, {name}. U bent nu {role} bij {organisation}. Typ /help om te zien wat u kunt doen."
)

# Translators: a staff member opened a staff link but already has an account.
STAFF_ALREADY_JOINED = N_("U hebt al een account als {role}. Typ /help.")

# --- Admin ----------------------------------------------------------------------

# Translators: help for admins. Commands stay as they are.
ADMIN_HELP = N_(
    "U bent beheerder. "
    "Nieuwe medewerker: /uitnodigen ROL ORGANISATIE. "
    "Rollen: {roles}. Organisaties: {organisations}. "
    "De groep van de partners koppelen: typ /partnergroep in die groep."
)

# Translators: how to use /uitnodigen, after a mistake.
STAFF_INVITE_USAGE = N_(
    "Zo werkt het: /uitnodigen ROL ORGANISATIE. "
    "Bijvoorbeeld: /uitnodigen begeleider VDAB. "
    "Rollen: {roles}. Organisaties: {organisations}."
)

# Translators: an admin typed a role that does not exist.
UNKNOWN_ROLE = N_("De rol {role} ken ik niet. Kies uit: {roles}.")

# Translators: someone typed an organisation that is not in the configuration.
UNKNOWN_ORGANISATION = N_("De organisatie {organisation} ken ik niet. Kies uit: {organisations}.")

# Translators: the admin made a staff invite link. {expires} is a date and time.
STAFF_INVITE_CREATED = N_(
    "Deze link is voor een nieuwe {role} bij {organisation}. "
    "Hij werkt één keer, tot {expires}. "
    "Stuur hem alleen naar die persoon: {link}"
)

# Translators: help for admins, second part: staff who leave. Commands stay as they are.
ADMIN_HELP_STAFF = N_(
    "Iemand vertrekt of komt terug: /medewerkers. "
    "Daar stopt u de toegang van een medewerker, of geeft u die terug."
)

# Translators: the top of /medewerkers, before one line per staff member.
STAFF_LIST_TITLE = N_(
    "Medewerkers met toegang. Tik op ⛔ en een naam om de toegang van die persoon te stoppen."
)

# Translators: in /medewerkers, before the people whose access was stopped.
STAFF_LIST_STOPPED = N_("Toegang gestopt. Tik op ↩ en een naam om de toegang terug te geven.")

# Translators: one staff member in /medewerkers. {number} is the number to use with
# `schakel staff` on the command line; {role}: caseworker, coordinator or admin.
STAFF_LIST_LINE = N_("#{number} {name}, {role} bij {organisation}")

# Translators: one staff member in /medewerkers who belongs to no organisation (an admin).
STAFF_LIST_LINE_NO_ORGANISATION = N_("#{number} {name}, {role}")

# Translators: the admin wants to stop someone's access; that person is the contact
# person of some newcomers. Buttons with colleagues' names follow.
# {count} is a number after a colon ("newcomers with X as contact
# person: 3"), so that no noun has to agree with it: it is often 1.
STAFF_STOP_CHOOSE = N_(
    "Nieuwkomers met {name} als contactpersoon: {count}. "
    "Wie van {organisation} neemt hen over? "
    "Elke nieuwkomer krijgt een bericht met de nieuwe contactpersoon. "
    "Daarna stopt de toegang van {name}."
)

# Translators: the admin wants to stop the access of someone with no newcomers.
STAFF_STOP_CONFIRM = N_(
    "Wilt u de toegang van {name} stoppen? "
    "Links van {name} die niemand gebruikte, werken dan ook niet meer."
)

# Translators: nobody at the organisation can take over the newcomers of the person
# who leaves. Nothing changed. {count} is a number after a colon,
# so that no noun has to agree with it: it is often 1.
STAFF_STOP_NO_COLLEAGUE = N_(
    "Nieuwkomers met {name} als contactpersoon: {count}. Geen andere begeleider van "
    "{organisation} heeft toegang, dus niemand kan hen overnemen. "
    "Nodig eerst een begeleider uit met /uitnodigen. Ik heb niets veranderd."
)

# Translators: done. {count} is how many newcomers now have
# {colleague} as contact person: a number after a colon, often 1.
STAFF_STOPPED = N_(
    "Ik heb de toegang van {name} gestopt. Nieuwkomers die nu {colleague} als "
    "contactpersoon hebben: {count}. Zij krijgen daarover een bericht. "
    "Open links van {name} die niet meer werken: {links}."
)

# Translators: done, for someone who was nobody's contact person.
STAFF_STOPPED_ALONE = N_(
    "Ik heb de toegang van {name} gestopt. Open links van {name} die niet meer werken: {links}."
)

# Translators: sent to the colleague who takes over. {newcomers} is a list of first
# names with their codes, e.g. "Amal (K-7F3Q), Dawit (K-2B8M)".
STAFF_NEWCOMERS_FOR_YOU = N_(
    "{name} werkt niet meer met Schakel. U neemt over als contactpersoon. Nieuwkomers "
    "die u overneemt ({count}): {newcomers}. Typ /clienten om uw lijst te zien."
)

# Translators: the admin wants to give someone their access back.
STAFF_BACK_CONFIRM = N_(
    "Wilt u {name} weer toegang geven, als {role}? "
    "Nieuwkomers die een collega overnam, blijven bij die collega."
)

# Translators: done: the person can use Schakel again.
STAFF_BACK_DONE = N_("{name} heeft weer toegang tot Schakel, als {role}.")

# Translators: the admin pressed an old button or the person is gone. Nothing changed.
STAFF_NOT_FOUND = N_("Die medewerker vind ik niet. Typ /medewerkers voor de lijst.")

# Translators: the access of this person was already stopped. Nothing changed.
STAFF_ALREADY_STOPPED = N_("{name} heeft al geen toegang meer.")

# Translators: this person already has access. Nothing changed.
STAFF_ALREADY_BACK = N_("{name} heeft al toegang.")

# Translators: the last admin cannot lose access: then nobody could manage Schakel.
STAFF_LAST_ADMIN = N_(
    "{name} is de enige beheerder. Maak eerst iemand anders beheerder met /uitnodigen. "
    "Ik heb niets veranderd."
)

# Translators: a made-up or old button named a colleague who cannot take over. Nothing changed.
STAFF_NOT_A_COLLEAGUE = N_(
    "Die persoon kan de nieuwkomers niet overnemen. Kies een begeleider van {organisation} "
    "met toegang. Ik heb niets veranderd."
)

# Translators: someone whose access an admin stopped writes to Schakel. Only this line.
STAFF_ACCESS_ENDED = N_(
    "Een beheerder heeft uw toegang tot Schakel gestopt. Klopt dat niet? Vraag het aan een "
    "beheerder."
)

# Translators: the admin chose not to stop or give back access.
STAFF_NOTHING_CHANGED = N_("Goed. Ik heb niets veranderd.")

# Translators: button. Stop this person's access (then their newcomers go to a colleague).
BUTTON_STOP_ACCESS = label("⛔ Toegang stoppen")

# Translators: button. Give this person their access back.
BUTTON_GIVE_ACCESS_BACK = label("↩ Toegang teruggeven")

# Translators: button. Do not change anything.
BUTTON_KEEP_AS_IS = label("Niets veranderen")

# --- Caseworker -----------------------------------------------------------------

# Translators: help for caseworkers. Commands stay as they are.
CASEWORKER_HELP = N_(
    "U bent begeleider. "
    "Nieuwkomer uitnodigen: /nieuw VOORNAAM TAAL NIVEAU. "
    "Uw nieuwkomers: /clienten. Eén nieuwkomer: /client CODE. "
    "Iemand die ook helpt: /betrokken. Uw telefoon en uren: /profiel. "
    "Afspraak plannen: /afspraak CODE. Afspraken van vandaag: /vandaag. Van deze week: /week. "
    "Dossier doorgeven aan een partner: /overdracht CODE. Wat er al gebeurde: /geschiedenis CODE. "
    "Stoppen met een formulier: /cancel. "
    "Talen: {languages}."
)

# Translators: how to use /nieuw, after a mistake.
NEWCOMER_INVITE_USAGE = N_(
    "Zo werkt het: /nieuw VOORNAAM TAAL NIVEAU. Het niveau mag u weglaten. "
    "Bijvoorbeeld: /nieuw Amal ar A1. Talen: {languages}. Niveaus: {levels}."
)

# Translators: someone typed a language code that Schakel does not support.
UNKNOWN_LANGUAGE = N_("De taal {language} ken ik niet. Kies uit: {languages}.")

# Translators: a first name that is too long or has odd characters.
BAD_FIRST_NAME = N_(
    "Typ alleen een voornaam of roepnaam, hoogstens {max} tekens. Geen achternaam, geen nummers."
)

# Translators: the caseworker invited a newcomer. {reference} is a code like K-7F3Q.
NEWCOMER_INVITE_CREATED = N_(
    "{name} ({reference}) staat in Schakel. "
    "Geef deze link aan {name}. "
    "Hij werkt één keer, tot {expires}: {link}"
)

# Translators: told to the caseworker when the newcomer agreed to get messages.
CASEWORKER_CONSENT_GIVEN = N_("{name} ({reference}) zei ja en wil berichten krijgen.")

# Translators: told to the caseworker when the newcomer said "not now".
CASEWORKER_CONSENT_REFUSED = N_("{name} ({reference}) wil nu geen berichten. Ik stuur niets.")

# Translators: told to the caseworker when the newcomer typed /stop.
CASEWORKER_NEWCOMER_STOPPED = N_(
    "{name} ({reference}) wil geen berichten meer. Ik stuur niets meer."
)

# Translators: told to the caseworker when Telegram no longer delivers to a newcomer
# (they blocked the bot or removed Telegram).
CASEWORKER_NEWCOMER_UNREACHABLE = N_(
    "{name} ({reference}) krijgt geen berichten meer van Schakel. "
    "Misschien heeft {name} Schakel geblokkeerd of Telegram gewist. Neem zelf contact op."
)

# Translators: told to the contact person when a newcomer Telegram did not deliver to
# wrote to Schakel again (they unblocked it).
CASEWORKER_NEWCOMER_REACHABLE = N_(
    "{name} ({reference}) krijgt weer berichten van Schakel. "
    "Herinneringen voor komende afspraken gaan weer."
)

# Translators: told to the caseworker after /nieuw ... sms +32...: the opt-in SMS went.
# {number} is the newcomer's mobile number.
STAFF_SMS_OPT_IN_SENT = N_(
    "Ik stuurde {name} ({reference}) een sms op {number}. "
    "Pas als {name} JA antwoordt, stuur ik meer. U hoort het hier."
)

# Translators: the newcomer answered JA to the opt-in SMS.
STAFF_SMS_AGREED = N_("{name} ({reference}) antwoordde JA op de sms. Berichten gaan nu per sms.")

# Translators: the newcomer answered STOP by SMS.
STAFF_SMS_STOPPED = N_("{name} ({reference}) antwoordde STOP. Ik stuur {name} geen sms meer.")

# Translators: the newcomer answered START by SMS after STOP.
STAFF_SMS_STARTED = N_("{name} ({reference}) antwoordde START. De sms gaan weer.")

# Translators: the gateway cannot deliver SMS to this number (unknown, a landline).
STAFF_SMS_UNREACHABLE = N_(
    "Een sms aan {name} ({reference}) komt niet aan: dit nummer krijgt geen sms. "
    "Neem zelf contact op."
)

# Translators: Telegram no longer reaches the newcomer; their number (with their JA) does.
STAFF_SMS_FALLBACK = N_(
    "{name} ({reference}) krijgt geen berichten meer op Telegram. Berichten gaan nu per sms."
)

# Translators: an SMS from the newcomer that Schakel cannot read as an answer, passed on
# as it is. {text} is what they wrote.
STAFF_SMS_FORWARDED = N_("Sms van {name} ({reference}): {text}")

# Translators: to coordinators, once a month. {segments} is a number of text messages.
COORDINATOR_SMS_BUDGET = N_(
    "Het sms-budget van deze maand is op ({segments} sms). "
    "Tot volgende maand gaan er geen sms meer. De beheerder kan het budget hoger zetten."
)

# Translators: /nieuw ... sms NUMBER with a number that cannot get SMS. {number} as typed.
BAD_SMS_NUMBER = N_("{number} is geen gsm-nummer. Typ het zo: +32470123456.")

# Translators: another newcomer already has this mobile number.
SMS_NUMBER_TAKEN = N_("Een andere nieuwkomer heeft dit nummer al.")

# Translators: SMS is not set up on this Schakel.
SMS_IS_OFF = N_("Sms staat uit. Vraag de beheerder om sms in te stellen.")

# Translators: usage of /sms. CODE is a newcomer's reference.
SMS_USAGE = N_("Typ /sms CODE NUMMER, bijvoorbeeld: /sms K-7F3Q +32470123456")

# Translators: the question after the 📱 button on a newcomer's sheet. {name} is their
# first name, {reference} their code.
SMS_NUMBER_ASK = N_(
    "Typ het gsm-nummer van {name} ({reference}), bijvoorbeeld: +32470123456. "
    "Ik stuur dan een sms met de vraag of dat mag."
)

# Translators: button on a newcomer's sheet: add (or change) their mobile number for SMS.
BUTTON_SMS_NUMBER = label("📱 Sms-nummer")

# Translators: a newcomer who joined by SMS now uses Telegram (the contact person is told).
# {name} is their first name, {reference} their code.
STAFF_SMS_KEPT = N_("{name} ({reference}) gebruikt nu Telegram. Sms blijft als reserve.")

# Translators: as above, but the newcomer wants no SMS: their number is erased.
STAFF_SMS_NUMBER_ERASED = N_(
    "{name} ({reference}) gebruikt nu Telegram en wil geen sms. Ik heb het nummer gewist."
)

# Translators: a Dutch level that does not exist. {levels} is a list like A1, A2, B1.
UNKNOWN_LEVEL = N_("Het niveau {level} ken ik niet. Kies uit: {levels}.")

# Translators: under the invite link, with the QR code picture.
QR_CAPTION = N_("Laat {name} deze code scannen met de camera. Of stuur de link.")

# Translators: how to use /betrokken (someone else who helps the newcomer).
COUNSELLOR_USAGE = N_(
    "Zo werkt het: /betrokken CODE ROL ORGANISATIE NAAM. "
    "Bijvoorbeeld: /betrokken K-7F3Q jobcoach VDAB Sarah Peeters. Rollen: {roles}."
)

# Translators: after /betrokken. {counsellor} is a name, {role} a role.
COUNSELLOR_ADDED = N_("{counsellor} ({role}, {organisation}) helpt nu ook {name} ({reference}).")

# Translators: role of someone who helps a newcomer.
COUNSELLOR_CASEWORKER = label("begeleider")

# Translators: role of someone who helps a newcomer: civic-integration counsellor.
COUNSELLOR_CIVIC_INTEGRATION = label("inburgering")

# Translators: role of someone who helps a newcomer.
COUNSELLOR_SOCIAL_WORKER = label("sociaal werker")

# Translators: role of someone who helps a newcomer.
COUNSELLOR_JOB_COACH = label("jobcoach")

# Translators: role of someone who helps a newcomer: a teacher of Dutch.
COUNSELLOR_TEACHER = label("leraar")

# Translators: role of someone who helps a newcomer: a volunteer.
COUNSELLOR_BUDDY = label("buddy")

# Translators: list of the caseworker's newcomers, title. {count} is a number.
NEWCOMERS_TITLE = N_("Nieuwkomers: {count}. Typ /client CODE voor meer.")

# Translators: the caseworker has no newcomers yet.
NEWCOMERS_NONE = N_("U hebt nog geen nieuwkomers. Typ /nieuw om iemand uit te nodigen.")

# Translators: one newcomer in the list. {next} is a date or the word for "none".
NEWCOMERS_LINE = N_("{reference} {name}, {language}, {status}. Volgende afspraak: {next}.")

# Translators: the list is cut short. {count} is a number.
NEWCOMERS_MORE = N_("En nog {count}.")

# Translators: "no next appointment" in the list.
NO_NEXT = label("geen")

# Translators: status of a newcomer: invited, has not opened the link yet.
STATUS_INVITED = label("uitgenodigd")

# Translators: status of a newcomer: gets messages.
STATUS_ACTIVE = label("actief")

# Translators: status of a newcomer: asked for no more messages.
STATUS_STOPPED = label("gestopt")

# Translators: status of a newcomer: Telegram no longer delivers.
STATUS_UNREACHABLE = label("onbereikbaar")

# Translators: how to use /client.
NEWCOMER_USAGE = N_(
    "Zo werkt het: /client CODE. Bijvoorbeeld: /client K-7F3Q. Uw lijst: /clienten."
)

# Translators: no such newcomer, or not one of this caseworker's.
NEWCOMER_NOT_FOUND = N_("Ik vind geen nieuwkomer {reference} bij u. Typ /clienten.")

# Translators: one newcomer, first line.
NEWCOMER_SHEET = N_("{name} ({reference}): {status}. Taal: {language}. Niveau: {level}.")

# Translators: one newcomer: the contact person and the others who help.
NEWCOMER_SHEET_PEOPLE = N_("Contactpersoon: {contact}. Ook betrokken: {others}.")

# Translators: one newcomer: the next appointment.
NEWCOMER_SHEET_NEXT = N_("Volgende afspraak: {next}.")

# Translators: one newcomer, shown only to the people who help them: their mobile number
# for text messages (SMS) and where that stands ({state}: one of the four below).
NEWCOMER_SHEET_SMS = N_("Sms naar {number}: {state}.")

# Translators: the SMS state: the opt-in SMS went, no answer yet.
SMS_STATE_ASKED = label("nog geen antwoord")
# Translators: the SMS state: the newcomer answered JA.
SMS_STATE_AGREED = label("akkoord")
# Translators: the SMS state: the newcomer answered STOP.
SMS_STATE_STOPPED = label("gestopt")
# Translators: the SMS state: the number cannot get SMS.
SMS_STATE_UNREACHABLE = label("komt niet aan")

# Translators: button under one newcomer.
BUTTON_CHANGE_LANGUAGE = label("Taal wijzigen")

# Translators: button under one newcomer.
BUTTON_CHANGE_CONTACT = label("Contact wijzigen")

# Translators: button under one newcomer.
BUTTON_NEW_LINK = label("Nieuwe link")

# Translators: button under one newcomer.
BUTTON_REVOKE_LINK = label("Link stoppen")

# Translators: button under one newcomer: everything Schakel knows about them.
BUTTON_EXPORT = label("Alle gegevens")

# Translators: button under one newcomer.
BUTTON_FORGET = label("Alles wissen")

# Translators: the caseworker chooses a language for a newcomer.
CHOOSE_LANGUAGE_FOR = N_("Welke taal spreekt {name} ({reference})?")

# Translators: after the caseworker changed the newcomer's language.
LANGUAGE_SET_FOR = N_("{name} ({reference}) krijgt de berichten nu in het {language}.")

# Translators: the caseworker chooses a new contact person.
CHOOSE_CONTACT_FOR = N_("Wie wordt de contactpersoon van {name} ({reference})?")

# Translators: nobody else to choose as contact person.
NO_OTHER_CONTACT = N_("Er is geen andere begeleider om te kiezen. Voeg iemand toe met /betrokken.")

# Translators: after the contact person changed.
CONTACT_SET_FOR = N_("{contact} is nu de contactpersoon van {name} ({reference}).")

# Translators: told to the new contact person.
CONTACT_NOW_YOU = N_(
    "U bent nu de contactpersoon van {name} ({reference}). Typ /client {reference}."
)

# Translators: after the caseworker stopped an invite link.
LINK_REVOKED_FOR = N_("De link van {name} ({reference}) werkt niet meer.")

# Translators: there was no open invite link to stop.
NO_OPEN_LINK = N_("{name} ({reference}) heeft geen open link.")

# Translators: the caseworker asks to erase a newcomer. Two buttons follow.
FORGET_QUESTION_STAFF = N_(
    "Alles over {name} ({reference}) wissen? Doe dit alleen als {name} dat vraagt. "
    "Dat kan niet terug."
)

# Translators: told to the contact person after a newcomer was erased.
CASEWORKER_NEWCOMER_FORGOTTEN = N_(
    "{name} ({reference}) vroeg om alles te wissen. Ik heb alles gewist."
)

# Translators: told to the caseworker after they erased a newcomer.
STAFF_FORGOTTEN = N_("Ik heb alles over {reference} gewist. Alleen anonieme tellingen blijven.")

# Translators: told to the contact person when a stopped newcomer starts again.
CASEWORKER_NEWCOMER_RESUMED = N_("{name} ({reference}) wil weer berichten krijgen.")

# Translators: how to use /profiel (what newcomers see on their contact card).
PROFILE_USAGE = N_(
    "Nieuwkomers zien dit op hun contactkaart. "
    "Zo past u het aan: /profiel telefoon NUMMER, /profiel uren ma-do 9-12 of /profiel talen CODES."
)

# Translators: the staff member's own contact details.
PROFILE_SHOW = N_("Telefoon: {phone}. Bereikbaar: {hours}. Talen: {languages}.")

# Translators: a phone number that could not be read.
BAD_PHONE = N_("Dit nummer klopt niet: {phone}. Typ bijvoorbeeld +32 9 123 45 67.")

# Translators: /profiel uren with hours Schakel cannot read; {hours} is what was typed.
# Keep the Dutch day abbreviations and the examples as they are: staff type them so.
BAD_HOURS = N_(
    "Deze uren begrijp ik niet: {hours}. Typ de dagen en dan de uren, "
    "zoals ma-do 9-12 of ma, wo 9u-12u30. Dagen: ma di wo do vr za zo. "
    "Ik heb niets veranderd."
)

# Translators: a detail that is not filled in yet.
NOT_SET = label("niet ingevuld")

# --- Coordinator ----------------------------------------------------------------

# Translators: help for coordinators.
COORDINATOR_HELP = N_(
    "U bent coördinator. Overzicht per organisatie: /overzicht. "
    "Alle nieuwkomers: /clienten. Eén nieuwkomer: /client CODE. "
    "Afspraak plannen: /afspraak CODE. Afspraken van vandaag: /vandaag. Van deze week: /week. "
    "Wat er al gebeurde: /geschiedenis CODE."
)

# Translators: coordinator overview, one line per organisation follows.
# {newcomers}, {linked} and {staff} are numbers, each after the word it
# counts, so that no noun has to agree with them (any can be 1).
COORDINATOR_OVERVIEW = N_(
    "Overzicht. Nieuwkomers: {newcomers}, van wie aangemeld: {linked}. Medewerkers: {staff}."
)

# Translators: one line of the overview per organisation. {newcomers}
# and {staff} are numbers, each after the word it counts (often 1).
COORDINATOR_OVERVIEW_LINE = N_("{organisation}: nieuwkomers {newcomers}, medewerkers {staff}.")


# --- Appointments: the reminder a newcomer gets ---------------------------------
# A reminder is the newcomer's language in full first, then the Dutch SMS-style text
# (one SMS) under the Dutch separator. The first lines show on a locked phone: no name,
# no kind of service, no place in them.

# The Dutch SMS-style text, only ever in Dutch. It must fit one SMS with the longest
# realistic values, so every character counts: no labels where the value speaks.
# {day} is a weekday and date, {time} a clock time, {number} a phone number.
SMS_REMINDER = in_dutch_only("Afspraak: {day} om {time}")
SMS_NEW = in_dutch_only("Nieuwe afspraak: {day} om {time}")
SMS_CHANGED = in_dutch_only("Afspraak veranderd: {day} om {time}")
SMS_CANCELLED = in_dutch_only("Afspraak op {day} om {time} gaat niet door. U hoeft niet te komen.")
SMS_WITH = in_dutch_only("Met {with_whom}")
SMS_WITH_INTERPRETER = in_dutch_only("Met {with_whom}, tolk {interpreter}")
SMS_CALL = in_dutch_only("Vragen? Bel {number}")

# --- SMS for newcomers without Telegram (issue 21) -------------------------------
# Only ever in Dutch, each one SMS. Nothing a shared phone should not show: no name,
# no kind of service, no place in the first words.

# The reminder by SMS: the colon of SMS_REMINDER makes room for the reply keywords.
SMS_REMINDER_BY_SMS = in_dutch_only("Afspraak {day} om {time}")
# The last line of an appointment SMS: how to answer.
SMS_ANSWER = in_dutch_only("Antwoord 1 = ik kom, 2 = ik kan niet")
# The opt-in: who sends it, what for, how to say yes or no. {contact} is the contact
# person, {organisation} a short name.
SMS_OPT_IN = in_dutch_only(
    "Dit is Schakel, van {contact} ({organisation}). Wij sturen u een sms over uw afspraken. "
    "Is dat goed? Antwoord JA. Liever niet? Antwoord STOP."
)
SMS_AGREED = in_dutch_only(
    "Dank u. U krijgt nu een sms over uw afspraken. Geen sms meer? Antwoord STOP."
)
# After the JA: who to call. {contact} is the contact person, {number} their phone number.
SMS_CONTACT = in_dutch_only("Uw contactpersoon is {contact}. Vragen? Bel {number}")
SMS_STARTED = in_dutch_only("U krijgt weer sms van Schakel. Geen sms meer? Antwoord STOP.")
SMS_COMING_THANKS = in_dutch_only("Dank u. Tot dan!")
SMS_WHY_NOT = in_dutch_only(
    "Jammer. Waarom kunt u niet komen? Antwoord 1 ziek, 2 werk, 3 les, 4 iets anders"
)
SMS_REASON_THANKS = in_dutch_only("Dank u. Uw contactpersoon weet het nu.")
SMS_NOTED = in_dutch_only("Dank u. Ik schrijf het op.")
# After JA or NEE to a handover note's consent question by SMS.
SMS_CONSENT_THANKS = in_dutch_only("Dank u. Ik geef uw antwoord door.")

# Translators: the last line of an SMS that asks whether a handover note may go (in
# Dutch, then in the newcomer's language). Keep JA and NEE in Dutch: Schakel reads them.
SMS_YES_OR_NO = for_newcomers("Antwoord JA of NEE.")

# Translators: a newcomer who got SMS so far has just joined on Telegram. Schakel asks
# whether it may still send an SMS when Telegram does not reach them.
SMS_KEEP_QUESTION = for_newcomers(
    "Ik heb ook uw nummer voor sms. Werkt Telegram niet? Mag ik u dan een sms sturen? "
    "Zo niet, dan wis ik uw nummer."
)

# Translators: button: yes, keep SMS as a backup.
BUTTON_SMS_KEEP = label("✅ Ja, ook sms")

# Translators: button: no SMS, erase my number.
BUTTON_SMS_ERASE = label("❌ Nee, geen sms")

# Translators: the newcomer said yes to SMS as a backup.
SMS_KEPT = for_newcomers("Goed. Werkt Telegram niet? Dan krijgt u een sms.")

# Translators: the newcomer said no: their mobile number is erased.
SMS_NUMBER_ERASED = for_newcomers("Goed. Ik heb uw nummer gewist. U krijgt geen sms meer.")

# The second SMS in the newcomer's own language (`[sms] translation`), after the Dutch one.
# Translators: the last line of an SMS about an appointment: how to answer. Keep the
# digits 1 and 2 as they are (Schakel reads them).
SMS_ANSWER_OWN = for_newcomers("Komt u? Antwoord 1. Kunt u niet? Antwoord 2.")

# Translators: an SMS after the Dutch one, to a newcomer a caseworker registered with
# their mobile number. {contact} is the contact person, {organisation} a short name. Keep
# the words JA and STOP in Dutch and in capitals: Schakel reads them.
SMS_OPT_IN_OWN = for_newcomers(
    "Schakel stuurt sms voor {contact} ({organisation}), over uw afspraken. "
    "Is dat goed? Antwoord JA. Liever niet? Antwoord STOP."
)

# Translators: a social interpreter for {interpreter} (a language name, e.g. "Arabisch")
# will be there.
INTERPRETER_BOOKED = for_newcomers("Er is een tolk {interpreter}.")

# Translators: first line of the full reminder in the newcomer's language.
REMINDER_TITLE = for_newcomers("Herinnering: u hebt een afspraak.")

# Translators: first line of the full message about a new appointment.
NEW_TITLE = for_newcomers("U hebt een nieuwe afspraak.")

# Translators: first line of the full message about a changed appointment.
CHANGED_TITLE = for_newcomers("Let op: uw afspraak verandert.")

# Translators: first line of the full message about a cancelled appointment.
CANCELLED_TITLE = for_newcomers("Uw afspraak gaat niet door.")

# Translators: what kind of appointment; {kind} is one of the kinds above.
FULL_WHAT = for_newcomers("Wat: {kind}")

# Translators: when; {when} is weekday, date and time.
FULL_WHEN = for_newcomers("Wanneer: {when}")

# Translators: where; {place} is an address.
FULL_WHERE = for_newcomers("Waar: {place}")

# Translators: with whom; {with_whom} are names.
FULL_WITH = for_newcomers("Met: {with_whom}")

# Translators: who to call with questions: {contact} is a name, {number} a phone number.
FULL_CALL = for_newcomers("Vragen? Bel {contact}: {number}")

# Translators: under a reminder, above the buttons.
FULL_ASK = for_newcomers("Komt u? Tik op een knop.")

# Translators: button under a reminder.
BUTTON_COMING = label("✅ Ik kom")

# Translators: button under a reminder.
BUTTON_NOT_COMING = label("❌ Ik kan niet")

# Translators: button under a reminder: opens a map with the route to the address.
BUTTON_ROUTE = label("📍 Route")

# Translators: button under a reminder: sends a calendar file.
BUTTON_CALENDAR = label("📅 In mijn agenda")

# Translators: the newcomer tapped "I'll come".
ANSWER_COMING = for_newcomers("Dank u. Tot dan!")

# Translators: the newcomer tapped "I can't come". {contact} is their contact person.
ANSWER_NOT_COMING = for_newcomers("Dank u. Ik zeg het aan {contact}. Waarom kunt u niet komen?")

# Translators: button: why the newcomer cannot come.
BUTTON_REASON_ILL = label("🤒 Ik ben ziek")

# Translators: button: why the newcomer cannot come.
BUTTON_REASON_WORK = label("💼 Ik moet werken")

# Translators: button: why the newcomer cannot come (a Dutch lesson at that time).
BUTTON_REASON_DUTCH_CLASS = label("📚 Les Nederlands")

# Translators: button: why the newcomer cannot come.
BUTTON_REASON_OTHER = label("Iets anders")

# Translators: after the newcomer said why. {contact} is their contact person.
ANSWER_REASON_THANKS = for_newcomers("Dank u. {contact} belt u voor een nieuwe afspraak.")

# Translators: a button of an appointment that is over or cancelled.
APPOINTMENT_CLOSED = for_newcomers("Deze afspraak is voorbij of gaat niet door.")

# Translators: caption of the calendar file.
CALENDAR_CAPTION = for_newcomers("Open dit bestand. Dan staat de afspraak in uw agenda.")

# --- Appointments: towards a new appointment (the newcomer) ----------------------

# Translators: after "I can't come" (or "new appointment, please"): buttons with the
# weekdays follow, and a button to type it.
WISH_ASK_DAY = for_newcomers("Wanneer kunt u wel komen? Kies een dag.")

# Translators: after the newcomer chose a day: two buttons follow, morning and afternoon.
WISH_ASK_PART = for_newcomers("Past de ochtend of de middag?")

# Translators: the newcomer tapped "I'll type it". Keep the example short.
WISH_ASK_TYPED = for_newcomers("Typ wanneer u kunt komen. Bijvoorbeeld: dinsdag na 14 uur.")

# Translators: the newcomer said when they could come. {contact} is their contact person.
WISH_THANKS = for_newcomers("Dank u. {contact} maakt een nieuwe afspraak met u.")

# Translators: what the newcomer typed is too long. {length} and {max} are numbers.
WISH_TOO_LONG = for_newcomers("Dat is te lang: {length} letters. Het mag niet meer dan {max} zijn.")

# Translators: the newcomer did not come to an appointment. {when} is weekday, date and
# time. Kind: it happens, no blame.
NO_SHOW_MISSED = for_newcomers("We hebben u gemist op de afspraak van {when}. Dat kan gebeuren.")

# Translators: under the message about a missed appointment, above the button.
NO_SHOW_ASK = for_newcomers("Wilt u een nieuwe afspraak? Tik op de knop.")

# Translators: in "my data": when the newcomer could come for a new appointment. {wish}
# is a day and part of the day, or what they typed.
MY_DATA_WISH = for_newcomers("Uw vraag voor een nieuwe afspraak: {wish}")

# Translators: button under the message about a missed appointment.
BUTTON_PLAN_AGAIN = label("📅 Nieuwe afspraak")

# Translators: button: the newcomer could come in the morning.
BUTTON_WISH_MORNING = label("🌅 Ochtend")

# Translators: button: the newcomer could come in the afternoon.
BUTTON_WISH_AFTERNOON = label("🌇 Middag")

# Translators: button: the newcomer types when they could come.
BUTTON_WISH_TYPE = label("✍️ Ik typ het")

# Translators: a part of the day, after a weekday: "dinsdag, ochtend".
WISH_MORNING = label("ochtend")

# Translators: a part of the day, after a weekday: "dinsdag, middag".
WISH_AFTERNOON = label("middag")

# Translators: the newcomer asked for a new appointment but said no moment (yet).
WISH_NO_PREFERENCE = label("geen voorkeur")

# --- Appointments: staff --------------------------------------------------------

# Translators: told to the contact person. {wish} is a day and part of the day, what the
# newcomer typed, or "no preference".
STAFF_WISH = N_("{name} ({reference}) vraagt een nieuwe afspraak. Voorkeur: {wish}.")

# Translators: a line of a newcomer's sheet. {since} is a date.
SHEET_WISH = N_("Vraagt een nieuwe afspraak sinds {since}. Voorkeur: {wish}.")

# Translators: in /week and /vandaag, above the newcomers who ask for a new appointment.
AGENDA_WISHES = N_("Vragen een nieuwe afspraak:")

# Translators: one newcomer in that list. {wish} is a day and part of the day, or text.
AGENDA_WISH_LINE = N_("{name} ({reference}): {wish}")

# Translators: told to the contact person. {when} is weekday, date and time.
STAFF_NEWCOMER_COMING = N_("{name} ({reference}) komt naar de afspraak van {when}.")

# Translators: told to the contact person at once, so they can plan again.
STAFF_NEWCOMER_NOT_COMING = N_(
    "{name} ({reference}) kan niet komen naar de afspraak van {when}. Plan een nieuwe afspraak."
)

# Translators: the newcomer said why. {reason} is one of the reasons below.
STAFF_NEWCOMER_REASON = N_("{name} ({reference}) kan niet komen op {when}. Reden: {reason}.")

# Translators: reason, as staff read it.
REASON_ILL = label("ziek")

# Translators: reason, as staff read it.
REASON_WORK = label("werk")

# Translators: reason, as staff read it: a Dutch lesson at the same time.
REASON_DUTCH_CLASS = label("les Nederlands")

# Translators: reason, as staff read it.
REASON_OTHER = label("iets anders")

# Translators: asked after the appointment. {kind} is the kind of appointment.
ATTENDANCE_QUESTION = N_("{kind} met {name} ({reference}) op {when}. Was {name} er?")

# Translators: attendance button.
BUTTON_ATTENDED = label("✅ Gekomen")

# Translators: attendance button.
BUTTON_NO_SHOW = label("❌ Niet gekomen")

# Translators: attendance button: it happened at another moment.
BUTTON_MOVED = label("↪ Verplaatst")

# Translators: attendance, as a word in a list.
STATUS_ATTENDED = label("gekomen")

# Translators: attendance, as a word in a list.
STATUS_NO_SHOW = label("niet gekomen")

# Translators: attendance, as a word in a list.
STATUS_MOVED = label("verplaatst")

# Translators: appointment cancelled, as a word in a list.
STATUS_CANCELLED = label("geannuleerd")

# Translators: after an attendance button. {status} is one of the words above.
ATTENDANCE_SAVED = N_("Genoteerd voor {name}: {status}.")

# Translators: how to plan an appointment, after a mistake.
PLAN_USAGE = N_("Zo werkt het: /afspraak CODE. Bijvoorbeeld: /afspraak K-7F3Q.")

# Translators: first step of planning. {name} and {reference} are the newcomer.
PLAN_ASK_KIND = N_("Afspraak voor {name} ({reference}). Wat voor afspraak?")

# Translators: planning, the date and time. The examples follow.
PLAN_ASK_WHEN = N_("Wanneer? Typ de datum en het uur.")

# Translators: the date forms Schakel understands. Keep the examples as they are.
WHEN_FORMS = N_("Zo kan het: 26/1 10:00 of 26-01-2027 10u30 of di 26/1 om 10u.")

# Translators: the date was not understood. {typed} is what the caseworker typed.
WHEN_UNCLEAR = N_("Ik begrijp deze datum niet: {typed}")

# Translators: the date does not exist (31/2, 25:00).
WHEN_NO_SUCH_DATE = N_("Deze datum of dit uur bestaat niet: {typed}")

# Translators: the weekday does not match the date.
WHEN_WRONG_WEEKDAY = N_("De dag past niet bij de datum: {typed}")

# Translators: the moment is in the past.
WHEN_PAST = N_("Dat moment is al voorbij: {typed}")

# Translators: planning, the place. Buttons with addresses follow.
PLAN_ASK_PLACE = N_("Waar? Kies een adres of typ het adres.")

# Translators: planning, with whom.
PLAN_ASK_WITH = N_("Met wie? Kies of typ de namen.")

# Translators: button: nobody is named.
BUTTON_NOBODY = label("Niemand")

# Translators: planning, a social interpreter.
PLAN_ASK_INTERPRETER = N_("Komt er een sociaal tolk? Kies of typ de taal.")

# Translators: button: no interpreter.
BUTTON_NO_INTERPRETER = label("Geen tolk")

# Translators: the language typed for the interpreter is not known.
UNKNOWN_INTERPRETER = N_("Die taal ken ik niet: {typed}. Typ de naam, bijvoorbeeld Arabisch.")

# Translators: what was typed is too long for one line.
PLAN_TOO_LONG_TEXT = N_("Dat is te lang. Het mag {max} tekens hebben.")

# Translators: planning, the last step. The message for the newcomer follows.
PLAN_CONFIRM = N_("Klopt dit? {name} krijgt dit bericht:")

# Translators: planning: when the reminders go. {moments} is a list of moments.
PLAN_REMINDERS = N_("Herinneringen: {moments}.")

# Translators: planning: no reminder can go (the appointment is too soon).
PLAN_NO_REMINDERS = N_("De afspraak komt te snel voor een herinnering.")

# Translators: the reminder does not fit in one SMS.
PLAN_SMS_TOO_LONG = N_("Het bericht past niet in één sms. Maak het adres of de namen korter.")

# Translators: button: save the appointment.
BUTTON_SAVE = label("✅ Opslaan")

# Translators: button: stop without saving.
BUTTON_STOP = label("✖ Stoppen")

# Translators: button: keep what was there (when changing an appointment).
BUTTON_KEEP = label("Niet veranderen")

# Translators: saved; the newcomer gets the message now.
PLAN_SAVED = N_("Opgeslagen. {name} krijgt nu een bericht.")

# Translators: saved, but the newcomer does not use Schakel (yet).
PLAN_SAVED_NO_MESSAGE = N_(
    "Opgeslagen. {name} krijgt geen bericht: nog geen Schakel of geen toestemming."
)

# Translators: the caseworker stopped planning (button or /cancel).
PLAN_STOPPED = N_("Gestopt. Ik heb niets opgeslagen.")

# Translators: a typed answer while nothing is being planned.

# Translators: title of the appointments of one newcomer, for staff.
STAFF_APPOINTMENTS_TITLE = N_("Afspraken van {name} ({reference}):")

# Translators: one newcomer has no appointments ahead.
STAFF_APPOINTMENTS_NONE = N_("{name} ({reference}) heeft geen afspraken.")

# Translators: button on the newcomer sheet.
BUTTON_APPOINTMENTS = label("📅 Afspraken")

# Translators: button: plan a new appointment.
BUTTON_NEW_APPOINTMENT = label("➕ Nieuwe afspraak")

# Translators: button: change an appointment.
BUTTON_CHANGE = label("✏️ Wijzigen")

# Translators: button: cancel an appointment.
BUTTON_CANCEL_APPOINTMENT = label("✖ Annuleren")

# Translators: asked before cancelling.
CANCEL_ASK = N_("Deze afspraak annuleren? {name} krijgt meteen een bericht.")

# Translators: button: yes, cancel it.
BUTTON_CANCEL_YES = label("Ja, annuleren")

# Translators: button: no, keep it.
BUTTON_CANCEL_NO = label("Nee, houden")

# Translators: after cancelling.
CANCEL_DONE = N_("De afspraak gaat niet door. {name} krijgt een bericht.")

# Translators: the caseworker kept the appointment.
CANCEL_KEPT = N_("De afspraak blijft staan.")

# Translators: an appointment that is not there (anymore) or not for this staff member.
APPOINTMENT_NOT_FOUND = N_("Die afspraak vind ik niet.")

# Translators: one line of the overview. {answer} is one of the answers below.
AGENDA_LINE = N_("{when}: {name} ({reference}), {kind}. {answer}")

# Translators: title of today's overview. {day} is a weekday and date.
AGENDA_TODAY = N_("Afspraken vandaag, {day}:")

# Translators: title of this week's overview, up to and including {day}.
AGENDA_WEEK = N_("Afspraken deze week, tot en met {day}:")

# Translators: nothing planned in this period.
AGENDA_NONE = N_("Geen afspraken.")

# Translators: the newcomer's answer, in the overview.
AGENDA_COMING = label("✅ komt")

# Translators: the newcomer's answer, in the overview. {reason} is a reason above.
AGENDA_NOT_COMING = N_("❌ komt niet: {reason}")

# Translators: the newcomer said they cannot come, and did not say why (yet).
AGENDA_NOT_COMING_NO_REASON = label("❌ komt niet")

# Translators: the newcomer did not answer yet, in the overview.
AGENDA_NO_ANSWER = label("❔ geen antwoord")

# --- Warm handover: a note to a partner organisation ----------------------------------
# The partner group is shared by staff of several organisations; its cards are in Dutch.

# Translators: how to start a handover, after a mistake.
HANDOVER_USAGE = N_(
    "Typ /overdracht en de code van de nieuwkomer. Bijvoorbeeld: /overdracht K-7F3Q"
)

# Translators: a handover needs the partners' group first.
HANDOVER_NO_GROUP = N_(
    "Er is nog geen partnergroep. Vraag de beheerder om /partnergroep te typen in de groep "
    "van de partners. Uw overdracht blijft bewaard."
)

# Translators: the staff member belongs to no organisation.
HANDOVER_NO_ORGANISATION = N_("Alleen medewerkers van een organisatie kunnen een overdracht doen.")

# Translators: there is no other partner organisation to choose.
HANDOVER_NO_PARTNERS = N_("Er is geen andere partnerorganisatie om uit te kiezen.")

# Translators: handover form, first step. Buttons with organisations follow.
HANDOVER_ASK_ORGANISATION = N_("Overdracht voor {name} ({reference}). Naar welke organisatie?")

# Translators: handover form. Buttons with people of that organisation follow.
HANDOVER_ASK_PERSON = N_("Voor iemand in het bijzonder bij {organisation}?")

# Translators: button: the handover is for whoever at that organisation has time.
BUTTON_ANYONE = label("Wie tijd heeft")

# Translators: handover form: the reason. Two buttons follow.
HANDOVER_ASK_REASON = N_("Waarom gaat {name} naar {organisation}?")

# Translators: reason of a handover: sent on for one service (a training, job coaching).
HANDOVER_REFERRAL = label("Doorsturen")

# Translators: reason of a handover: the other partner takes over the guidance.
HANDOVER_GUIDANCE = label("Nieuwe begeleider")

# Translators: handover form. A button with the language known follows.
HANDOVER_ASK_MOTHER_TONGUE = N_("Wat is de moedertaal van {name}? Kies of typ de taal.")

# Translators: handover form. {chosen} is a list of languages, or "none yet".
HANDOVER_ASK_CONTACT_LANGUAGES = N_(
    "In welke talen kan de partner met {name} praten? Kies of typ, bijvoorbeeld: Engels, "
    "Frans. Nu gekozen: {chosen}."
)

# Translators: no languages chosen yet.
NONE_YET = label("nog geen")

# Translators: button: go on to the next question.
BUTTON_NEXT = label("Verder ▶")

# Translators: handover form: does the newcomer need an interpreter?
HANDOVER_ASK_INTERPRETER = N_("Is er een tolk nodig?")

# Translators: button: yes.
BUTTON_YES = label("Ja")

# Translators: button: no.
BUTTON_NO = label("Nee")

# Translators: handover form: level of Dutch. Buttons A0 ... C2 follow.
HANDOVER_ASK_LEVEL = N_("Welk niveau Nederlands heeft {name}? Kies of typ, bijvoorbeeld A2.")

# Translators: button: the caseworker does not know.
BUTTON_DONT_KNOW = label("Weet ik niet")

# Translators: handover form: school or course of Dutch.
HANDOVER_ASK_SCHOOL = N_("Bij welke school of cursus volgt {name} Nederlands? Typ de naam.")

# Translators: button: none.
BUTTON_NONE = label("Geen")

# Translators: handover form: civic orientation course (MO). Buttons follow.
HANDOVER_ASK_CIVIC = N_("Hoe ver is {name} met maatschappelijke oriëntatie (MO)?")

# Translators: civic orientation: not started.
CIVIC_NOT_STARTED = label("Nog niet begonnen")

# Translators: civic orientation: busy with it.
CIVIC_IN_PROGRESS = label("Bezig")

# Translators: civic orientation: finished.
CIVIC_DONE = label("Afgerond")

# Translators: civic orientation: does not have to follow it.
CIVIC_EXEMPT = label("Vrijgesteld")

# Translators: handover form: points of attention. Only in the details, never in the group.
HANDOVER_ASK_ATTENTION = N_(
    "Waar moet de partner op letten? Typ het, of kies Geen. "
    "Dit staat alleen in de details, niet in de partnergroep."
)

# Translators: handover form: the next step. It is shown in the partners' group.
HANDOVER_ASK_NEXT_STEP = N_(
    "Wat is de volgende stap? Dit komt in de partnergroep. Schrijf geen naam en niets over "
    "gezondheid, wonen of privé. Hoogstens {max} tekens."
)

# Translators: handover form: the date of the next step.
HANDOVER_ASK_NEXT_DATE = N_("Op welke dag? Typ de datum, bijvoorbeeld 26/1. Of kies Geen datum.")

# Translators: button: the next step has no date.
BUTTON_NO_DATE = label("Geen datum")

# Translators: how to type a day, after a mistake.
DAY_FORMS = N_("Zo kan het: 26/1 of 26-01-2027 of di 26/1.")

# Translators: a day that has not come yet, where a past day is asked.
DAY_FUTURE = N_("Die dag is nog niet voorbij: {typed}")

# Translators: handover form: consent. {reason} is "Referral" or "Take over guidance".
HANDOVER_ASK_CONSENT = N_(
    "Gaat {name} akkoord dat u dit deelt met {organisation}? Reden: {reason}. "
    "Zonder akkoord deel ik niets."
)

# Translators: button: yes, the newcomer agreed today.
BUTTON_CONSENT_TODAY = label("Ja, vandaag")

# Translators: button: the newcomer did not agree (yet).
BUTTON_CONSENT_NO = label("Nee, nog niet")

# Translators: handover form: the day the newcomer agreed.
HANDOVER_ASK_CONSENT_DATE = N_("Op welke dag ging {name} akkoord? Typ de datum, bijvoorbeeld 20/3.")

# Translators: no consent: the handover stops, nothing is kept.
HANDOVER_NO_CONSENT = N_(
    "Zonder akkoord deel ik niets. Ik heb niets bewaard. Vraag het eerst aan {name}."
)

# Translators: handover form, under the consent question: the newcomer can be asked in Schakel, in
# {language} (a language name).
HANDOVER_CONSENT_CAN_ASK = N_(
    "Ik kan het {name} zelf vragen, in het {language}. "
    "Of ging {name} al akkoord op papier of mondeling?"
)

# Translators: button: ask the newcomer now, in Schakel, whether the note may go. Keep it short.
BUTTON_CONSENT_ASK = label("📱 Vraag het nu")

# Translators: button: the newcomer agreed on paper (signed). Keep it short.
BUTTON_CONSENT_PAPER = label("📝 Op papier")

# Translators: button: the newcomer agreed in person, by word of mouth. Keep it short.
BUTTON_CONSENT_IN_PERSON = label("🗣 Mondeling")

# Translators: handover form, under the consent question, for a newcomer on SMS: the
# newcomer can be asked by SMS, in {language} (a language name).
HANDOVER_CONSENT_CAN_ASK_SMS = N_(
    "Ik kan het {name} zelf vragen per sms, in het {language}. "
    "Of ging {name} al akkoord op papier of mondeling?"
)

# Translators: handover form: the newcomer was asked in Schakel; the caseworker goes on with the
# note meanwhile.
HANDOVER_CONSENT_ASKED = N_(
    "Ik vroeg het aan {name}. U hoort het antwoord hier. Vul intussen de nota verder in."
)

# Translators: handover form: what Schakel already knows about the newcomer follows, for one tap of
# confirmation.
HANDOVER_KNOWN = N_("Dit weet Schakel al over {name}. Klopt het?")

# Translators: handover form: what Schakel knows follows; one tap on the state of civic orientation
# confirms it.
HANDOVER_KNOWN_CIVIC = N_(
    "Dit weet Schakel al over {name}. Klopt het? "
    "Kies dan hoe ver {name} is met maatschappelijke oriëntatie."
)

# Translators: button: what is shown is right.
BUTTON_CORRECT = label("✅ Klopt")

# Translators: handover form: the route chosen (trajectbepaling): plan A, and plan B on a second
# line, in one message.
HANDOVER_ASK_PLANS = N_(
    "Welke weg kiest {name}? Typ plan A. "
    "Plan B mag op een nieuwe regel eronder. Hoogstens {max} tekens per plan."
)

# Translators: handover form, at the end: the newcomer has not answered yet; the caseworker can keep
# the note until then. {until} is a day, e.g. "maandag 5 april 2027".
HANDOVER_CONSENT_WAITING = N_(
    "{name} heeft nog niet geantwoord. Bewaar de nota tot dan. Ik hou ze bij tot {until}."
)

# Translators: button: keep the handover note until the newcomer answers.
BUTTON_KEEP_NOTE = label("💾 Bewaren")

# Translators: the handover note is kept until the newcomer answers.
HANDOVER_KEPT = N_(
    "Bewaard. Zegt {name} ja, dan hoort u het hier. "
    "Zonder antwoord vervalt de nota na {days} dagen."
)

# Translators: to the caseworker: the newcomer tapped ✅ themselves.
HANDOVER_NEWCOMER_AGREED = N_("{name} zegt zelf ja: u mag de nota delen met {organisation}.")

# Translators: button: open the handover note again, to post it.
BUTTON_OPEN_NOTE = label("📝 Nota openen")

# Translators: to the caseworker: the newcomer tapped ❌; nothing is posted and the note is gone.
HANDOVER_NEWCOMER_REFUSED = N_(
    "{name} zegt nee: niet delen met {organisation}. Ik heb de nota niet bewaard."
)

# Translators: the question to the newcomer expired (or was used) before the note went.
HANDOVER_CONSENT_GONE = N_(
    "De vraag aan {name} geldt niet meer. Ik heb de nota niet bewaard. "
    "Begin opnieuw met /overdracht."
)

# Translators: the whole note: the newcomer gave consent themselves, with ✅ in Schakel.
NOTE_CONSENT_BY_NEWCOMER = N_(
    "{name} zei zelf ja in Schakel op {date}: delen met {organisation}. Reden: {reason}."
)

# Translators: the whole note: consent given on paper, recorded by the caseworker.
NOTE_CONSENT_ON_PAPER = N_(
    "{name} ging op papier akkoord op {date}: delen met {organisation}. Reden: {reason}."
)

# Translators: the whole note: consent given in person, by word of mouth, recorded by the
# caseworker.
NOTE_CONSENT_IN_PERSON = N_(
    "{name} ging mondeling akkoord op {date}: delen met {organisation}. Reden: {reason}."
)

# Translators: to the newcomer, with ✅ Yes / ❌ No: may their details go to a partner organisation,
# which can help them further? {contact} is their caseworker.
HANDOVER_CONSENT_QUESTION_REFERRAL = for_newcomers(
    "{contact} wil uw gegevens sturen naar {organisation}. "
    "Daar kunnen ze u verder helpen. Is dat goed?"
)

# Translators: to the newcomer, with ✅ Yes / ❌ No: may their details go to a partner organisation,
# where they get a new caseworker? {contact} is their caseworker now.
HANDOVER_CONSENT_QUESTION_HANDOVER = for_newcomers(
    "{contact} wil uw gegevens sturen naar {organisation}. "
    "Daar krijgt u een nieuwe begeleider. Is dat goed?"
)

# Translators: to the newcomer, after ✅: their caseworker {contact} is told.
HANDOVER_CONSENT_THANKS_YES = for_newcomers("Dank u. Ik zeg aan {contact} dat u ja zegt.")

# Translators: to the newcomer, after ❌: their caseworker {contact} is told, nothing goes to
# {organisation}.
HANDOVER_CONSENT_THANKS_NO = for_newcomers(
    "Dank u. Ik zeg aan {contact} dat u nee zegt. We sturen niets naar {organisation}."
)

# Translators: numbers or addresses were taken out of what the caseworker typed.
# {kinds} is a list like "a phone number and an e-mail address".
HANDOVER_REMOVED = N_("Ik heb dit uit uw tekst gehaald: {kinds}. Het komt niet in de overdracht.")

# Translators: the caseworker's own message with a national register number was deleted.
HANDOVER_MESSAGE_DELETED = N_(
    "Ik heb uw bericht ook uit deze chat gewist: een rijksregisternummer hoort hier niet."
)

# Translators: what was taken out of a text, as a word in a list.
REMOVED_NATIONAL_NUMBER = label("rijksregisternummer")

# Translators: what was taken out of a text, as a word in a list. A BIS number is the
# Belgian identification number of someone not in the national register; keep "BIS".
REMOVED_BIS_NUMBER = label("BIS-nummer")

# Translators: what was taken out of a text, as a word in a list.
REMOVED_PHONE = label("telefoonnummer")

# Translators: what was taken out of a text, as a word in a list.
REMOVED_EMAIL = label("e-mailadres")

# Translators: what was taken out of a text, as a word in a list.
REMOVED_IBAN = label("rekeningnummer")

# Translators: stands in a note where something was taken out. {kind} is a word above.
REMOVED_MARK = N_("[{kind} weggehaald]")

# Translators: handover form, last step. The note and the card follow.
HANDOVER_CONFIRM = N_(
    "Klopt alles? Dit is de overdracht. "
    "Alleen {organisation} en uw eigen organisatie kunnen ze lezen."
)

# Translators: above the card as the partners' group will see it.
HANDOVER_CARD_PREVIEW = N_("In de partnergroep komt alleen dit:")

# Translators: button: post the handover.
BUTTON_POST = label("📤 Plaatsen")

# Translators: the handover was posted. {reference} is the note's code, like H-7F3Q.
HANDOVER_POSTED = N_(
    "Geplaatst in de partnergroep: overdracht {reference}. "
    "Ik laat het u weten als {organisation} ze overneemt."
)

# Translators: the handover cannot go to the caseworker's own organisation.
HANDOVER_OWN_ORGANISATION = N_("Kies een andere organisatie dan uw eigen.")

# Translators: card in the partners' group, first line. No names here.
CARD_TITLE = N_("🤝 Overdracht {reference}: van {from_organisation} naar {to_organisation}.")

# Translators: card: for whom at the receiving organisation.
CARD_FOR = N_("Voor: {person}.")

# Translators: card: the reason.
CARD_REASON = N_("Reden: {reason}.")

# Translators: card: the next step and its day.
CARD_NEXT = N_("Volgende stap: {next_step}. Datum: {date}.")

# Translators: card: the next step, without a day.
CARD_NEXT_NO_DATE = N_("Volgende stap: {next_step}.")

# Translators: card: nobody took it over yet.
CARD_OPEN = N_("Nog niet overgenomen.")

# Translators: card: taken over. {when} is a date and time.
CARD_TAKEN = N_("✅ Overgenomen door {name} ({organisation}) op {when}.")

# Translators: card: declined. {reason} is one of the reasons below.
CARD_DECLINED = N_("✖ Geweigerd door {name} ({organisation}) op {when}. Reden: {reason}.")

# Translators: in the partners' group, when nobody took a handover over in time.
CARD_RAISED = N_("⏰ Overdracht {reference} is na {days} werkdagen nog open. Wie neemt ze over?")

# Translators: button on the card: read the whole note (sent privately).
BUTTON_DETAILS = label("📄 Details")

# Translators: button on the card: take the handover over.
BUTTON_TAKE_OVER = label("✅ Ik neem over")

# Translators: button on the card: decline the handover.
BUTTON_DECLINE = label("✖ Weigeren")

# Translators: the whole note, first line (sent privately to staff).
NOTE_TITLE = N_(
    "Overdracht {reference} over {name} ({newcomer_reference}). "
    "Geschreven door {author} ({organisation}) op {when}."
)

# Translators: the whole note: the consent.
NOTE_CONSENT = N_("{name} ging akkoord op {date}: delen met {organisation}. Reden: {reason}.")

# Translators: the whole note: languages. {spoken} is a list of languages.
NOTE_LANGUAGES = N_("Moedertaal: {mother_tongue}. Ook te gebruiken: {spoken}.")

# Translators: the whole note: the mother tongue, when no other language is given to speak in.
NOTE_MOTHER_TONGUE = N_("Moedertaal: {mother_tongue}.")

# Translators: the whole note. {answer} is "yes" or "no".
NOTE_INTERPRETER = N_("Tolk nodig: {answer}.")

# Translators: the whole note: Dutch level and school.
NOTE_DUTCH = N_("Niveau Nederlands: {level}. School: {school}.")

# Translators: the whole note: civic orientation (MO).
NOTE_CIVIC = N_("Maatschappelijke oriëntatie: {civic}.")

# Translators: the whole note: the route, plan A.
NOTE_PLAN_A = N_("Plan A: {plan}")

# Translators: the whole note: plan B.
NOTE_PLAN_B = N_("Plan B: {plan}")

# Translators: the whole note: points of attention.
NOTE_ATTENTION = N_("Let op: {attention}")

# Translators: the newcomer asked to be forgotten; the note's content is gone.
NOTE_ERASED = N_("De nieuwkomer vroeg om alles te wissen. De inhoud is weg.")

# Translators: answer on a button in the partners' group.
HANDOVER_DETAILS_SENT = N_("Ik stuur u de details in een privébericht.")

# Translators: someone outside the two organisations pressed a handover button.
HANDOVER_NOT_YOURS = N_(
    "Alleen medewerkers van {from_organisation} en {to_organisation} kunnen dit."
)

# Translators: only a caseworker of the receiving organisation can take it over.
HANDOVER_ONLY_RECEIVER = N_(
    "Alleen een begeleider van {organisation} kan deze overdracht overnemen."
)

# Translators: the handover was already taken over or declined.
HANDOVER_ALREADY_DECIDED = N_("Iemand heeft deze overdracht al overgenomen of geweigerd.")

# Translators: the handover does not exist (anymore).
HANDOVER_NOT_FOUND = N_("Deze overdracht vind ik niet.")

# Translators: asked privately after "Decline". Buttons with reasons follow.
HANDOVER_ASK_DECLINE_REASON = N_("Waarom kan {organisation} overdracht {reference} niet overnemen?")

# Translators: reason to decline: no place.
DECLINE_NO_CAPACITY = label("Geen plaats")

# Translators: reason to decline: the organisation does not offer this.
DECLINE_NOT_OUR_SERVICE = label("Niet ons aanbod")

# Translators: reason to decline: the newcomer lives in another region.
DECLINE_OTHER_REGION = label("Andere regio")

# Translators: reason to decline: another reason.
DECLINE_OTHER = label("Andere reden")

# Translators: to the one who declined.
HANDOVER_DECLINED_YOU = N_("Geweigerd. Ik laat {author} weten waarom.")

# Translators: to the author: taken over.
HANDOVER_TAKEN_AUTHOR = N_(
    "{taker} ({organisation}) heeft overdracht {reference} overgenomen. "
    "{taker} is nu de contactpersoon van {name}."
)

# Translators: to the author: declined. {reason} is one of the reasons above.
HANDOVER_DECLINED_AUTHOR = N_(
    "{organisation} neemt overdracht {reference} van {name} niet over. Reden: {reason}. "
    "Typ /overdracht {newcomer_reference} om een andere partner te kiezen."
)

# Translators: to the author: nobody took the handover over in time.
HANDOVER_RAISED_AUTHOR = N_(
    "Na {days} werkdagen nam nog niemand overdracht {reference} van {name} over. "
    "Ik vraag het opnieuw in de partnergroep. Bel {organisation} eventueel zelf."
)

# Translators: how to see the history, after a mistake.
HISTORY_USAGE = N_(
    "Typ /geschiedenis en de code van de nieuwkomer. Bijvoorbeeld: /geschiedenis K-7F3Q"
)

# Translators: history of one newcomer, title. Lines follow, newest first.
HISTORY_TITLE = N_("Geschiedenis van {name} ({reference}), nieuwste eerst:")

# Translators: history of one newcomer: nothing yet.
HISTORY_NONE = N_("Nog geen overdrachten of afspraken voor {name} ({reference}).")

# Translators: history, one handover. {status} is one of the words below.
HISTORY_HANDOVER = N_(
    "{when}: overdracht {note} van {from_organisation} naar {to_organisation} ({reason}): {status}."
)

# Translators: history, one appointment. {status} is a word like "came" or "planned".
HISTORY_APPOINTMENT = N_("{when}: {kind}: {status}.")

# Translators: a handover nobody took over yet, as a word in a list.
HANDOVER_STATUS_OPEN = label("open")

# Translators: a handover taken over, as a word in a list.
HANDOVER_STATUS_TAKEN = label("overgenomen")

# Translators: a handover declined, as a word in a list.
HANDOVER_STATUS_DECLINED = label("geweigerd")

# Translators: an appointment still to come, as a word in a list.
STATUS_PLANNED = label("gepland")

# Translators: button on a newcomer's sheet: start a handover.
BUTTON_HANDOVER = label("🤝 Overdracht")

# Translators: button on a newcomer's sheet: handovers and appointments so far.
BUTTON_HISTORY = label("🕘 Geschiedenis")

# Translators: an admin linked the partners' group (said in that group).
PARTNER_GROUP_LINKED = N_("Deze groep is nu de partnergroep. Hier komen de overdrachten.")

# Translators: the partners' group is fixed in the configuration file.
PARTNER_GROUP_IN_CONFIG = N_(
    "De partnergroep staat vast in de configuratie (partner_channel.chat_id). Verander ze daar."
)

# Translators: /partnergroep was typed in a private chat.
PARTNER_GROUP_ONLY_IN_GROUP = N_("Typ /partnergroep in de groep van de partners, niet hier.")

# --- Announcements: info sessions for groups of newcomers -----------------------
# A coordinator announces a session; each newcomer gets the Dutch SMS-style text first,
# then the same in their own language (or the English text when there is none in it).

# Translators: a kind of info session (a button, and a title translated for newcomers).
SESSION_WORK = label("Werken in Vlaanderen")

# Translators: a kind of info session: employers meet job seekers.
SESSION_JOB_FAIR = label("Jobbeurs")

# Translators: a kind of info session: a group that practises speaking Dutch.
SESSION_DUTCH = label("Nederlands oefenen")

# Translators: a kind of info session: any other kind (the coordinator types the title).
SESSION_OTHER = label("Andere sessie")

# Translators: the fixed text of an info session about working in Belgium.
TEMPLATE_WORK = for_newcomers(
    "Wilt u hier werken? Kom naar deze infosessie. U hoort hoe u werk vindt. "
    "U kunt ook vragen stellen. De sessie is gratis."
)

# Translators: the fixed text of a job fair.
TEMPLATE_JOB_FAIR = for_newcomers(
    "Op de jobbeurs ontmoet u bedrijven. Zij zoeken nieuwe mensen voor hun werk. "
    "U kunt met hen praten. U hoeft niet te betalen."
)

# Translators: the fixed text of a group that practises Dutch.
TEMPLATE_DUTCH = for_newcomers(
    "Oefen Nederlands in een kleine groep. We praten over gewone dingen. "
    "Kom ook als u nog niet veel Nederlands kent."
)

# The Dutch SMS-style first line of an announcement. {title}, {day}, {time}.
SMS_INVITATION = in_dutch_only("Uitnodiging: {title}, {day} om {time}")

# The Dutch SMS-style first line of the reminder the day before a session.
SMS_SESSION_TOMORROW = in_dutch_only("Morgen: {title} om {time}")

# Translators: first line of an announcement in the newcomer's language. {title} is the
# session's name.
INVITATION_TITLE = for_newcomers("Uitnodiging: {title}")

# Translators: the language the session is given in; {language} is a language name.
SESSION_LANGUAGE = for_newcomers("Taal van de sessie: {language}")

# Translators: above the English text of an announcement that has no text in this language.
NO_TEXT_ENGLISH = for_newcomers("Deze tekst is er niet in uw taal. Hier is hij in het Engels:")

# Translators: an announcement that has no text in this language and none in English.
NO_TEXT_DUTCH_ONLY = for_newcomers(
    "Deze tekst is er niet in uw taal. Lees hem in het Nederlands hieronder."
)

# Translators: the newcomer tapped "I'll come" under an announcement.
RSVP_COMING = for_newcomers("Dank u. Tot dan! U krijgt de dag ervoor een herinnering.")

# Translators: the newcomer tapped "I can't come" under an announcement.
RSVP_NOT_COMING = for_newcomers("Dank u voor uw antwoord. Misschien tot een volgende keer.")

# Translators: a button under an announcement of a session that already began or ended.
RSVP_CLOSED = for_newcomers("Deze sessie is al bezig of voorbij.")

# Translators: first line of the reminder the day before a session, in the newcomer's
# language, to those who said they would come.
SESSION_REMINDER_TITLE = for_newcomers("Herinnering: morgen is de sessie. U zei dat u komt.")

# Translators: the coordinator starts a new announcement.
ANNOUNCE_ASK_KIND = N_("Nieuwe aankondiging voor nieuwkomers. Wat voor sessie is het?")

# Translators: asking the title of a session of another kind.
ANNOUNCE_ASK_TITLE = N_(
    "Typ de titel van de sessie, hoogstens {max} tekens. "
    "De titel staat in elke taal zoals u hem typt."
)

# Translators: asking whether the title of a known kind of session is fine. {title}.
ANNOUNCE_ASK_TITLE_KIND = N_(
    "Titel: {title}. Schakel vertaalt die titel in alle talen. Tik op Verder. "
    "Of typ een andere titel. Die staat dan in elke taal zoals u hem schrijft."
)

# Translators: asking when the session begins (examples of how to type it follow).
ANNOUNCE_ASK_WHEN = N_("Wanneer begint de sessie?")

# Translators: asking where the session is.
ANNOUNCE_ASK_PLACE = N_("Waar is de sessie? Tik op een adres of typ het adres.")

# Translators: asking the language the session is given in.
ANNOUNCE_ASK_SESSION_LANGUAGE = N_("In welke taal is de sessie? Tik op een taal of typ ze.")

# Translators: asking which interpreters will be there. {chosen} are language names.
ANNOUNCE_ASK_INTERPRETERS = N_(
    "Zijn er tolken? Tik op de talen of typ ze. Daarna Verder. Gekozen: {chosen}."
)

# Translators: asking who gets the announcement. {count} is a number of newcomers.
ANNOUNCE_ASK_AUDIENCE = N_(
    "Voor wie is de aankondiging? Alle nieuwkomers die Schakel gebruiken en akkoord gaven: {count}."
)

# Translators: button: every newcomer who uses Schakel.
BUTTON_AUDIENCE_ALL = label("Iedereen")

# Translators: button: the newcomers who read one language.
BUTTON_AUDIENCE_LANGUAGE = label("Eén taal")

# Translators: button: the newcomers one organisation helps.
BUTTON_AUDIENCE_ORGANISATION = label("Eén organisatie")

# Translators: button: the newcomers with one label (tag).
BUTTON_AUDIENCE_TAG = label("Eén label")

# Translators: button: the newcomers of one caseworker.
BUTTON_AUDIENCE_CASEWORKER = label("Eén begeleider")

# Translators: asking which language the newcomers read.
ANNOUNCE_ASK_AUDIENCE_LANGUAGE = N_("Welke taal lezen ze?")

# Translators: asking which organisation helps the newcomers.
ANNOUNCE_ASK_AUDIENCE_ORGANISATION = N_("Welke organisatie helpt hen?")

# Translators: asking which label (tag) the newcomers have.
ANNOUNCE_ASK_AUDIENCE_TAG = N_("Welk label hebben ze? Tik op een label of typ het.")

# Translators: there are no labels (tags) yet.
ANNOUNCE_NO_TAGS = N_(
    "Nog geen nieuwkomer heeft een label. Begeleiders geven labels met /label CODE woord."
)

# Translators: a typed label (tag) that no newcomer has.
ANNOUNCE_UNKNOWN_TAG = N_("Geen nieuwkomer heeft het label {typed}.")

# Translators: asking which caseworker's newcomers get the announcement.
ANNOUNCE_ASK_AUDIENCE_CASEWORKER = N_(
    "Welke begeleider? De aankondiging gaat naar de nieuwkomers die deze persoon helpt."
)

# Translators: how many newcomers the chosen group has. {count} is a
# number after a colon, so that no noun has to agree with it (it can be 1).
ANNOUNCE_AUDIENCE_COUNT = N_("Nieuwkomers die deze aankondiging krijgen: {count}.")

# Translators: the chosen group has nobody who can get the announcement.
ANNOUNCE_AUDIENCE_EMPTY = N_(
    "In die groep kan niemand de aankondiging krijgen. Kies een andere groep."
)

# Translators: asking the coordinator to write the text in plain Dutch.
ANNOUNCE_ASK_TEXT = N_(
    "Schrijf nu de tekst in het Nederlands, in klare taal: korte zinnen en gewone woorden. "
    "Hoogstens {max} tekens. Ik geef tips."
)

# Translators: a known kind of session has a fixed text, translated in every language.
# The text follows.
ANNOUNCE_ASK_TEXT_TEMPLATE = N_(
    "Dit is de vaste tekst voor deze sessie. Hij is er in alle talen. Tik op Verder. "
    "Of typ uw eigen tekst in het Nederlands. Dan voegt u zelf de andere talen toe."
)

# Translators: a text that is too long. {length} and {max} are numbers of characters.
ANNOUNCE_TEXT_TOO_LONG = N_("Die tekst is te lang: {length} tekens. Hoogstens {max}.")

# Translators: title above plain-language tips for the text just typed.
ANNOUNCE_TIPS = N_("Tips voor klare taal:")

# Translators: under a long text staff typed. {length}, {max} and {left} are numbers of
# characters.
TEXT_ROOM_LEFT = N_("{length} van de {max} tekens gebruikt, nog {left} over.")

# Translators: the plain-language check found nothing.
ANNOUNCE_NO_TIPS = N_("Geen tips: de tekst is in klare taal.")

# Translators: after the tips.
ANNOUNCE_TIPS_ASK = N_("Typ een betere versie, of tik op Verder.")

# Translators: a plain-language tip. {words} is a number, {text} the first words of the
# sentence.
TIP_SENTENCE_LENGTH = N_("Lange zin ({words} woorden): {text} Maak er korte zinnen van.")

# Translators: a plain-language tip. {text} is a word.
TIP_LONG_WORD = N_("Lang woord: {text}. Zoek een korter woord.")

# Translators: a plain-language tip. {text} is a word.
TIP_RARE_WORD = N_("Weinig gebruikt woord: {text}. Zoek een woord dat meer mensen kennen.")

# Translators: a plain-language tip. {text} is the first words of the sentence.
TIP_PASSIVE = N_("Passieve zin: {text} Zeg wie iets doet.")

# Translators: a plain-language tip. {text} is a formal Dutch word, {plain} a plainer one.
TIP_FORMAL_WORD = N_("Moeilijk woord: {text}. Schrijf: {plain}.")

# Translators: a plain-language tip. {text} is an abbreviation, {plain} what to write.
TIP_ABBREVIATION = N_("Afkorting: {text}. Schrijf: {plain}.")

# Translators: a tip: characters such as emoji or curly quotes make a text message longer.
TIP_SMS_CHARACTERS = N_(
    "Bijzondere tekens (zoals emoji) maken de sms duurder. Gebruik gewone tekens."
)

# Translators: a tip. {parts} is a number of text messages (SMS).
TIP_SMS_LENGTH = N_(
    "Het Nederlandse bericht is {parts} sms'en lang. Maak de tekst korter: één sms is beter."
)

# Translators: which languages have a text. {languages} are language names.
ANNOUNCE_TEXTS_IN = N_("Tekst in: {languages}.")

# Translators: above a list of newcomers without a text in their language.
ANNOUNCE_WITHOUT_TEXT = N_("Geen tekst in hun taal, zij krijgen het Nederlands en het Engels:")

# Translators: the same, when there is no English text either.
ANNOUNCE_WITHOUT_TEXT_DUTCH = N_("Geen tekst in hun taal, zij krijgen alleen het Nederlands:")

# Translators: one line of that list. {language} is a language,
# {count} how many newcomers read it (a number, can be 1), {names}
# their names.
ANNOUNCE_WITHOUT_TEXT_LINE = N_("{language} ({count}): {names}")

# Translators: everyone in the group has a text in their language.
ANNOUNCE_EVERYONE_HAS_TEXT = N_("Iedereen in de groep krijgt de tekst in de eigen taal.")

# Translators: how to add a text in another language.
ANNOUNCE_ADD_LANGUAGE = N_("Tik op een taal om zelf een tekst toe te voegen, of op Verder.")

# Translators: asking the text in one language. {language} is a language name.
ANNOUNCE_ASK_LANGUAGE_TEXT = N_("Typ de tekst in deze taal: {language}. Hoogstens {max} tekens.")

# Translators: asking when the announcement may go.
ANNOUNCE_ASK_SEND = N_("Wanneer mag de aankondiging weg?")

# Translators: button: send the announcement now.
BUTTON_SEND_NOW = label("Nu")

# Translators: button: send the announcement at a chosen moment.
BUTTON_SEND_LATER = label("Later")

# Translators: asking the day and hour to send (examples follow).
ANNOUNCE_ASK_SEND_AT = N_("Op welke dag en welk uur mag ze weg?")

# Translators: the moment to send is not before the session begins.
ANNOUNCE_SEND_AFTER_START = N_("Dat is niet voor het begin van de sessie. Kies een vroeger moment.")

# Translators: above the exact message one language group will get. {language}, {count}.
ANNOUNCE_PREVIEW = N_("Dit krijgen de nieuwkomers die {language} lezen ({count}):")

# Translators: the same, for a language without its own text. {language}, {count}.
ANNOUNCE_PREVIEW_NO_TEXT = N_(
    "Geen tekst in het {language}. Dit krijgen die nieuwkomers ({count}):"
)

# Translators: the buttons under the message, in the newcomer's language. {buttons}.
ANNOUNCE_PREVIEW_BUTTONS = N_("Knoppen: {buttons}")

# Translators: the compact preview of an announcement, above the Dutch text as it goes.
ANNOUNCE_PREVIEW_DUTCH = N_("Zo gaat de aankondiging weg, in het Nederlands:")

# Translators: above the list of language groups with their sizes.
ANNOUNCE_GROUPS = N_("Wie krijgt ze, per taal:")

# Translators: one language group. {language} is a language, {count} a number of
# newcomers (the line above says so). Keep this order unless your language needs another.
ANNOUNCE_GROUP_LINE = N_("{language}: {count}")

# Translators: above the buttons with a language each.
ANNOUNCE_SEE_LANGUAGE = N_("Tik op een taal om te zien wat die groep krijgt.")

# Translators: button: see what the readers of this language get. {language}.
BUTTON_SEE_LANGUAGE = label("👁 {language}")

# Translators: last question before sending now. {count} is a number
# of newcomers after a colon, so that no noun has to agree with it.
ANNOUNCE_CONFIRM_NOW = N_(
    "Klaar? Dan verstuur ik de aankondiging nu. Nieuwkomers die ze krijgen: {count}."
)

# Translators: last question before scheduling. {when} is a moment,
# {count} a number of newcomers after a colon (the group can still
# change before {when}).
ANNOUNCE_CONFIRM_LATER = N_(
    "Klaar? Dan verstuur ik de aankondiging op {when}. "
    "Nieuwkomers die ze nu zouden krijgen: {count}."
)

# Translators: button: send the announcement (or schedule it).
BUTTON_SEND = label("📣 Versturen")

# Translators: button: change something in the announcement.
BUTTON_CHANGE = label("✏️ Wijzigen")

# Translators: asking what to change.
ANNOUNCE_ASK_CHANGE = N_("Wat wilt u veranderen?")

# Translators: button: change the title.
CHANGE_TITLE = label("Titel")

# Translators: button: change the date and hour of the session.
CHANGE_WHEN = label("Datum en uur")

# Translators: button: change the place.
CHANGE_PLACE = label("Plaats")

# Translators: button: change the language and interpreters of the session.
CHANGE_LANGUAGES = label("Taal en tolken")

# Translators: button: change who gets the announcement.
CHANGE_AUDIENCE = label("Voor wie")

# Translators: button: change the text.
CHANGE_TEXT = label("Tekst")

# Translators: button: change when the announcement goes.
CHANGE_SEND = label("Wanneer versturen")

# Translators: the announcement is scheduled. {code} like A12, {when} a moment.
ANNOUNCE_SCHEDULED = N_(
    "Aankondiging {code} staat klaar en gaat weg op {when}. Wijzigen of annuleren: /aankondigingen."
)

# Translators: the announcement goes now. The progress message follows.
ANNOUNCE_SENDING = N_("Aankondiging {code} gaat nu weg. Hieronder ziet u hoe ver ze is.")

# Translators: a scheduled announcement was changed. {code}, {when}.
ANNOUNCE_CHANGED = N_("Ik heb aankondiging {code} gewijzigd. Ze gaat weg op {when}.")

# Translators: the progress message, edited while sending. {left} is a duration.
PROGRESS_SENDING = N_(
    "📣 {title}: {sent} van {total} verstuurd, {failed} mislukt. Nog ongeveer {left}."
)

# Translators: the progress message when all is sent.
PROGRESS_DONE = N_("📣 {title}: klaar. {sent} van {total} verstuurd, {failed} mislukt.")

# Translators: title of the final report. Lines follow.
REPORT_TITLE = N_("Verslag van aankondiging {code}, {title}:")

# Translators: report line.
REPORT_DELIVERED = N_("Aangekomen: {count}")

# Translators: report line: the newcomer blocked Schakel or their chat is gone.
REPORT_BLOCKED = N_("Niet aangekomen, Schakel geblokkeerd of chat weg: {count}")

# Translators: report line: another error.
REPORT_FAILED = N_("Niet aangekomen, andere fout: {count}")

# Translators: report line: newcomers in the group who stopped messages.
REPORT_STOPPED = N_("Niet verstuurd, willen geen berichten meer: {count}")

# Translators: report line: newcomers in the group not linked or without consent.
REPORT_NOT_LINKED = N_("Niet verstuurd, nog niet aangemeld of geen akkoord: {count}")

# Translators: report line: newcomers who got the Dutch and English text.
REPORT_NO_TEXT = N_("Geen tekst in hun taal (kregen Nederlands en Engels): {count}")

# Translators: answers to an announcement so far.
RSVP_COUNTS = N_(
    "Antwoorden. Komen: {coming}. Kunnen niet: {not_coming}. Nog geen antwoord: {silent}."
)

# Translators: button: see the answers to an announcement.
BUTTON_ANSWERS = label("📊 Antwoorden")

# Translators: the answers to an announcement, above the lines per language.
RSVP_BY_LANGUAGE = N_("Per taal:")

# Translators: the answers, above the lines per organisation of the newcomers' contact person.
RSVP_BY_ORGANISATION = N_("Per organisatie van de contactpersoon:")

# Translators: one line of the answers. {group} is a language or an organisation.
RSVP_GROUP_LINE = N_(
    "{group}. Komen: {coming}. Kunnen niet: {not_coming}. Nog geen antwoord: {silent}."
)

# Translators: in the answers per organisation: newcomers without a contact person.
RSVP_NO_ORGANISATION = label("geen contactpersoon")

# Translators: title of the list of announcements. Lines follow.
ANNOUNCE_LIST_TITLE = N_("Aankondigingen, nieuwste eerst:")

# Translators: one announcement in the list. {code}, {title}, {when}, {status}.
ANNOUNCE_LIST_LINE = N_("{code} {title}, {when}: {status}.")

# Translators: status of a scheduled announcement. {when} is a moment.
ANNOUNCE_STATUS_SCHEDULED = N_("gaat weg op {when}")

# Translators: status of an announcement being sent.
ANNOUNCE_STATUS_SENDING = label("wordt verstuurd")

# Translators: status of an announcement that was sent.
ANNOUNCE_STATUS_DONE = label("verstuurd")

# Translators: status of a cancelled announcement.
ANNOUNCE_STATUS_CANCELLED = label("geannuleerd")

# Translators: there are no announcements yet.
ANNOUNCE_LIST_NONE = N_("Nog geen aankondigingen. Maak er een met /aankondiging.")

# Translators: button: change announcement {code} (like A12).
BUTTON_CHANGE_CODE = label("✏️ {code}")

# Translators: button: cancel announcement {code}.
BUTTON_CANCEL_CODE = label("✖ {code}")

# Translators: button: answers to announcement {code}.
BUTTON_ANSWERS_CODE = label("📊 {code}")

# Translators: asking to confirm a cancellation. {code}, {title}.
ANNOUNCE_ASK_CANCEL = N_("Aankondiging {code} ({title}) annuleren? Dan krijgt niemand ze.")

# Translators: an announcement was cancelled.
ANNOUNCE_CANCELLED = N_("Ik heb aankondiging {code} geannuleerd. Niemand heeft ze gekregen.")

# Translators: too late to change or cancel.
ANNOUNCE_ALREADY_GONE = N_(
    "Aankondiging {code} is al weg, of iemand annuleerde ze. Ik kan ze niet meer veranderen."
)

# Translators: no newcomer uses Schakel yet, so nobody can get an announcement.
ANNOUNCE_NOBODY = N_(
    "Nog geen nieuwkomer gebruikt Schakel en gaf akkoord. Er is niemand om te verwittigen."
)

# Translators: help for coordinators, about announcements.
COORDINATOR_HELP_ANNOUNCE = N_(
    "Een sessie aankondigen aan nieuwkomers: /aankondiging. "
    "Wijzigen, annuleren of de antwoorden zien: /aankondigingen."
)

# Translators: help for coordinators: more of what they may do. Commands stay as they are.
COORDINATOR_HELP_MORE = N_(
    "Iemand die ook helpt: /betrokken. Uw telefoon en uren: /profiel. "
    "Stoppen met een formulier: /cancel."
)

# Translators: help for caseworkers, about labels (tags) used for announcements.
CASEWORKER_HELP_TAGS = N_(
    "Labels voor aankondigingen, bijvoorbeeld beroepsperspectief: /label CODE woord."
)

# Translators: how to use /label. Keep the command and the examples as they are.
TAG_USAGE = N_(
    "Typ /label, de code van de nieuwkomer en een label. "
    "Bijvoorbeeld: /label K-7F3Q beroepsperspectief. "
    "Weghalen: /label K-7F3Q -beroepsperspectief"
)

# Translators: the labels (tags) of one newcomer. {tags} is a list.
TAG_LIST = N_("Labels van {name} ({reference}): {tags}.")

# Translators: a newcomer without labels.
TAG_LIST_NONE = N_("{name} ({reference}) heeft geen labels.")

# Translators: a label that cannot be used.
TAG_BAD = N_("Een label is hoogstens {max} tekens: letters, cijfers, spaties of streepjes.")


# --- Figures for coordinators (/cijfers, `schakel export`) ------------------------

# Translators: button under the figures: the same figures as an Excel file.
BUTTON_FIGURES_EXCEL = label("📄 Excel-bestand")

# Translators: caption of the Excel file with the figures. {first} and {last} are dates.
FIGURES_EXCEL_CAPTION = N_(
    "Cijfers en afspraken van {first} tot en met {last}. Zonder namen of codes van nieuwkomers."
)

# Translators: help for coordinators, about the figures.
COORDINATOR_HELP_FIGURES = N_(
    "Cijfers en een grafiek per maand of periode: /cijfers. "
    "Een andere periode: /cijfers 1-9-2026 30-9-2026."
)

# Translators: /cijfers asks which period. The buttons show months.
FIGURES_ASK_PERIOD = N_("Cijfers van welke periode?")

# Translators: button: another period than the months shown.
BUTTON_FIGURES_OTHER = label("📅 Andere periode")

# Translators: how to ask the figures of any period. Keep the command and dates as they are.
FIGURES_USAGE = N_(
    "Typ /cijfers met de eerste en de laatste dag. Bijvoorbeeld: /cijfers 1-9-2026 30-9-2026."
)

# Translators: the period typed after /cijfers is not clear.
FIGURES_PERIOD_UNCLEAR = N_(
    "Die periode begrijp ik niet. Typ twee datums, bijvoorbeeld: /cijfers 1-9-2026 30-9-2026."
)

# Translators: a date typed after /cijfers does not exist, like 31-9.
FIGURES_NO_SUCH_DATE = N_("Die datum bestaat niet. Kijk de dag en de maand na.")

# Translators: the first day typed after /cijfers comes after the last day.
FIGURES_PERIOD_REVERSED = N_("De eerste dag komt na de laatste dag. Typ eerst de eerste dag.")

# Translators: the first line of the figures. {first} and {last} are dates.
FIGURES_TITLE = N_("📊 Cijfers van {first} tot en met {last}")

# Translators: nothing happened in the period.
FIGURES_NOTHING = N_("In deze periode is er niets te tellen.")

# Translators: one line of figures: a heading and counts, like "Herinneringen: 40 verstuurd,
# 2 mislukt". {heading} is a word below; {counts} is a list of counts.
FIGURES_LINE = N_("{heading}: {counts}.")

# Translators: one group in the figures, like "- Arabisch: 5 uitgenodigd, 4 gekoppeld".
FIGURES_GROUP_LINE = N_("- {group}: {counts}")

# Translators: button: the figures of one month. {month} is like "oktober 2026".
BUTTON_FIGURES_MONTH = label("📅 {month}")

# Translators: the number of appointments, as in "30 in totaal".
FIGURES_TOTAL = label("in totaal")

# Translators: one count in a line of figures, like "40 verstuurd". {what} is a word below.
FIGURES_COUNT = N_("{count} {what}")

# Translators: one count with a share, like "5 niet gekomen (20 %)".
FIGURES_COUNT_SHARE = N_("{count} {what} ({share})")

# Translators: no-shows in one group, like "- Jobcoach: 2 van 10 niet gekomen (20 %)".
FIGURES_NO_SHOW_LINE = N_("- {group}: {no_show} van {counted} niet gekomen ({share})")

# Translators: the time it took for half of the notes to be taken over. {duration}: "2 dagen".
FIGURES_HANDOVER_MEDIAN = N_("Partners namen de helft over binnen {duration}.")

# Translators: the caption of the chart image. {first} and {last} are dates.
FIGURES_CHART_CAPTION = N_("Grafiek van {first} tot en met {last}.")

# Translators: heading in the figures: newcomers, per language.
FIGURES_NEWCOMERS = label("Nieuwkomers")

# Translators: heading in the figures: newcomers per language.
FIGURES_NEWCOMERS_BY_LANGUAGE = label("Nieuwkomers per taal")

# Translators: newcomers a caseworker added (and sent a link to).
FIGURES_INVITED = label("uitgenodigd")

# Translators: newcomers who opened the link and agreed.
FIGURES_LINKED = label("gekoppeld")

# Translators: heading in the figures.
FIGURES_APPOINTMENTS = label("Afspraken")

# Translators: heading in the figures: reminders for appointments.
FIGURES_REMINDERS = label("Herinneringen")

# Translators: reminders that reached the newcomer.
FIGURES_SENT = label("verzonden")

# Translators: reminders Telegram could not deliver.
FIGURES_FAILED = label("mislukt")

# Translators: reminders that went later than planned (the bot was down).
FIGURES_LATE = label("te laat")

# Translators: reminders not sent, for example because the appointment had started.
FIGURES_SKIPPED = label("overgeslagen")

# Translators: heading in the figures: what newcomers answered to a reminder.
FIGURES_ANSWERS = label("Antwoorden")

# Translators: appointments the newcomer confirmed ("I'll come").
FIGURES_CONFIRMED = label("bevestigd")

# Translators: appointments the newcomer said they cannot come to.
FIGURES_DECLINED = label("afgezegd")

# Translators: newcomers who did not answer.
FIGURES_NO_ANSWER = label("geen antwoord")

# Translators: heading in the figures: who came to the appointments.
FIGURES_ATTENDANCE = label("Aanwezigheid")

# Translators: the caseworker did not yet say whether the newcomer came.
FIGURES_OPEN = label("nog niet ingevuld")

# Translators: heading: no-shows ("did not come") per kind of appointment.
FIGURES_BY_KIND = label("Afwezig per soort")

# Translators: heading: no-shows per language of the newcomer.
FIGURES_BY_LANGUAGE = label("Afwezig per taal")

# Translators: heading: no-shows after what the newcomer answered to the reminder.
FIGURES_BY_ANSWER = label("Afwezig na antwoord")

# Translators: heading in the figures: handover notes (written, taken over, declined).
FIGURES_HANDOVERS = label("Overdracht")

# Translators: handover notes written.
FIGURES_WRITTEN = label("geschreven")

# Translators: heading in the figures: announcements of info sessions (sent, reached, answers).
FIGURES_ANNOUNCEMENTS = label("Aankondiging")

# Translators: newcomers an announcement reached.
FIGURES_REACHED = label("bereikt")

# Translators: newcomers who said they come to a session.
FIGURES_COMING = label("komen")

# Translators: newcomers who said they do not come to a session.
FIGURES_NOT_COMING = label("komen niet")

# Translators: heading in the figures: appointments with an interpreter, per language.
FIGURES_INTERPRETERS = label("Tolken")

# Translators: no figure yet (nothing to count).
FIGURES_NO_SHARE = label("geen cijfer")

# Translators: chart heading: attendance per kind of appointment.
CHART_ATTENDANCE_BY_KIND = label("Aanwezig per soort")

# Translators: chart heading: share of no-shows (%) after the newcomer's answer.
CHART_NO_SHOW_BY_ANSWER = label("% afwezig")

# Translators: the chart has nothing to show.
CHART_EMPTY = label("Niets te tellen")

# Translators: title of the sheet with the figures in the export file.
EXPORT_SHEET_FIGURES = label("Cijfers")

# Translators: title of the sheet with one row per appointment in the export file.
EXPORT_SHEET_APPOINTMENTS = label("Afspraken")

# Translators: column heading in the export: the part of the figures.
EXPORT_COLUMN_SECTION = label("Onderdeel")

# Translators: column heading in the export: what is counted.
EXPORT_COLUMN_FIGURE = label("Cijfer")

# Translators: column heading in the export: the group (a language, a kind).
EXPORT_COLUMN_GROUP = label("Groep")

# Translators: column heading in the export: the number.
EXPORT_COLUMN_VALUE = label("Aantal")

# Translators: column heading in the export: the appointment's number.
EXPORT_COLUMN_APPOINTMENT = label("Afspraak nr.")

# Translators: column heading in the export.
EXPORT_COLUMN_DATE = label("Datum")

# Translators: column heading in the export.
EXPORT_COLUMN_TIME = label("Uur")

# Translators: column heading in the export: kind of appointment.
EXPORT_COLUMN_KIND = label("Soort")

# Translators: column heading in the export: the organisation that planned it.
EXPORT_COLUMN_ORGANISATION = label("Organisatie")

# Translators: column heading in the export: the newcomer's language.
EXPORT_COLUMN_LANGUAGE = label("Taal")

# Translators: column heading in the export: the interpreter's language.
EXPORT_COLUMN_INTERPRETER = label("Tolk")

# Translators: column heading in the export: planned in chat or imported.
EXPORT_COLUMN_SOURCE = label("Bron")

# Translators: column heading in the export: the newcomer's answer.
EXPORT_COLUMN_ANSWER = label("Antwoord")

# Translators: column heading in the export: why the newcomer cannot come.
EXPORT_COLUMN_REASON = label("Reden")

# Translators: column heading in the export: came, did not come, moved.
EXPORT_COLUMN_OUTCOME = label("Uitkomst")

# Translators: column heading in the export: the newcomer's code (like K-7F3Q).
EXPORT_COLUMN_REFERENCE = label("Code")

# Translators: column heading in the export: the median number of days until a note was
# taken over: half of the notes were taken over within this many days.
FIGURES_MEDIAN_DAYS = label("helft binnen (dagen)")

# Translators: the first line of one organisation's figures. {organisation} is a short name
# like VDAB; {first} and {last} are dates.
FIGURES_TITLE_ORGANISATION = N_("📊 Cijfers van {organisation}, van {first} tot en met {last}")

# Translators: caption of the Excel file with one organisation's figures. {organisation} is a
# short name like VDAB; {first} and {last} are dates.
FIGURES_EXCEL_CAPTION_ORGANISATION = N_(
    "Cijfers en afspraken van {organisation}, van {first} tot en met {last}."
    " Zonder namen of codes van nieuwkomers."
)

# Translators: how to ask the figures of one organisation. Keep the command, the dates and
# VDAB as they are.
FIGURES_USAGE_ORGANISATION = N_(
    "Alleen de cijfers van één organisatie?"
    " Zet haar naam erachter: /cijfers 1-9-2026 30-9-2026 VDAB."
)

# Translators: the organisation typed after /cijfers is not known. {name} is what was typed;
# {known} lists the organisations, like "OCMW, VDAB".
FIGURES_UNKNOWN_ORGANISATION = N_("Die organisatie ken ik niet: {name}. Kies uit: {known}.")

# Translators: the figures ask which organisation to show. The buttons show their names.
FIGURES_ASK_ORGANISATION = N_("Cijfers van welke organisatie?")

# Translators: button under the figures: the same figures for one organisation only.
BUTTON_FIGURES_ORGANISATION = label("🏢 Eén organisatie")

# Translators: button: the figures of all partner organisations together.
BUTTON_FIGURES_EVERYONE = label("🤝 Alle partners")

# Translators: newcomers whose first intake ("Eerste gesprek") was in the period.
FIGURES_FROM_INTAKE = N_("Nieuwkomers met een eerste gesprek in deze periode: {count}.")

# Translators: days from the first intake to a next step. {what} is a step below. Half of the
# newcomers got there within {median} days; the middle half took {p25} to {p75} days (the 25th
# to the 75th percentile). {waiting}: how many did not get there yet.
FIGURES_DAYS_LINE = N_(
    "- {what}: {count} al zo ver. De helft binnen {median} dagen;"
    " de middelste helft na {p25} tot {p75} dagen. Nog niet: {waiting}."
)

# Translators: no newcomer got to this step yet after their first intake. {what}: a step below.
FIGURES_DAYS_NONE = N_("- {what}: nog niemand.")

# Translators: a step after the first intake: the next appointment with another partner
# organisation.
FIGURES_TO_PARTNER = label("Tot andere partner")

# Translators: a step after the first intake: a handover note about them was taken over.
FIGURES_TO_HANDOVER = label("Tot overdracht")

# Translators: heading in the export: newcomers after their first intake ("Eerste gesprek").
FIGURES_AFTER_INTAKE = label("Na eerste gesprek")

# Translators: in the export: newcomers who already got to a step after their first intake.
FIGURES_GOT_THERE = label("al zo ver")

# Translators: in the export: the 25th percentile of the days. Keep P25.
FIGURES_DAYS_P25 = label("P25 (dagen)")

# Translators: in the export: the 75th percentile of the days. Keep P75.
FIGURES_DAYS_P75 = label("P75 (dagen)")

# Translators: in the export: newcomers who did not get to this step yet.
FIGURES_NOT_YET = label("nog niet")

# Translators: heading in the figures: text messages (SMS) to newcomers.
FIGURES_SMS = label("SMS")

# Translators: text messages the phone network says arrived.
FIGURES_DELIVERED = label("aangekomen")

# Translators: the parts (segments) of text messages: a long SMS costs several parts.
FIGURES_SEGMENTS = label("SMS-delen")

# Translators: a kind of text message: a new, changed or cancelled appointment.
FIGURES_SMS_APPOINTMENT = label("afspraak")

# Translators: a kind of text message: a reminder of an appointment.
FIGURES_SMS_REMINDER = label("herinnering")

# Translators: a kind of text message: an announcement of an info session.
FIGURES_SMS_ANNOUNCEMENT = label("aankondiging")

# Translators: a kind of text message: the first one, asking "Antwoord JA" or "STOP".
FIGURES_SMS_OPT_IN = label("vraag JA of STOP")

# Translators: a kind of text message: an answer to what the newcomer sent.
FIGURES_SMS_REPLY = label("antwoord")

# Translators: a kind of text message: anything else.
FIGURES_SMS_OTHER = label("ander bericht")

# Translators: heading: no-shows per way the reminders reached the newcomer.
FIGURES_BY_CHANNEL = label("Afwezig per kanaal")

# Translators: the reminders reached the newcomer on Telegram.
FIGURES_CHANNEL_TELEGRAM = label("via Telegram")

# Translators: the reminders reached the newcomer by text message.
FIGURES_CHANNEL_SMS = label("per SMS")

# Translators: no reminder reached the newcomer.
FIGURES_CHANNEL_NONE = label("geen herinnering")

# Translators: column heading in the export: how the reminders reached the newcomer.
EXPORT_COLUMN_CHANNEL = label("Kanaal")

# Translators: source of an appointment: planned in the chat.
SOURCE_CHAT = label("chat")

# Translators: source of an appointment: from the planning sheet.
SOURCE_IMPORT = label("planning")
