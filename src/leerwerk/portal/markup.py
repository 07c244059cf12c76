"""Safe limited markup for content blocks: Markdown (Python-Markdown) then nh3 (ammonia).

Markdown turns the desk manager's text into HTML; nh3 then keeps only a short allow-list of
tags and attributes, so whatever is typed (raw HTML, javascript: links, event handlers) can
never run on the public site. Headings start at level 3 because the block sits under the
page's own h2 sections.
"""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h3>", "</h2>": "</h3>"}


def render_markdown(text: str) -> str:
    """HTML that is safe to show as-is: Markdown rendered, then sanitised."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    for old, new in _HEADING_SHIFT.items():
        html = html.replace(old, new)
    cleaned: str = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return cleaned.replace("<a ", '<a class="utrecht-link" ')
