"""Every sentence Schakel shows a person, in its Dutch source form.

The Dutch is the gettext msgid, so translators see the real sentence. Rules for
writers: plain Dutch (klare taal, about A2-B1), short sentences, "u", active voice,
whole sentences with named {placeholders}, nothing sensitive in the first line (it
shows on a locked phone). Mark each text with who reads it (`for_newcomers`, `N_` for
staff, `button`): `schakel check-messages` holds it to that audience's rules. Change a
text here, then run `make catalogs` (see README).
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    """Who reads a text; `schakel check-messages` checks each audience by its own rules."""

    NEWCOMER = "newcomer"  # plain Dutch at about A2, and the Dutch fits one SMS
    STAFF = "staff"  # caseworkers, coordinators, admins: plain, but may be longer
    BUTTON = "button"  # a button label: a few words


AUDIENCE: dict[str, Audience] = {}

# The marker functions below, for pybabel (`make catalogs` passes each as -k).
KEYWORDS = ("N_", "for_newcomers", "button")


def _mark(text: str, audience: Audience) -> str:
    AUDIENCE[text] = audience
    return text


def N_(text: str) -> str:
    """A text for staff, marked for extraction by pybabel (translated when rendered)."""
    return _mark(text, Audience.STAFF)


def for_newcomers(text: str) -> str:
    """A text a newcomer may read: strict plain Dutch, and the Dutch fits one SMS."""
    return _mark(text, Audience.NEWCOMER)


def button(text: str) -> str:
    """A button label, about 15 characters in every language."""
    return _mark(text, Audience.BUTTON)


# --- Everyone -----------------------------------------------------------------

# Translators: sent to someone Schakel does not know yet. Keep it very short.
UNKNOWN_PERSON = for_newcomers("Ik ken u nog niet. Vraag uw begeleider om een link om te starten.")

# Translators: shown when something broke inside Schakel. Nothing was saved.
SOMETHING_WENT_WRONG = for_newcomers(
    "Er ging iets mis. Ik heb niets veranderd. Probeer het later opnieuw."
)

# Translators: reply to a message or command that Schakel does not understand.
NOT_UNDERSTOOD = for_newcomers("Dat begrijp ik niet. Typ /help voor hulp.")

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
CLIENT_WELCOME = for_newcomers(
    "Hallo {name}! Ik ben Schakel. {contact} van {organisation} is uw contactpersoon."
)

# Translators: the consent question. It must say what is sent, what is kept,
# who sees it and how to stop.
CLIENT_CONSENT_QUESTION = for_newcomers(
    "Mag ik u berichten sturen over uw afspraken? "
    "Ik bewaar uw naam, taal en afspraken. "
    "Alleen uw begeleiders zien dat. "
    "Stoppen kan altijd: typ /stop."
)

# Translators: button text, keep it short (about 15 characters).
BUTTON_AGREE = button("Ja, dat is goed")

# Translators: button text, keep it short (about 15 characters).
BUTTON_NOT_NOW = button("Nu niet")

# Translators: after the newcomer agreed.
CLIENT_CONSENT_THANKS = for_newcomers("Dank u. U krijgt nu berichten van mij. Typ /help voor hulp.")

# Translators: after the newcomer said "not now".
CLIENT_CONSENT_REFUSED = for_newcomers(
    "Goed. Ik stuur u geen berichten. Wilt u later toch berichten? Vraag uw begeleider."
)

# Translators: the newcomer opened their link again, but is already signed up.
CLIENT_ALREADY_LINKED = for_newcomers("U bent al aangemeld. Typ /help voor hulp.")

# Translators: help text for newcomers.
CLIENT_HELP = for_newcomers(
    "Ik stuur u een bericht voor elke afspraak. "
    "Vragen? Bel uw contactpersoon. "
    "Geen berichten meer? Typ /stop."
)

# Translators: after /stop. Nothing more will be sent.
CLIENT_STOPPED = for_newcomers(
    "U krijgt geen berichten meer. Wilt u weer berichten? Vraag het uw begeleider."
)

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
    "Rollen: {roles}. Organisaties: {organisations}."
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

# --- Caseworker -----------------------------------------------------------------

# Translators: help for caseworkers. Commands stay as they are.
CASEWORKER_HELP = N_(
    "U bent begeleider. "
    "Nieuwkomer uitnodigen: /nieuw VOORNAAM TAAL. "
    "Bijvoorbeeld: /nieuw Amal ar. "
    "Talen: {languages}."
)

# Translators: how to use /nieuw, after a mistake.
CLIENT_INVITE_USAGE = N_(
    "Zo werkt het: /nieuw VOORNAAM TAAL. Bijvoorbeeld: /nieuw Amal ar. Talen: {languages}."
)

# Translators: someone typed a language code that Schakel does not support.
UNKNOWN_LANGUAGE = N_("De taal {language} ken ik niet. Kies uit: {languages}.")

# Translators: a first name that is too long or has odd characters.
BAD_FIRST_NAME = N_(
    "Typ alleen een voornaam of roepnaam, hoogstens {max} tekens. Geen achternaam, geen nummers."
)

# Translators: the caseworker invited a newcomer. {reference} is a code like K-7F3Q.
CLIENT_INVITE_CREATED = N_(
    "{name} ({reference}) staat in Schakel. "
    "Geef deze link aan {name}. "
    "Hij werkt één keer, tot {expires}: {link}"
)

# Translators: told to the caseworker when the newcomer agreed to get messages.
CASEWORKER_CONSENT_GIVEN = N_("{name} ({reference}) is aangemeld en wil berichten krijgen.")

# Translators: told to the caseworker when the newcomer said "not now".
CASEWORKER_CONSENT_REFUSED = N_("{name} ({reference}) wil nu geen berichten. Ik stuur niets.")

# Translators: told to the caseworker when the newcomer typed /stop.
CASEWORKER_CLIENT_STOPPED = N_("{name} ({reference}) wil geen berichten meer. Ik stuur niets meer.")

# Translators: told to the caseworker when Telegram no longer delivers to a newcomer
# (they blocked the bot or removed Telegram).
CASEWORKER_CLIENT_UNREACHABLE = N_(
    "{name} ({reference}) krijgt geen berichten meer van Schakel. "
    "Misschien heeft {name} Schakel geblokkeerd of Telegram gewist. Neem zelf contact op."
)

# --- Coordinator ----------------------------------------------------------------

# Translators: help for coordinators.
COORDINATOR_HELP = N_(
    "U bent coördinator. U ziet hier de nieuwkomers en medewerkers per organisatie. Typ /overzicht."
)

# Translators: coordinator overview, one line per organisation follows.
COORDINATOR_OVERVIEW = N_(
    "Overzicht: {clients} nieuwkomers, waarvan {linked} aangemeld. {staff} medewerkers."
)

# Translators: one line of the overview per organisation.
COORDINATOR_OVERVIEW_LINE = N_("{organisation}: {clients} nieuwkomers, {staff} medewerkers.")
