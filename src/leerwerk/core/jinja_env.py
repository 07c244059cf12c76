"""The Jinja2 environment of the page parts that Jinja2 renders (decision 0007): the catalogue
search page's form and results, the platform's busiest page, which has a speed goal. Every
other page uses the Django template engine; the layout around the search page does too.

Texts are translated with Django's own gettext (``{% trans %}`` blocks and ``_()``), so they
come from the same message catalogues; values are escaped (autoescape), as in Django
templates; Django's safe strings (form fields, ``format_html``) pass through unescaped.
"""

from __future__ import annotations

from typing import Any

import jinja2
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from markupsafe import Markup


def django_include(template_name: str, **context: Any) -> Markup:
    """A Django template inside a Jinja2 one, for a part both engines show that is not on
    the hot path (the error summary of a form): one template to keep, not two."""
    return Markup(render_to_string(template_name, context))  # noqa: S704 (Django escaped it)


def environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 (autoescape is on: the backend's default)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(url=reverse, django_include=django_include)
    env.filters["floatformat"] = floatformat
    return env
