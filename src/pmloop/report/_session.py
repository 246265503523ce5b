"""Session reports: the terminal scorecard, Markdown, standalone HTML with SVG charts, progress."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pmloop.report._comments import comments_html, comments_markdown
from pmloop.report._markdown import md_text
from pmloop.report._scorecard import (
    OVERALL_RULE,
    CompetencyResult,
    CompetencyTrend,
    Progress,
    QuestionResult,
    Scorecard,
    calibration_summary,
    flag_title,
    level_name,
)
from pmloop.report._terminal import _flat
from pmloop.store import CommentRecord
from pmloop.vocabulary import COMPETENCIES, Competency, Level

__all__ = [
    "progress_markdown",
    "render_progress",
    "render_scorecard",
    "scorecard_html",
    "scorecard_markdown",
    "radar_svg",
    "trend_svg",
]


def _quotes(result: CompetencyResult, limit: int = 2) -> list[str]:
    return [f"“{_flat(q.text)}” ({q.where})" for q in result.quotes[:limit]]


def _competency_cell(result: CompetencyResult) -> tuple[str, str]:
    """(level, quotes) for one row; a competency no question tested says so."""
    if result.level is None:
        return "Not assessed", "no question in this loop mainly tested it"
    return Level(result.level).title, "\n".join(_quotes(result)) or "—"


def _question_level(q: QuestionResult) -> str:
    if q.skipped:
        return "skipped"
    if q.level is None:
        return "not answered"
    return level_name(q.level)


def render_scorecard(card: Scorecard, console: Console) -> None:
    """The end-of-loop scorecard in the terminal."""
    console.print(
        Text.assemble(
            ("Scorecard ", "bold"),
            f"session {card.session_id} · {card.company} loop · {card.status} · overall ",
            (level_name(card.level), "bold"),
        )
    )
    table = Table(header_style="bold", expand=True)
    table.add_column("Competency", ratio=2)
    table.add_column("Level", ratio=1)
    table.add_column("Quotes behind it", ratio=5)
    for result in card.competencies:
        level, quotes = _competency_cell(result)
        table.add_row(COMPETENCIES[result.competency].title, level, quotes)
    console.print(table)
    console.print(Text(f"Overall: {OVERALL_RULE}.", style="dim"))
    if card.flags:
        console.print(Text("Anti-patterns", style="bold"))
        for flag in card.flags:
            where = f"Q{flag.question_number}" + (f" follow-up {flag.turn}" if flag.turn else "")
            console.print(
                Padding(
                    Text(f"⚑ {flag_title(flag.flag)} ({where}): “{_flat(flag.quote)}”"),
                    (0, 0, 0, 2),
                )
            )
    console.print(Text("Edge map: how deep each question went", style="bold"))
    for q in card.questions:
        console.print(
            Padding(Text(f"Q{q.number} [{_question_level(q)}] {q.edge.describe()}"), (0, 0, 0, 2))
        )
    if card.practise_next:
        console.print(Text("Practise next", style="bold"))
        for number, item in enumerate(card.practise_next, start=1):
            console.print(Padding(Text(f"{number}. {item}"), (0, 0, 0, 2)))
    console.print(Text("What a senior answer would have added", style="bold"))
    for q in card.questions:
        if q.senior_delta:
            console.print(Padding(Text(f"Q{q.number}: {q.senior_delta}"), (0, 0, 0, 2)))
    calibration = calibration_summary(card.calibration)
    if calibration:
        console.print(Text("Self-calibration", style="bold"))
        for line in calibration:
            console.print(Padding(Text(line), (0, 0, 0, 2)))
    usage = card.usage_line()
    if usage:
        console.print(Text(usage, style="dim"))


def scorecard_markdown(card: Scorecard, comments: Sequence[CommentRecord] = ()) -> str:
    """The scorecard as Markdown, for pasting into notes, with any coach's comments."""
    lines = [
        f"# pmloop session {card.session_id}",
        "",
        f"{card.created_at:%Y-%m-%d %H:%M} UTC · {card.company} loop · {card.status} · overall "
        f"**{level_name(card.level)}**",
        "",
        "## Competencies",
        "",
        "| Competency | Level | Quotes behind it |",
        "|---|---|---|",
    ]
    for r in card.competencies:
        if r.level is None:
            level, quotes = "Not assessed", "no question in this loop mainly tested it"
        else:
            level = Level(r.level).title
            quotes = "<br>".join(f"“{md_text(q.text)}” ({q.where})" for q in r.quotes[:2]) or "—"
        lines.append(f"| {COMPETENCIES[r.competency].title} | {level} | {quotes} |")
    lines += ["", f"Overall: {OVERALL_RULE}."]
    if card.flags:
        lines += ["", "## Anti-patterns", ""]
        lines += [
            f"- **{flag_title(f.flag)}** (Q{f.question_number}"
            f"{f' follow-up {f.turn}' if f.turn else ''}): “{md_text(f.quote)}”"
            for f in card.flags
        ]
    lines += ["", "## Edge map", ""]
    for q in card.questions:
        lines.append(
            f"- Q{q.number} ({_question_level(q)}) {md_text(q.text)}: {md_text(q.edge.describe())}"
        )
    if card.practise_next:
        lines += ["", "## Practise next", ""]
        lines += [f"{n}. {md_text(item)}" for n, item in enumerate(card.practise_next, start=1)]
    lines += ["", "## What a senior answer would have added", ""]
    lines += [f"- Q{q.number}: {md_text(q.senior_delta)}" for q in card.questions if q.senior_delta]
    if card.interactions:
        lines += ["", "## What the interactive questions drew out"]
        for found in card.interactions:
            lines += ["", f"**{md_text(found.summary())}**", ""]
            lines += [f"- {md_text(line)}" for line in found.lines()]
    calibration = calibration_summary(card.calibration)
    if calibration:
        lines += ["", "## Self-calibration", ""]
        lines += [f"- {md_text(line)}" for line in calibration]
    usage = card.usage_line()
    if usage:
        lines += ["", md_text(usage)]
    lines += comments_markdown(comments)
    return "\n".join(lines) + "\n"


