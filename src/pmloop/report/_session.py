"""Session reports: the terminal scorecard, Markdown, standalone HTML with SVG charts, progress."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

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


def scorecard_markdown(card: Scorecard) -> str:
    """The scorecard as Markdown, for pasting into notes."""
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
    return "\n".join(lines) + "\n"


def radar_svg(card: Scorecard, size: int = 320) -> str:
    """An inline SVG radar of the seven competencies (levels 1-4).

    A competency no question tested is not drawn as zero: its axis is labelled "not assessed"
    and the shape joins only the assessed ones (a dot each when fewer than three).
    """
    centre = size / 2
    radius = size / 2 - 70
    axes = list(Competency)
    levels = {r.competency: r.level for r in card.competencies if r.level is not None}

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        return centre + radius * value / 4 * math.cos(
            angle
        ), centre + radius * value / 4 * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
        f'height="{size}" role="img" aria-label="Competency levels radar">'
    ]
    for ring in (1, 2, 3, 4):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(len(axes)))
        )
        parts.append(
            f'<polygon points="{ring_points}" fill="none" stroke="#ccc" stroke-width="1"/>'
        )
    for i, competency in enumerate(axes):
        x, y = point(i, 4)
        lx, ly = point(i, 4.9)
        assessed = competency in levels
        parts.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ddd"'
            + ("" if assessed else ' stroke-dasharray="3,3"')
            + "/>"
        )
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        label = escape(COMPETENCIES[competency].title)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" text-anchor="{anchor}"'
            + ("" if assessed else ' fill="#9ca3af"')
            + f">{label}"
            + ("" if assessed else " (not assessed)")
            + "</text>"
        )
    drawn = [point(i, levels[c]) for i, c in enumerate(axes) if c in levels]
    if len(drawn) >= 3:
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in drawn)
        parts.append(
            f'<polygon points="{shape}" fill="#3b82f6" fill-opacity="0.3" stroke="#1d4ed8"/>'
        )
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1d4ed8"/>' for x, y in drawn]
    parts.append("</svg>")
    return "".join(parts)


_COLOURS = ("#1d4ed8", "#b91c1c", "#15803d", "#a16207", "#7e22ce", "#0e7490", "#be185d")


def trend_svg(trends: Sequence[CompetencyTrend], width: int = 560, height: int = 220) -> str:
    """An inline SVG line chart of each competency's level across sessions."""
    sessions = sorted({p[1]: p[0] for t in trends for p in t.points}.items(), key=lambda kv: kv[1])
    order = [sid for sid, _ in sessions]
    left, right, top, bottom = 64, 150, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(session_id: str, level: float) -> tuple[float, float]:
        step = plot_w / max(len(order) - 1, 1)
        return left + order.index(session_id) * step, top + plot_h * (4 - level) / 3

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Competency trend across sessions">'
    ]
    for level in Level:
        _, y = xy(order[0], level) if order else (0, top + plot_h * (4 - level) / 3)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="9" text-anchor="end">'
            f"{level.title}</text>"
        )
    for i, trend in enumerate(trends):
        colour = _COLOURS[i % len(_COLOURS)]
        coords = [xy(sid, lv) for _, sid, lv in trend.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in coords]
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{top + 12 + 14 * i}" font-size="10" fill="{colour}">'
            f"{escape(COMPETENCIES[trend.competency].title)}</text>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" font-size="9">{len(order)} session(s), oldest left'
        "</text></svg>"
    )
    return "".join(parts)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:860px;margin:2em auto;
padding:0 1em;color:#1f2937;line-height:1.5}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:.4em;
text-align:left;vertical-align:top}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
.quote{font-style:italic;color:#374151}.flag{color:#b91c1c}.charts{display:flex;flex-wrap:wrap;
gap:1em;align-items:flex-start}
"""


def scorecard_html(card: Scorecard, trends: Sequence[CompetencyTrend]) -> str:
    """A standalone HTML page: no script, no external asset, viewable offline.

    ``trends`` should hold only the history up to this session (``build_progress(..., until=)``).
    """
    rows = ""
    for r in card.competencies:
        if r.level is None:
            level, quotes = "Not assessed", "no question in this loop mainly tested it"
        else:
            level = Level(r.level).title
            quotes = "<br>".join(
                f'<span class="quote">“{escape(_flat(q.text))}”</span> ({escape(q.where)})'
                for q in r.quotes[:2]
            )
        rows += (
            f"<tr><td>{escape(COMPETENCIES[r.competency].title)}</td><td>{level}</td>"
            f"<td>{quotes}</td></tr>"
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
        f"<h1>pmloop session {escape(card.session_id)}</h1>"
        f"<p>{card.created_at:%Y-%m-%d %H:%M} UTC · {escape(card.company)} loop · "
        f"{escape(card.status)} · overall "
        f"<strong>{escape(level_name(card.level))}</strong></p>"
        f'<div class="charts">{radar_svg(card)}{trend}</div>'
        f"<h2>Competencies</h2><table><tr><th>Competency</th><th>Level</th>"
        f"<th>Quotes behind it</th></tr>{rows}</table>"
        f"<p>Overall: {escape(OVERALL_RULE)}.</p>"
        + (f"<h2>Anti-patterns</h2><ul>{flags}</ul>" if flags else "")
        + f"<h2>Edge map</h2><ul>{edges}</ul>"
        + (f"<h2>Practise next</h2><ol>{practise}</ol>" if practise else "")
        + f"<h2>What a senior answer would have added</h2><ul>{deltas}</ul>"
        + (f"<h2>What the interactive questions drew out</h2>{drawn}" if drawn else "")
        + (f"<h2>Self-calibration</h2><ul>{calibration}</ul>" if calibration else "")
        + "</body></html>\n"
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
