"""The figures chart in every language: every glyph drawn (no missing-glyph warning from
matplotlib), Arabic script shaped, right-to-left charts mirrored, PNGs from `schakel export`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import warnings

import pytest

import bot.figures.chart as chart
from bot.appointments.records import Answer, Kind, Status
from bot.figures.chart import FONT_FILES, FONTS, chart_png, panels
from bot.figures.queries import (
    Announcements,
    AppointmentRow,
    Figures,
    Handovers,
    LanguageCount,
    Period,
    figures_from,
)
from bot.figures.words import ANSWER_GROUP_NAMES
from messages import render
from messages.languages import RIGHT_TO_LEFT, SUPPORTED_LANGUAGES
from tests.e2e.people import BRUSSELS


def _row(kind: Kind, status: Status, answer: Answer | None, language: str) -> AppointmentRow:
    return AppointmentRow(
        id=1, starts_at=dt.datetime(2027, 10, 5, 10, tzinfo=BRUSSELS), kind=kind,
        organisation="VDAB", language=language, interpreter_language="", source="chat",
        answer=answer, answer_reason="", status=status, reminders_sent=2, reminders_failed=1,
        reminders_late=1, reminders_skipped=1, reference="K-AAAA",
    )  # fmt: skip


def every_panel() -> Figures:
    """A month with something in every panel, and every language among the newcomers."""
    rows = [
        _row(kind, status, answer, language)
        for kind, status, answer, language in (
            (Kind.DUO_INTAKE, Status.ATTENDED, Answer.COMING, "ar"),
            (Kind.JOB_COACH, Status.NO_SHOW, Answer.NOT_COMING, "ti"),
            (Kind.CIVIC_INTEGRATION, Status.MOVED, None, "ps"),
            (Kind.SOCIAL_WORKER, Status.PLANNED, Answer.COMING, "fa_AF"),
        )
    ]
    newcomers = [LanguageCount(code, 3, 2) for code in SUPPORTED_LANGUAGES]
    return figures_from(
        Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        rows,
        newcomers=newcomers,
        handovers=Handovers(3, 2, 1, dt.timedelta(hours=30)),
        announcements=Announcements(1, 10, 9, 3, 2),
    )


def missing_glyphs(figures: Figures, language: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart_png(figures, language)
    assert png.startswith(b"\x89PNG")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_chart_draws_every_glyph_in_every_language(language: str) -> None:
    figures = every_panel()
    assert len(panels(figures, language)) == 6
    assert missing_glyphs(figures, language) == []


def test_without_the_shipped_fonts_tigrinya_and_arabic_glyphs_go_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the check above guards against: DejaVu Sans alone has no Ge'ez and no Pashto ښ.
    monkeypatch.setattr(chart, "FONT_FAMILIES", ["DejaVu Sans"])
    assert missing_glyphs(every_panel(), "ti") != []
    assert missing_glyphs(every_panel(), "ps") != []


def test_the_fonts_are_shipped_with_their_licence() -> None:
    assert all((FONTS / name).stat().st_size > 100_000 for name in FONT_FILES)
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text(encoding="utf-8")
    total = sum((FONTS / name).stat().st_size for name in FONT_FILES)
    assert total < 800_000  # a few hundred KB, not the whole Noto family


def test_the_chart_is_in_the_readers_language() -> None:
    figures = every_panel()
    assert panels(figures, "ti")[0].title != panels(figures, "nl")[0].title
    assert panels(figures, "ar")[0].title != panels(figures, "nl")[0].title


def _text_sides(language: str) -> tuple[float, float]:
    """Where the first panel's title and its first label stand, as parts of the width."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    chart._draw_panel(axes, panels(every_panel(), language)[0], language)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width = figure.bbox.width
    titles = (axes._left_title, axes.title, axes._right_title)  # type: ignore[attr-defined]
    title = next(text for text in titles if text.get_text())
    label = axes.get_yticklabels()[0]
    return (
        title.get_window_extent(renderer).x0 / width,
        label.get_window_extent(renderer).x0 / width,
    )


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_right_to_left_charts_are_mirrored(language: str) -> None:
    title, label = _text_sides(language)
    assert title > 0.3 and label > 0.5  # on the right, where an Arabic reader starts
    title, label = _text_sides("nl")
    assert title < 0.3 and label < 0.3


def test_right_to_left_labels_start_with_a_right_to_left_mark() -> None:
    labels = dataclasses.astuple(panels(every_panel(), "ar")[0])[1]
    assert all(not str(label).startswith("\u200f") for label in labels)  # added when drawn
    assert chart._directed("التذكيرات 3", "ar").startswith("\u200f")
    assert chart._directed("Reminders 3", "en") == "Reminders 3"


def test_a_png_is_written_per_language(tmp_path: io.StringIO) -> None:
    written = chart.write_charts(tmp_path, "schakel-x", every_panel(), ["ar", "ti"])  # type: ignore[arg-type]
    assert [p.name for p in written] == ["schakel-x-grafiek-ar.png", "schakel-x-grafiek-ti.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)


def _overlaps(language: str, panel: chart.Panel) -> list[tuple[str, str]]:
    """The bar numbers whose box overlaps a label's box, as drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    figure = Figure(figsize=(6, 3))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    chart._draw_panel(axes, panel, language)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [label for label in axes.get_yticklabels() if label.get_text()]
    numbers = [text for text in axes.texts if isinstance(text, Text) and text.get_text()]
    assert len(labels) == len(panel.labels) and len(numbers) >= len(panel.labels)
    return [
        (number.get_text(), label.get_text())
        for number in numbers
        for label in labels
        if number.get_window_extent(renderer).overlaps(label.get_window_extent(renderer))
    ]


@pytest.mark.parametrize("language", ["ar", "fa", "nl", "ti"])
@pytest.mark.parametrize("percent", [True, False])
def test_the_number_of_an_empty_bar_stays_clear_of_its_label(language: str, percent: bool) -> None:
    # A group where nobody stayed away: its bar is empty and only its number is drawn.
    panel = chart.Panel(
        "",
        tuple(render(language, name) for name in ANSWER_GROUP_NAMES.values()),
        (chart.Series("", (0.0, 50.0, 100.0) if percent else (0, 3, 7), chart.RED),),
        percent=percent,
    )
    assert _overlaps(language, panel) == []
