"""`schakel demo` plays the scripted day offline and the newcomer reads Arabic and Dutch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.app.demo import run_demo

ROOT = Path(__file__).resolve().parents[1]


async def test_the_demo_shows_arabic_with_the_dutch_beside_it() -> None:
    transcript = await run_demo()
    amal = transcript.split("── chat with Amal ──")[1].split("── chat with")[0]
    assert "مرحب" in amal and "Hallo Amal! Ik ben Schakel." in amal
    assert "[taps نعم، أوافق]" in amal
    assert "Dank u. U krijgt nu berichten van mij." in amal
    assert "Zo werkt het: /nieuw VOORNAAM TAAL NIVEAU." in transcript  # the caseworker's slip
    # The contact card from the menu: the contact first, a tappable phone, the helpers.
    assert "Uw contactpersoon is Youssef van VDAB." in amal
    assert "0470 12 34 56" in amal and "+32470123456" not in amal
    assert "Sarah Peeters (VDAB): Vraag naar werk en een job zoeken." in amal
    assert "[menu: 📅" in amal
    assert "zei ja en wil berichten krijgen." in transcript
    assert "Ik ken u nog niet." in transcript  # the stranger


async def test_the_demo_shows_a_reminder_in_arabic_and_dutch_and_the_caseworker_told() -> None:
    transcript = await run_demo()
    amal = transcript.split("── chat with Amal ──")[1].split("── chat with")[0]
    # Her language first (one layout for every newcomer message), then the Dutch SMS.
    dutch_at = amal.index("🇧🇪 ───\n            Afspraak: donderdag 25 maart om 10:00")
    assert "تذكير: لديك موعد." in amal[:dutch_at].split("Schakel ◂")[-1]
    assert "Met Youssef en Inge Claes, tolk Arabisch" in amal[dutch_at:].split("Schakel ◂")[0]
    assert "[taps ❌ لا أستطيع]" in amal
    youssef = transcript.split("── chat with Youssef ──")[1].split("── chat with")[0]
    assert "kan niet komen naar de afspraak van donderdag 25 maart 2027, 10:00." in youssef
    assert "Reden: les Nederlands." in youssef


async def test_the_demo_shows_a_somali_newcomer_joining_by_sms_and_answering_2_then_3() -> None:
    transcript = await run_demo()
    youssef = transcript.split("── chat with Youssef ──")[1].split("── chat with")[0]
    assert "/nieuw Faadumo somalisch A1 sms +32485112233" in youssef
    assert "Ik stuurde Faadumo (K-" in youssef and "een sms op 0485 11 22 33." in youssef
    assert ") antwoordde JA op de sms. Berichten gaan nu per sms." in youssef
    assert ") kan niet komen op donderdag 25 maart 2027, 10:00. Reden: les Nederlands." in youssef
    assert "Eerste gesprek. ❌ komt niet: les Nederlands" in youssef  # /week
    phone = transcript.split("── phone of Faadumo (+32485112233), by SMS ──")[1]
    said = [line.split("▸ ")[1] for line in phone.splitlines() if "Faadumo ▸" in line]
    assert said == ["Ja", "2", "3"]
    opt_in, reminder = phone.split("Faadumo ▸ Ja")[0], phone.split("Faadumo ▸ 2")[0]
    assert "Dit is Schakel, van Youssef (VDAB)." in opt_in and "Antwoord JA." in opt_in
    # The reminder: one Dutch SMS, then one in Somali ([sms] translation = "latin-script").
    dutch, somali = reminder.split("Schakel ◂ ")[-2:]
    assert dutch.startswith("Afspraak donderdag 25 maart om 10:00  [1 SMS]")
    assert "Antwoord 1 = ik kom, 2 = ik kan niet" in dutch
    assert somali.startswith("Xusuusin: ballan ayaad leedahay.  [1 SMS]")
    assert "Ma imanaysaa? Soo dir 1." in somali
    assert "Schakel ayaa kuu soo diraya SMS" in opt_in  # the opt-in's Somali SMS
    after_2 = phone.split("Faadumo ▸ 2")[1].split("Faadumo ▸ 3")[0]
    assert "Waarom kunt u niet komen? Antwoord 1 ziek, 2 werk, 3 les, 4 iets anders" in after_2
    assert "Dank u. Uw contactpersoon weet het nu." in phone.split("Faadumo ▸ 3")[1]


def test_the_demo_command_exits_zero_within_a_minute() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "── chat with Amal ──" in result.stdout
    assert "Traceback" not in result.stderr


async def test_the_demo_shows_a_handover_with_consent_and_its_acceptance() -> None:
    transcript = await run_demo()
    youssef = transcript.split("── chat with Youssef ──")[1].split("── chat with")[0]
    assert "Ik heb dit uit uw tekst gehaald: rijksregisternummer." in youssef
    assert "Gaat Amal akkoord dat u dit deelt met OCMW?" in youssef
    # Consent first, from Amal herself, in Arabic and Dutch; Youssef hears it at once.
    handover = youssef.split("[taps 📱 Vraag het nu]")[1]
    assert "Amal zegt zelf ja: u mag de nota delen met OCMW." in handover
    assert "Amal zei zelf ja in Schakel op" in handover
    # Each answer after "ask", the post included (its line ends the part), and the four
    # before it (organisation, person, reason, ask): at most ten.
    after_asking = handover.split("[taps 📤 Plaatsen]")[0].splitlines()
    answers = 4 + sum(line.strip().startswith("Youssef ▸") for line in after_asking)
    assert answers == 10
    assert "Hanne Maes (OCMW) heeft overdracht H-" in youssef
    group = transcript.split("── chat with Partners Gent ──")[1].split("── chat with")[0]
    assert ": van VDAB naar OCMW." in group
    assert "Amal" not in group and "033.28" not in group
    assert "✅ Overgenomen door Hanne Maes (OCMW)" in group
    amal = transcript.split("── chat with Amal ──")[1].split("── chat with")[0]
    assert "Youssef wil uw gegevens sturen naar OCMW. Daar krijgt u een nieuwe begeleider." in amal
    assert "[taps ✅ نعم]" in amal
    assert "U hebt een nieuwe contactpersoon: Hanne Maes van OCMW." in amal
    assert "033.28" not in transcript.split("── chat with Hanne Maes ──")[1]


async def test_the_demo_shows_an_announcement_its_progress_and_an_answer() -> None:
    transcript = await run_demo()
    kris = transcript.split("── chat with Kris ──")[1].split("── chat with")[0]
    assert "Wie krijgt ze, per taal:\n" in kris  # the compact preview, then one language
    assert "[taps 👁 Tigrinya]\n" in kris
    assert "Dit krijgen de nieuwkomers die Tigrinya lezen (1):" in kris
    assert "[edits message" in kris and "klaar. 3 van 3 verstuurd, 0 mislukt." in kris
    assert "Verslag van aankondiging A1, Werken in Vlaanderen:" in kris
    assert "Antwoorden. Komen: 1. Kunnen niet: 0. Nog geen antwoord: 2." in kris
    amal = transcript.split("── chat with Amal ──")[1].split("── chat with")[0]
    assert "Uitnodiging: Werken in Vlaanderen, dinsdag 30 maart om 14:00" in amal
    assert "[taps ✅ سأحضر]" in amal
    dawit = transcript.split("── chat with Dawit ──")[1].split("── chat with")[0]
    assert "ዕድመ፦ ስራሕ ኣብ ፍላንደርስ" in dawit


async def test_the_demo_ends_with_the_coordinators_figures_chart_and_excel(tmp_path: Path) -> None:
    transcript = await run_demo(tmp_path)
    kris = transcript.split("── chat with Kris ──")[1].split("── phone of")[0]
    figures = kris.split("[taps 📅 maart 2027]")[1]
    assert "📊 Cijfers van 1 maart 2027 tot en met 31 maart 2027" in figures
    assert "Nieuwkomers: 3 uitgenodigd, 3 gekoppeld." in figures
    assert "Antwoorden: 0 bevestigd, 2 afgezegd, 0 geen antwoord." in figures
    assert "Overdracht: 1 geschreven, 1 overgenomen, 0 geweigerd." in figures
    assert "Partners namen de helft over binnen 3 uur." in figures
    assert "Aankondiging: 1 verzonden, 3 bereikt (100%), 1 komen, 0 komen niet." in figures
    assert "] Grafiek van 1 maart 2027 tot en met 31 maart 2027." in figures
    assert kris.rstrip().endswith("Zonder namen of codes van nieuwkomers.")
    saved = sorted(path.name for path in tmp_path.iterdir())
    assert "schakel-2027-03-01-2027-03-31.png" in saved
    assert "schakel-2027-03-01-2027-03-31.xlsx" in saved
    assert (tmp_path / "schakel-2027-03-01-2027-03-31.png").read_bytes().startswith(b"\x89PNG")
