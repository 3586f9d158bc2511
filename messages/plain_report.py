"""Readable and JSON reports of the plain-language checks, for the command line."""

from __future__ import annotations

import json

from messages.plain import PlainRules, TextReport, check_text


def format_report(report: TextReport, title: str | None = None) -> str:
    sms = report.sms
    lines = [title] if title else []
    lines.append(
        f"  SMS: {sms.parts} part(s), {sms.units} {sms.encoding} units"
        + (f"; forces UCS-2: {' '.join(sms.ucs2_characters)}" if sms.ucs2_characters else "")
        + (f"; cost two: {' '.join(sms.double_characters)}" if sms.double_characters else "")
    )
    lines.append(f"  Flesch-Douma: {report.flesch_douma:.0f}, {report.words} words, "
                 f"{len(report.sentences)} sentence(s)")  # fmt: skip
    for finding in report.findings:
        lines.append(f"  - {finding.rule}: {finding.text!r} -> {finding.suggestion}")
    if not report.findings:
        lines.append("  no findings")
    return "\n".join(lines)


def run_check_text(text: str, *, as_json: bool, max_words: int) -> int:
    """Print the report; exit status 1 when there is a finding, so scripts can react."""
    report = check_text(text.strip(), PlainRules(max_words_per_sentence=max_words))
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(format_report(report))
    return 1 if report.findings else 0
