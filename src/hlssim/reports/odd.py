"""The model's own description, quoted: the opening of a section of docs/ODD.md, for a report that must read
the same when it is passed on alone (a link to ``../../docs/ODD.md`` breaks once the file travels).

A report names each section it rests on in words ("docs/ODD.md, section 7.8 ...") and, where the
source tree is at hand, quotes the section's first paragraphs, rendered from its Markdown.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from ..util.imports import PACKAGE_ROOT

ODD = PACKAGE_ROOT.parents[1] / "docs" / "ODD.md"     # in a source checkout; not in an installed wheel
EXCERPT_CHARS = 900                                  # quote whole paragraphs up to about this much


def anchor(heading: str) -> str:
    """An id for a quoted section inside the report: 'odd-7-8-closing-cases-records...'."""
    return "odd-" + re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")[:60].rstrip("-")


@functools.cache
def _sections(path: Path = ODD) -> dict[str, str]:
    """Each heading of the ODD (without its #s) and the text under it up to the next heading."""
    if not path.exists():
        return {}
    found, heading, lines = {}, None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if heading is not None:
                found[heading] = "\n".join(lines)
            heading, lines = line.lstrip("#").strip(), []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        found[heading] = "\n".join(lines)
    return found


def excerpt(heading: str, path: Path = ODD) -> str | None:
    """The first paragraphs of a section (Markdown), whole paragraphs up to about ``EXCERPT_CHARS``; None if the
    ODD or the section is not at hand. A section whose text starts under a sub-heading is quoted from there."""
    sections = _sections(path)
    if heading not in sections:
        return None
    names = list(sections)
    text = sections[heading]
    at = names.index(heading)
    while not _paragraphs(text) and at + 1 < len(names):      # e.g. '1 Purpose and patterns' opens with '### Purpose'
        at += 1
        text = sections[names[at]]
    chosen, size = [], 0
    for paragraph in _paragraphs(text):
        if chosen and size + len(paragraph) > EXCERPT_CHARS:
            break
        chosen.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(chosen) or None


def _paragraphs(text: str) -> list[str]:
    """Prose paragraphs only: no code blocks, tables, lists or images (they do not read well out of place)."""
    out, inside_code = [], False
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().splitlines()
        ends = next((i for i, line in enumerate(lines) if i and re.match(r"\s*([-*+]|\d+\.) ", line)), len(lines))
        stripped = "\n".join(lines[:ends])              # a list that follows a paragraph without a blank line
        if stripped.startswith("```"):
            inside_code = not inside_code if stripped.count("```") % 2 else inside_code
            continue
        if inside_code or not stripped or stripped[0] in "|!<>" or re.match(r"([-*+]|\d+\.) ", stripped):
            continue
        if stripped.endswith(":"):           # it introduces a list or an equation this excerpt leaves out
            continue
        out.append(" ".join(stripped.split()))
    return out


def inline_html(markdown: str) -> str:
    """A paragraph's inline Markdown as HTML: **bold**, *italic*, `code` and [text](link) (the link's text only)."""
    text = html.escape(markdown, quote=False)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![*\w])\*([^*]+)\*(?![*\w])", r"<em>\1</em>", text)
