"""The article's own images.

In the article block (the smallest block holding the body and the date, counter and
category found; ``div.news-detail`` itself for the default template): ``<img>``
(``data-src`` and similar lazy-loading attributes first) and CSS background images, in
page order (the detail picture comes before the body's images), teaser lists left out;
a thumbnail linking to an image file (a gallery, a lightbox) gives that file. Kept:
``/upload/`` images and images of the body text or 200+ px wide; dropped: logos, icons,
sprites, avatars, counters, template assets (``/bitrix/``, ``/local/templates/``), data
URIs, and thumbnails linking to other pages (cards of related news). When the article
block has no image, ``og:image`` is used if it is an ``/upload/`` file (Bitrix themes
fill it from the detail picture; site-wide defaults live in the template).

Imports lxml, w3lib, :mod:`crawler.extract` (document, regions, overrides) and
:mod:`.common`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from w3lib.url import safe_url_string

from crawler.extract.article.body import Body
from crawler.extract.article.common import Found, in_teaser, is_furniture
from crawler.extract.document import ParsedPage, common_ancestor, is_inside
from crawler.extract.overrides import Selectors, select
from crawler.extract.regions import ASIDE, CHROME, DROPPED, SOCIAL

_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-srcset", "src")
_NOT_CONTENT_MARK = re.compile(
    r"logo|icon|sprite|avatar|counter|pixel|spacer|blank|emoji|banner|button|social|share"
    r"|rating|captcha|loader|placeholder",
    re.IGNORECASE,
)
_NOT_CONTENT_FILE = re.compile(
    r"logo|icon|sprite|avatar|spacer|blank|pixel|placeholder|loader", re.IGNORECASE
)
_TEMPLATE_ASSET = re.compile(r"/bitrix/|/local/templates/|/templates/|/local/assets/", re.I)
#: URLs that :func:`w3lib.url.safe_url_string` returns unchanged: lower-case http(s)
#: scheme and host, a port below 10000, a path and a query of characters it never escapes
#: (no spaces, quotes, brackets, ``#`` or non-ASCII letters).
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9.-]+(?::[1-9][0-9]{0,3})?"
    r"/[A-Za-z0-9\-._~!$&()*+,;=:@/%]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/%?]+)?"
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", re.IGNORECASE)


def find_images(
    page: ParsedPage,
    selectors: Selectors,
    body: Body | None,
    scope: etree._Element,
    teasers: list[etree._Element],
    meta_found: list[Found | None],
) -> list[str]:
    """Absolute URLs of the article's images, in page order, unique.

    ``meta_found``: the date, counter and category found (they widen the article block).
    """
    overridden = _override_images(page, selectors)
    if overridden:
        return overridden
    block = _article_block(body, scope, meta_found)
    urls: list[str] = []
    if block is not None:
        body_block = body.elements[0] if body else None
        for element in block.iter(etree.Element):
            if element.tag != "img" and "url(" not in element.get("style", ""):
                continue  # the cheap test first: most elements show no picture
            if is_furniture(page, element, CHROME | ASIDE | SOCIAL | DROPPED):
                continue
            if in_teaser(element, teasers):
                continue
            url = _content_image(page, element, body_block)
            if url:
                urls.append(url)
    if not urls:
        og_image = page.meta("og:image")
        absolute = page.absolute(og_image)
        if absolute and "/upload/" in absolute and not _NOT_CONTENT_FILE.search(absolute):
            urls.append(_safe_url(absolute))
    return list(dict.fromkeys(urls))


def _override_images(page: ParsedPage, selectors: Selectors) -> list[str]:
    urls = []
    for result in select(page.selector, selectors.images):
        root = result.root
        src = root if isinstance(root, str) else _image_source(root)
        absolute = page.absolute(src)
        if absolute:
            urls.append(_safe_url(absolute))
    return list(dict.fromkeys(urls))


def _article_block(
    body: Body | None, scope: etree._Element, meta_found: list[Found | None]
) -> etree._Element | None:
    if body is None:
        return None
    block = body.elements[0]
    parts = [block] + [
        f.element for f in meta_found if f and f.element is not None and is_inside(f.element, scope)
    ]
    if len(parts) == 1 and "news-detail" not in block.get("class", "").split():
        return block.getparent() if block.getparent() is not None else block
    return common_ancestor(parts)


def _content_image(
    page: ParsedPage, element: etree._Element, body: etree._Element | None
) -> str | None:
    if element.tag == "img":
        src = _full_size(page, element) or _image_source(element)
    elif "url(" in element.get("style", ""):
        match = _CSS_URL.search(element.get("style", ""))
        src = match.group(1) if match else None
    else:
        return None
    absolute = page.absolute(src)
    path = urlsplit(absolute).path if absolute else ""
    if not absolute or _TEMPLATE_ASSET.search(path):
        return None
    marks = page.class_of.get(element, "") + " " + page.id_of.get(element, "")
    filename = path.rpartition("/")[2]
    if _NOT_CONTENT_MARK.search(marks) or _NOT_CONTENT_FILE.search(filename):
        return None
    if _links_elsewhere(page, element):
        return None
    in_body = body is not None and is_inside(element, body)
    if "/upload/" in absolute or in_body or _is_large(element):
        return None if _is_tiny(element) else _safe_url(absolute)
    return None


def _full_size(page: ParsedPage, image: etree._Element) -> str | None:
    """The image file a thumbnail links to (a gallery or lightbox link), if any."""
    link = next(image.iterancestors("a"), None)
    href = link.get("href") if link is not None else None
    absolute = page.absolute(href)
    return href if absolute and _is_image_file(absolute) else None


def _links_elsewhere(page: ParsedPage, element: etree._Element) -> bool:
    """An image inside a link to another page (a card thumbnail), not to a file."""
    for ancestor in element.iterancestors("a"):
        href = page.absolute(ancestor.get("href"))
        if href and not _is_image_file(href) and page.canonical(href) != page.canonical(page.url):
            return True
    return False


def _safe_url(url: str) -> str:
    """:func:`w3lib.url.safe_url_string`, skipped for the plain URLs it returns unchanged
    (most image URLs: it quotes byte by byte, several µs a URL). URLs with dot segments
    take the long way too."""
    if "/." not in url and _PLAIN_URL.fullmatch(url):
        return url
    return safe_url_string(url)


def _image_source(element: etree._Element) -> str | None:
    present = element.keys()  # one call, instead of asking lxml for every lazy attribute
    for attribute in _LAZY_SRC:
        if attribute not in present:
            continue
        value = (element.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value.split(",")[0].split()[0] if attribute.endswith("srcset") else value
    return None


def _is_image_file(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))


def _dimension(element: etree._Element, name: str) -> int | None:
    value = (element.get(name) or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def _is_large(element: etree._Element) -> bool:
    width = _dimension(element, "width")
    return width is not None and width >= 200


def _is_tiny(element: etree._Element) -> bool:
    sizes = [s for s in (_dimension(element, "width"), _dimension(element, "height")) if s]
    return any(size < 50 for size in sizes)
