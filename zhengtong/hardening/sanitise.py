"""The project's one HTML sanitiser (nh3): HTML that did not come from our own templates is cleaned here.

Two entry points share one allow-list:

- ``sanitise_html(html)``: HTML from outside (the legacy import, later any other import or API): only
  ordinary structure is kept, and a few legacy habits are normalised (``div`` → ``p``, headings into h2–h4);
- ``sanitise_rich_text(html)``: what a Wagtail ``RichTextField`` stores. The editor (Draftail) writes
  Wagtail's own database format, which adds internal links (``<a linktype="page" id="3">``), embedded images
  (``<embed embedtype="image" id="1" format="left" alt="…"/>``) and ``data-block-key`` (comment anchors) to
  the same structure. Every rich text field of every model is cleaned this way before it is saved
  (``connect_rich_text_fields``), so HTML written by code, the API or a shell passes the same gate as the
  editor's: the public templates render rich text with ``|richtext``, which marks it safe.

GB/T 22239-2019 8.1.4.4 入侵防范 / 8.1.4.7 数据完整性: content shown to citizens carries no script.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u",
    "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    # Merged cells are common in government tables; without them a table no longer reads.
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Removed together with everything inside them (other unknown tags are removed but keep their text).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "frame", "object", "embed", "noscript", "template", "svg", "math"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Wagtail's rich text database format on top of the above (wagtail.rich_text; wagtail.admin.rich_text).
RICH_TEXT_TAGS = ALLOWED_TAGS | {"embed"}
RICH_TEXT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "*": {"data-block-key"},
    "a": ALLOWED_ATTRIBUTES["a"] | {"linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
RICH_TEXT_DROPPED = DROPPED_WITH_CONTENT - {"embed"}

_DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_HEADING_UP = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_HEADING_DOWN = re.compile(r"<(/?)h[56]\b", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|&#160;|\u3000|<br>)*</p>")
# nh3 writes void elements as ``<embed …>``; Wagtail's rewriter only finds ``<embed …/>``.
_EMBED = re.compile(r"<embed\b([^>]*?)\s*/?>")


def sanitise_html(html: str) -> str:
    """Return ``html`` from outside the platform with only ordinary, safe structure left.

    Kept: paragraphs, line breaks, rules, h2–h4, bold/italic/underline, lists, block quotes, tables
    (with colspan/rowspan), links (``href``, ``title``; http, https, mailto, tel or relative) and
    images (``src``, ``alt``). Removed: scripts, styles, iframes and other embedded content with
    everything inside them, every other attribute (``on*`` handlers, ``style``, ``class``),
    ``javascript:`` and other URL schemes, comments. Other tags (``span``, ``font``…) are removed
    but keep their text; ``div`` becomes a paragraph, ``h1`` becomes ``h2`` and ``h5``/``h6``
    become ``h4``; empty paragraphs are dropped.
    """
    html = _DIV.sub(r"<\1p>", html)
    html = _HEADING_UP.sub(r"<\1h2", html)
    html = _HEADING_DOWN.sub(r"<\1h4", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def sanitise_rich_text(html: str) -> str:
    """Return rich text in Wagtail's database format with everything outside the allow-list removed.

    What the editor writes passes unchanged in meaning (structure, internal links, images, block keys);
    scripts, event handlers, styles, frames and foreign URL schemes do not.
    """
    if not html:
        return html
    cleaned = nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        clean_content_tags=RICH_TEXT_DROPPED,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return _EMBED.sub(r"<embed\1/>", cleaned)


# model → names of its rich text fields (filled by connect_rich_text_fields)
_RICH_TEXT_FIELDS: dict[type, list[str]] = {}


def _clean_rich_text_fields(sender, instance, **kwargs) -> None:
    for name in _RICH_TEXT_FIELDS.get(sender, ()):
        value = getattr(instance, name, None)
        if isinstance(value, str) and value:
            setattr(instance, name, sanitise_rich_text(value))


def rich_text_fields() -> list[tuple[type, list[str]]]:
    """(model, names of the rich text fields it declares itself) for every installed model."""
    from django.apps import apps
    from wagtail.fields import RichTextField

    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.local_concrete_fields if isinstance(f, RichTextField)]
        if names:
            found.append((model, names))
    return found


def connect_rich_text_fields() -> None:
    """Clean every ``RichTextField`` of every installed model before it is saved (called from ``ready``)."""
    from django.apps import apps
    from django.db.models.signals import pre_save
    from wagtail.fields import RichTextField

    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
        if names:
            _RICH_TEXT_FIELDS[model] = names
            pre_save.connect(
                _clean_rich_text_fields, sender=model, dispatch_uid=f"zt_hardening_richtext_{model._meta.label}"
            )
