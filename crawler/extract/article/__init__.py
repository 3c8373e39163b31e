"""Article pages: the page object (:mod:`.page`) and its field rules, by field group.

- :mod:`.body` — where the text is, and what inside it is not text;
- :mod:`.title` — the title;
- :mod:`.meta` — date, view counter, category;
- :mod:`.images` — the article's own images;
- :mod:`.language` — the page's language;
- :mod:`.common` — what those rules share.

Page furniture (header, footer, menus, breadcrumbs, sidebars, "popular"/"related"
blocks, share/social/comment blocks: :mod:`crawler.extract.regions`) is never a source,
except breadcrumbs for the category.

Imports the standard library only.
"""
