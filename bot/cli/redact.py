"""`schakel redact [--json] [TEXT...]`: show what Schakel would keep of a text.

For staff and for whoever checks the redaction: paste a note, see it as it would be
stored, with national register, BIS, phone, e-mail and account numbers replaced. Nothing
is stored or sent. Exit status 0 whether or not anything was found (finding something is
not an error), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from typing import TextIO

from bot.core.redaction import MARKERS, redact

DESCRIPTION = (
    "Print a text as Schakel would keep it, with personal numbers, phone numbers, e-mail "
    "addresses and IBANs replaced by a marker."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="schakel redact", description=DESCRIPTION)
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"text": ..., "found": [{"kind", "start", "end"}]}; offsets are into the input',
    )
    parser.add_argument(
        "text", nargs="*", metavar="TEXT", help="the text (joined by spaces); stdin if absent"
    )
    return parser


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    # argparse prints to sys.stdout/sys.stderr and exits; send its output to the streams
    # we were given and turn its exit into a return value, so callers and tests need not
    # catch SystemExit.
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = _parser().parse_args(argv)
    except SystemExit as leaving:  # 0 after --help, 2 after a usage error
        code = leaving.code
        return code if isinstance(code, int) else 0 if code is None else 2

    if args.text:
        text = " ".join(args.text)
    else:
        text = stdin.read()
        # The newline that ends the last line of a file or of `echo` is no part of the
        # text; further line breaks are.
        if text.endswith("\r\n"):
            text = text[:-2]
        elif text.endswith("\n"):
            text = text[:-1]

    # keep() is redact() with the stored markers; call redact once for both.
    kept, findings = redact(text, MARKERS.__getitem__)
    if args.json:
        found = [{"kind": f.kind.value, "start": f.start, "end": f.end} for f in findings]
        print(json.dumps({"text": kept, "found": found}, ensure_ascii=False), file=stdout)
    else:
        print(kept, file=stdout)
    return 0
