"""Realistic values for every placeholder, for `schakel check-messages`.

The first value of each placeholder is the longest one we expect in real use, so the
SMS length is measured at its worst; the others show every kind that matters (every
appointment kind, a two-part surname, a long street name). A new placeholder needs a
sample here, or the check fails and says so.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from messages import format_when

_BRUSSELS = ZoneInfo("Europe/Brussels")
# A Thursday in September: the longest weekday and month names in Dutch.
_LONGEST_DATE = dt.datetime(2027, 9, 30, 10, 30, tzinfo=_BRUSSELS)

SAMPLE_VALUES: dict[str, tuple[str, ...]] = {
    "name": ("Abdulrahman", "Amal", "Mohammed-Amin"),
    "contact": ("Anneleen Van den Broeck", "Youssef El Amrani", "Els"),
    "organisation": ("In-Gent", "VDAB", "OCMW"),
    "organisations": ("VDAB, OCMW, In-Gent",),
    "reference": ("K-7F3Q",),
    # The figures for coordinators (bot/figures_texts.py).
    "first": ("30 september 2027", "1 mei 2027"),
    "last": ("31 december 2027", "1 mei 2027"),
    "month": ("september 2027", "mei 2027"),
    "heading": ("Herinneringen", "Afspraken"),
    "counts": ("140 verzonden, 12 mislukt, 3 te laat, 25 overgeslagen", "8 in totaal"),
    "what": ("nog niet ingevuld", "verzonden", "Arabisch"),
    "share": ("100%", "9%", "geen cijfer"),
    "group": ("Maatschappelijk werker", "Arabisch", "geen antwoord"),
    "no_show": ("112", "0"),
    "counted": ("1250", "3"),
    "duration": ("12 dagen", "3 uur"),
    # Days from a first intake (bot/figures/intake.py) and the organisations to choose from.
    "median": ("12,5", "0"),
    "p25": ("3", "0"),
    "p75": ("41,75", "0"),
    "waiting": ("1250", "0"),
    "known": ("Agentschap Integratie en Inburgering, CAW, Fedasil, OCMW, Stad Gent, VDAB", "VDAB"),
    "role": ("coördinator", "begeleider", "beheerder"),
    # Staff leave (/medewerkers): who takes over, and how many open links stopped.
    "colleague": ("Anneleen Van den Broeck", "Tom"),
    "links": ("12", "0"),
    "roles": ("begeleider, coördinator, beheerder",),
    "expires": (format_when(_LONGEST_DATE, "nl", _BRUSSELS),),
    "link": ("https://t.me/SchakelBot?start=c_0Z8YbqQ3V4pT2mXk9nLr1w",),
    "language": ("klingon",),
    "languages": ("nl, en, fr, ar, fa, fa_AF, ps, ti, so, tr, ru, uk",),
    "max": ("40",),
    "phone": ("+32 470 12 34 56", "+32 9 266 11 11"),
    "hours": ("maandag tot vrijdag van 9 tot 12 uur", "dinsdag"),
    "spoken": ("Nederlands, Frans, Engels en Arabisch", "Nederlands"),
    "about": ("Samen praten en Nederlands oefenen.", "Vraag naar werk en een job zoeken."),
    "when": (format_when(_LONGEST_DATE, "nl", _BRUSSELS),),
    "next": (format_when(_LONGEST_DATE, "nl", _BRUSSELS), "geen"),
    "kind": (
        "Sociaal werker",
        "Eerste gesprek",
        "Jobcoach",
        "Inburgering",
        "Infosessie",
        "Afspraak",
    ),
    "place": ("Sint-Pietersnieuwstraat 120, 9000 Gent", "VDAB, Kongostraat 7, 9000 Gent"),
    # Two people in a duo-intake; one with a two-part surname.
    "with_whom": ("Anneleen Van den Broeck", "An Peeters en Els Claes", "Els"),
    "level": ("A1", "B1", "onbekend"),
    "levels": ("A0, A1, A2, B1, B2, C1, C2",),
    "telegram": ("5123456789",),
    "names": ("Anneleen Van den Broeck (In-Gent), Sarah Peeters (VDAB), Els (In-Gent)",),
    "count": ("12", "1"),
    "counsellor": ("Anneleen Van den Broeck", "Sarah Peeters"),
    "status": ("onbereikbaar", "actief"),
    "others": ("Sarah Peeters (jobcoach, VDAB), Els (buddy, In-Gent)", "geen"),
    "newcomers": ("1250",),
    "linked": ("1180",),
    "staff": ("64",),
    # The reminder SMS: the longest Dutch weekday and date, a long street name, a
    # two-part surname, a mobile number in international form.
    "day": ("donderdag 30 september", "zondag 28 maart", "dinsdag 1 juni"),
    "time": ("10:30", "9:00"),
    "interpreter": ("Somalisch", "Arabisch", "Tigrinya", "Dari"),
    # A phone number as a Belgian dials it; foreign numbers stay international.
    "number": ("0470 12 34 56", "+31 6 12345678", "09 265 48 11"),
    "typed": ("dinsdag 31/02/2027 om 25u30",),
    "reason": ("les Nederlands", "ziek"),
    # When a newcomer could come for a new appointment: chosen, typed, or not said.
    "wish": ("dinsdag, ochtend", "na 14 uur, maar niet op woensdag", "geen voorkeur"),
    "since": ("donderdag 3 december 2026",),
    "moments": (
        "zondag 26 september 10:30, woensdag 29 september 10:30, donderdag 30 september 8:30",
    ),
    "answer": ("❔ geen antwoord", "✅ komt", "❌ komt niet: les Nederlands"),
    # Warm handover.
    "person": ("Anneleen Van den Broeck", "Wie tijd heeft"),
    "chosen": ("Nederlands, Engels, Frans en Arabisch", "nog geen"),
    "kinds": ("een rijksregisternummer, een telefoonnummer en een e-mailadres",),
    "from_organisation": ("In-Gent", "VDAB"),
    "to_organisation": ("OCMW", "VDAB"),
    "next_step": ("Kennismaking met de jobcoach en inschrijving bij VDAB voor een opleiding",),
    "date": ("donderdag 30 september 2027",),
    "until": ("donderdag 30 september 2027",),
    "days": ("3",),
    "newcomer_reference": ("K-7F3Q",),
    "author": ("Anneleen Van den Broeck", "Youssef El Amrani"),
    "mother_tongue": ("Tigrinya", "Arabisch"),
    "civic": ("Nog niet begonnen", "Afgerond"),
    "plan": ("Eerst Nederlands tot A2, dan een opleiding tot heftruckchauffeur bij VDAB.",),
    "attention": ("Heeft kinderopvang nodig op woensdag.",),
    "taker": ("Anneleen Van den Broeck", "Sarah Peeters"),
    "note": ("H-7F3Q",),
    "school": ("CVO Gent, Nederlands module 2", "geen"),
    # Announcements.
    "title": ("Infosessie werken in de zorg en de schoonmaak", "Jobbeurs"),
    "code": ("A1234", "A7"),
    "sent": ("1980",),
    "total": ("2000",),
    "failed": ("12",),
    "left": ("12 minuten", "3 seconden"),
    "words": ("18",),
    "text": ("Gelieve uw identiteitskaart mee te brengen ...", "identiteitskaart"),
    "plain": ("als", "Vragen? Bel 09 265 48 11"),
    "parts": ("2",),
    "segments": ("2000",),
    "state": ("nog geen antwoord", "akkoord"),
    "length": ("412",),
    "buttons": ("✅ Ik kom · ❌ Ik kan niet · 📍 Route",),
    "coming": ("120",),
    "not_coming": ("14",),
    "silent": ("1866",),
    "tags": ("beroepsperspectief, jongeren",),
}
