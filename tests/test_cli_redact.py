"""`schakel redact [--json] [TEXT...]` shows a text as Schakel would keep it: from the
arguments or stdin, as plain text or as JSON with offsets into the input. Finding
something is no error (exit 0); bad usage is (exit 2)."""

from __future__ import annotations

import io
import json

from bot.cli.redact import main


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_arguments_are_joined_by_one_space_and_kept_as_schakel_would() -> None:
    code, out, err = run(["Bel", "0470 12 34 56", "of", "mail", "amal@example.be."])
    assert (code, err) == (0, "")
    assert out == "Bel [telefoonnummer verwijderd] of mail [e-mailadres verwijderd].\n"


def test_without_arguments_stdin_is_read_and_its_last_newline_dropped() -> None:
    code, out, _ = run([], "INSZ 85.07.30-033.28\nrekening be68 5390 0754 7034\n")
    assert code == 0
    assert out == "INSZ [rijksregisternummer verwijderd]\nrekening [rekeningnummer verwijderd]\n"


def test_nothing_found_is_no_error() -> None:
    kept = "Afspraak 26/01/2027 om 10:30\n"
    assert run(["Afspraak", "26/01/2027", "om", "10:30"]) == (0, kept, "")
    assert run([], "") == (0, "\n", "")


def test_json_gives_the_kept_text_and_offsets_into_the_input() -> None:
    text = "Amal ٨٥٠٧٣٠٠٣٣٢٨, tel 0470\u200b12 34 56 — é"
    code, out, _ = run(["--json"], text + "\n")
    assert code == 0
    assert out.endswith("}\n") and out.count("\n") == 1
    shown = json.loads(out)
    assert shown == {
        "text": "Amal [rijksregisternummer verwijderd], tel [telefoonnummer verwijderd] — é",
        "found": [
            {"kind": "national_number", "start": 5, "end": 16},
            {"kind": "phone", "start": 22, "end": 35},
        ],
    }
    assert text[5:16] == "٨٥٠٧٣٠٠٣٣٢٨"
    assert text[22:35] == "0470\u200b12 34 56"
    assert "٨" not in out and "é" in out  # ensure_ascii=False: the text as it is


def test_json_with_nothing_found() -> None:
    code, out, _ = run(["--json", "niets", "te", "zien"])
    assert code == 0
    assert json.loads(out) == {"text": "niets te zien", "found": []}


def test_bad_usage_exits_2_with_a_message_and_no_output() -> None:
    code, out, err = run(["--foo", "tekst"])
    assert (code, out) == (2, "")
    assert "usage: schakel redact" in err and "--foo" in err


def test_help_exits_0() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    assert "usage: schakel redact" in out