#: One colour per level (1 Below bar .. 4 Senior), the same in badges, charts and reference
#: cards; the web app's style sheet names the same four values (--lv1 .. --lv4).
LEVEL_COLOURS = {1: "#b91c1c", 2: "#b45309", 3: "#15803d", 4: "#1d4ed8"}
#: Rough width of one character as a share of the font size (system sans-serif, generous), so
#: a label's box can be known before a browser lays it out.
_CHAR_WIDTH = 0.6


def _wrap(label: str, width: int = 14) -> list[str]:
    """A label in lines of at most ``width`` characters where the words allow."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar_svg(card: Scorecard, size: int = 180) -> str:
    """An inline SVG radar of the seven competencies (levels 1-4).

    A competency no question tested is not drawn as zero: its axis is labelled "not assessed"
    and the shape joins only the assessed ones (a dot each when fewer than three). Each label
    is wrapped and the view box grows to hold every label, so none is cut at any width.
    """
    centre = size / 2
    radius = size / 2 - 4
    font, line_height = 13.0, 15.0
    axes = list(Competency)
    levels = {r.competency: r.level for r in card.competencies if r.level is not None}

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        return (
            centre + radius * value / 4 * math.cos(angle),
            centre + radius * value / 4 * math.sin(angle),
        )

    body: list[str] = []
    box = [0.0, 0.0, float(size), float(size)]  # min x, min y, max x, max y
    for ring in (1, 2, 3, 4):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(len(axes)))
        )
        body.append(
            f'<polygon points="{ring_points}" fill="none" stroke="#9ca3af" '
            f'stroke-opacity="0.45" stroke-width="1"/>'
        )
    for i, competency in enumerate(axes):
        x, y = point(i, 4)
        assessed = competency in levels
        body.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9ca3af" '
            'stroke-opacity="0.6"' + ("" if assessed else ' stroke-dasharray="3,3"') + "/>"
        )
        lines = _wrap(COMPETENCIES[competency].title)
        second = Level(levels[competency]).title if assessed else "(not assessed)"
        lx, ly = point(i, 4.5)
        dx = lx - centre
        anchor = "middle" if abs(dx) < 12 else ("start" if dx > 0 else "end")
        height = line_height * len(lines) + line_height
        if abs(dx) < 12:  # above or below the plot: grow away from it
            top = ly - height + font * 0.3 if ly < centre else ly
        else:
            top = ly - height / 2
        widest = max(len(text) for text in [*lines, second]) * font * _CHAR_WIDTH
        left = {"start": lx, "end": lx - widest, "middle": lx - widest / 2}[anchor]
        box = [
            min(box[0], left), min(box[1], top),
            max(box[2], left + widest), max(box[3], top + height),
        ]  # fmt: skip
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if n == 0 else line_height}">{escape(text)}</tspan>'
            for n, text in enumerate(lines)
        )
        # the level in words, bold; its colour is the dot's (text keeps the page's ink, so it
        # reads on a light and a dark background alike)
        level_style = ' font-weight="700"' if assessed else ' fill-opacity="0.75"'

        spans += f'<tspan x="{lx:.1f}" dy="{line_height}"{level_style}>{second}</tspan>'
        body.append(
            f'<text y="{top + font:.1f}" font-size="{font:.0f}" text-anchor="{anchor}" '
            f'fill="currentColor">{spans}</text>'
        )
    drawn = [(point(i, levels[c]), levels[c]) for i, c in enumerate(axes) if c in levels]
    if len(drawn) >= 3:
        shape = " ".join(f"{x:.1f},{y:.1f}" for (x, y), _ in drawn)
        body.append(
            f'<polygon points="{shape}" fill="#3b82f6" fill-opacity="0.25" stroke="#3b82f6"/>'
        )
    body += [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{LEVEL_COLOURS[level]}"/>'
        for (x, y), level in drawn
    ]
    margin = 4
    x0, y0 = math.floor(box[0]) - margin, math.floor(box[1]) - margin
    width, height = math.ceil(box[2]) + margin - x0, math.ceil(box[3]) + margin - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="radar-chart" '
        f'aria-label="Competency levels radar: {escape(_radar_summary(card))}">'
        + "".join(body)
        + "</svg>"
    )


def _radar_summary(card: Scorecard) -> str:
    return "; ".join(
        f"{COMPETENCIES[r.competency].title} {Level(r.level).title if r.level else 'not assessed'}"
        for r in card.competencies
    )


def trend_svg(trends: Sequence[CompetencyTrend], width: int = 360) -> str:
    """Each competency's level across sessions, as small multiples in one SVG.

    One row per competency: its name and latest level written beside the line (no legend to
    match colours against), the line on a 1-4 band with each point in its level's colour.
    Narrow enough to stay readable on a phone at its natural size.
    """
    sessions = sorted({p[1]: p[0] for t in trends for p in t.points}.items(), key=lambda kv: kv[1])
    order = [sid for sid, _ in sessions]
    row, label_h, band = 58, 16, 34
    left, right = 4, 86
    plot_w = width - left - right
    height = row * len(trends) + 22

    def xy(top: float, session_id: str, level: float) -> tuple[float, float]:
        step = plot_w / max(len(order) - 1, 1)
        x = left + order.index(session_id) * step if len(order) > 1 else left + plot_w / 2
        return x, top + label_h + 4 + band * (4 - level) / 3

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="trend-chart" '
        f'aria-label="Competency trend across sessions, one row per competency">'
    ]
    for i, trend in enumerate(trends):
        top = i * row
        parts.append(
            f'<text x="{left}" y="{top + 12}" font-size="12" font-weight="600" '
            f'fill="currentColor">{escape(COMPETENCIES[trend.competency].title)}</text>'
        )
        for level in (1, 4):
            _, y = xy(top, order[0], level) if order else (0.0, 0.0)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                'stroke="#9ca3af" stroke-opacity="0.45" stroke-dasharray="2,3"/>'
            )
        coords = [(xy(top, sid, lv), lv) for _, sid, lv in trend.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for (x, y), _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#6b7280" stroke-width="2"/>')
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LEVEL_COLOURS[int(round(lv))]}"/>'
            for (x, y), lv in coords
        ]
        _, ly = coords[-1][0] if coords else (0.0, top + 30)
        parts.append(
            f'<text x="{left + plot_w + 10}" y="{ly + 4:.1f}" font-size="12" font-weight="700" '
            f'fill="currentColor">{level_name(trend.latest)}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 6}" font-size="11" fill="currentColor" '
        f'fill-opacity="0.75">{len(order)} session(s), oldest left</text></svg>'
    )
    return "".join(parts)


_STYLE = """
:root{color-scheme:light dark;--ink:#1f2937;--muted:#4b5563;--line:#e5e7eb;--bg:#fff;
--link:#1d4ed8;--warn:#b91c1c}
@media (prefers-color-scheme:dark){:root{--ink:#e5e7eb;--muted:#9ca3af;--line:#374151;
--bg:#111827;--link:#93c5fd;--warn:#fca5a5}}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:860px;margin:1.5em auto;
padding:0 1em;color:var(--ink);background:var(--bg);line-height:1.5}a{color:var(--link)}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.4em;
text-align:left;vertical-align:top;overflow-wrap:break-word}h1{font-size:1.5em}
h2{font-size:1.15em;margin-top:1.6em}.quote{font-style:italic;color:var(--muted)}
.flag{color:var(--warn)}.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.charts svg{max-width:100%;height:auto}
.badge{display:inline-block;padding:.05em .55em;border-radius:999px;color:#fff;font-weight:600;
font-size:.9em;white-space:nowrap}.lv1{background:#b91c1c}.lv2{background:#b45309}
.lv3{background:#15803d}.lv4{background:#1d4ed8}.lv0{background:#6b7280}
nav{display:flex;gap:1em;flex-wrap:wrap}
"""


def _badge(level: float | None) -> str:
    """A level as a coloured badge (grey when there is none)."""
    css = f"lv{int(round(level))}" if level else "lv0"
    return f'<span class="badge {css}">{escape(level_name(level))}</span>'


def scorecard_html(
    card: Scorecard,
    trends: Sequence[CompetencyTrend],
    comments: Sequence[CommentRecord] = (),
    links: Sequence[tuple[str, str]] = (),
) -> str:
    """A standalone HTML page: no script, no external asset, viewable offline; with any
    coach's comments.

    ``trends`` should hold only the history up to this session (``build_progress(..., until=)``).
    ``links`` are (address, text) pairs shown as a navigation bar (the web app's way back).
    """
    rows = ""
    for r in card.competencies:
        if r.level is None:
            continue  # listed in one line below the table
        quotes = "<br>".join(
            f'<span class="quote">“{escape(_flat(q.text))}”</span> ({escape(q.where)})'
            for q in r.quotes[:2]
        )
        rows += (
            f"<tr><td>{escape(COMPETENCIES[r.competency].title)}</td><td>{_badge(r.level)}</td>"
            f"<td>{quotes or '—'}</td></tr>"
        )
    unassessed = ", ".join(
        escape(COMPETENCIES[r.competency].title) for r in card.competencies if r.level is None
    )
    flags = "".join(
        f'<li><span class="flag">{escape(flag_title(f.flag))}</span> (Q{f.question_number}'
        f"{f' follow-up {f.turn}' if f.turn else ''}): "
        f'<span class="quote">“{escape(_flat(f.quote))}”</span></li>'
        for f in card.flags
    )
    edges = "".join(
        f"<li>Q{q.number} ({_question_level(q)}) "
        f"{escape(_flat(q.text))}: {escape(q.edge.describe())}</li>"
        for q in card.questions
    )
    practise = "".join(f"<li>{escape(item)}</li>" for item in card.practise_next)
    deltas = "".join(
        f"<li>Q{q.number}: {escape(q.senior_delta)}</li>" for q in card.questions if q.senior_delta
    )
    calibration = "".join(
        f"<li>{escape(line)}</li>" for line in calibration_summary(card.calibration)
    )
    drawn = "".join(
        f"<h3>{escape(found.summary())}</h3><ul>"
        + "".join(f"<li>{escape(line)}</li>" for line in found.lines())
        + "</ul>"
        for found in card.interactions
    )
    trend = trend_svg(trends) if trends else "<p>No trend yet: one session so far.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>pmloop session {escape(card.session_id)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        + (
            '<nav aria-label="Main">'
            + "".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in links)
            + "</nav>"
            if links
            else ""
        )
        + "<main>"
        f"<h1>pmloop session {escape(card.session_id)}</h1>"
        f"<p>{card.created_at:%Y-%m-%d %H:%M} UTC · {escape(card.company)} loop · "
        f"{escape(card.status)} · overall "
        f"{_badge(card.level)}</p>"
        f'<div class="charts">{radar_svg(card)}{trend}</div>'
        f"<h2>Competencies</h2><table><tr><th>Competency</th><th>Level</th>"
        f"<th>Quotes behind it</th></tr>{rows}</table>"
        + (
            f"<p>Not assessed (no question in this loop mainly tested it): {unassessed}.</p>"
            if unassessed
            else ""
        )
        + f"<p>Overall: {escape(OVERALL_RULE)}.</p>"
        + (f"<h2>Anti-patterns</h2><ul>{flags}</ul>" if flags else "")
        + f"<h2>Edge map</h2><ul>{edges}</ul>"
        + (f"<h2>Practise next</h2><ol>{practise}</ol>" if practise else "")
        + f"<h2>What a senior answer would have added</h2><ul>{deltas}</ul>"
        + (f"<h2>What the interactive questions drew out</h2>{drawn}" if drawn else "")
        + (f"<h2>Self-calibration</h2><ul>{calibration}</ul>" if calibration else "")
        + comments_html(comments)
        + "</main></body></html>\n"
    )


def _series(trend: CompetencyTrend) -> str:
    return " → ".join(level_name(p[2]) for p in trend.points)


def _change(trend: CompetencyTrend) -> str:
    change = int(trend.change)
    if change == 0:
        return "▬ same"
    return f"{'▲' if change > 0 else '▼'} {change:+d} level{'s' if abs(change) > 1 else ''}"


def render_progress(progress: Progress, console: Console) -> None:
    """Each competency's trend in the terminal, the weakest one, what to drill, and how the
    candidate's own ratings compare with the grades."""
    console.print(Text(f"Progress over {progress.sessions} session(s)", style="bold"))
    console.print(
        Text(
            "Each level is the one the session's scorecard gave; competencies a session did "
            "not assess have no point for it.",
            style="dim",
        )
    )
    table = Table(header_style="bold", expand=True)
    table.add_column("Competency")
    table.add_column("Levels, oldest first")
    table.add_column("Latest")
    table.add_column("Change")
    for trend in progress.trends:
        table.add_row(
            COMPETENCIES[trend.competency].title,
            _series(trend),
            level_name(trend.latest),
            _change(trend),
        )
    console.print(table)
    if progress.weakest is not None:
        console.print(Text.assemble(("Weakest: ", "bold"), COMPETENCIES[progress.weakest].title))
    console.print(Text.assemble(("Drill: ", "bold"), progress.drill))
    if progress.self_ratings:
        console.print(Text("Self-calibration", style="bold"))
        for rating in progress.self_ratings:
            console.print(
                Padding(
                    Text(f"{COMPETENCIES[rating.competency].title}: {rating.describe()}"),
                    (0, 0, 0, 2),
                )
            )


def progress_markdown(progress: Progress) -> str:
    """Progress as Markdown."""
    lines = [
        f"# Progress over {progress.sessions} session(s)",
        "",
        "| Competency | Levels | Change |",
    ]
    lines.append("|---|---|---|")
    for trend in progress.trends:
        lines.append(
            f"| {COMPETENCIES[trend.competency].title} | {_series(trend)} | {_change(trend)} |"
        )
    if progress.weakest is not None:
        lines += ["", f"Weakest: {COMPETENCIES[progress.weakest].title}. Drill: {progress.drill}"]
    if progress.self_ratings:
        lines += ["", "## Self-calibration", ""]
        lines += [
            f"- {COMPETENCIES[r.competency].title}: {r.describe()}" for r in progress.self_ratings
        ]
    return "\n".join(lines) + "\n"
