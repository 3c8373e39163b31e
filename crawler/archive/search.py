"""Full-text search over the archive: the FTS5 index and inflection-aware queries.

The index is a plain SQLite FTS5 table, ``articles_fts``, over ``articles.title`` and
``articles.body`` with the default ``unicode61`` tokenizer, created by sqlite-utils with
triggers that keep it current on every insert, update and delete — so sqlite-utils and
Datasette detect it and search it as they are. The update trigger re-indexes an
article only when its title or body changed (:data:`UPDATE_TRIGGER`).

Russian and Kazakh are inflected, so the words of a query are stemmed here, not in the
index: each word becomes "the word itself OR any word starting with its stem".
Russian and English words go through the Snowball stemmers (PyStemmer); Kazakh, which
Snowball lacks, loses its case, plural and possessive suffixes (:func:`kazakh_stem`).
«медиацию» → ``"медиацию" OR "медиац"*``, which also finds «медиации», «медиация».

A prefix also finds words that only start like the stem (семинар for семья's сем-):
FTS5's candidates are kept only when the article holds a form of each word, a word
that stems like it (:func:`form_match`). Without a language filter, the articles in
the query's language come first (:func:`guess_language`).

Over 400 lines: the Kazakh stemmer, the form check and the ranking in two language
tiers are one query path, tested together.

Imports: the standard library, sqlite-utils, PyStemmer and
:mod:`crawler.archive.filters` — not the store or the schema (the schema calls
:func:`ensure_fts`, so importing them here would make a cycle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import sqlite_utils
import Stemmer

from crawler.archive.filters import ArticleFilter

FTS_TABLE = "articles_fts"
FTS_COLUMNS = ("title", "body")
#: The triggers sqlite-utils creates to keep the index current.
FTS_TRIGGERS = frozenset({"articles_ai", "articles_ad", "articles_au"})

#: Weights of title and body in the bm25 ranking: a word in the title counts more.
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
#: Marks around the matched words in a snippet.
HIGHLIGHT = ("[", "]")
#: Words of context in a snippet.
SNIPPET_WORDS = 16

#: Letters found in Kazakh but not in Russian.
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
#: A stem shorter than this is searched as the exact word (no prefix search).
MIN_PREFIX = 3
#: Kazakh roots can be two letters long (ел, үй, іс, су).
MIN_KAZAKH_STEM = 2

#: Kazakh inflectional suffixes (case, plural, possessive, "located in" -дағы), every
#: vowel-harmony and assimilation variant. Derivational suffixes (-лық, -шы) are kept.
KAZAKH_SUFFIXES = tuple(
    sorted(
        {
            # plural
            *"лар лер дар дер тар тер".split(),
            # genitive, accusative
            *"ның нің дың дің тың тің ны ні ды ді ты ті".split(),
            # dative
            *"ға ге қа ке на не".split(),
            # locative, ablative, instrumental
            *"да де та те нда нде дан ден тан тен нан нен мен бен пен".split(),
            # "located in": -дағы / -дегі
            *"дағы дегі тағы тегі ндағы ндегі".split(),
            # possessive
            *"ым ім ың ің ы і сы сі мыз міз ымыз іміз ыңыз іңіз сыңыз сіңіз".split(),
        },
        key=len,
        reverse=True,
    )
)
#: Final consonants that voice before a vowel: кітап → кітабы, достық → достығы.
KAZAKH_ALTERNATIONS = {"п": "б", "б": "п", "к": "г", "г": "к", "қ": "ғ", "ғ": "қ"}

_KAZAKH_VOWELS = frozenset("аәеиоөұүыіэюяу")
#: A last syllable whose high vowel drops before a vowel: халық → халқы, орын → орны.
_KAZAKH_HIGH_VOWEL_SYLLABLE = re.compile(r"[аәеоөұүыі][^аәеиоөұүыіэюяу]([ыі])([қкнрз])$")
#: The same syllable with its vowel dropped, as left by stripping: халқ, орн.
_KAZAKH_FINAL_CLUSTER = re.compile(r"[аәеоөұүыі][^аәеиоөұүыіэюяу][қкнрз]$")
_WORD = re.compile(r"\w+")
_QUERY_PART = re.compile(r'"([^"]*)"|([^"\s]+)')


@dataclass
class SearchHit:
    """One search result, best first."""

    url: str
    lang: str | None
    published: str | None
    title: str | None
    snippet: str
    score: float
    #: ``articles.site`` (None for an article stored before sites were named).
    site: str | None = None


class SearchError(Exception):
    """The search text has nothing to search for."""


#: sqlite-utils' update trigger re-indexes title and body on every update of a row; a
#: refetch that only moves ``views`` or ``last_seen`` then rewrote the index for
#: nothing. Same name and body, with a WHEN: only a changed title or body is re-indexed.
UPDATE_TRIGGER = f"""CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles"
WHEN old."title" IS NOT new."title" OR old."body" IS NOT new."body" BEGIN
  INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rowid, "title", "body")
    VALUES('delete', old.rowid, old."title", old."body");
  INSERT INTO "{FTS_TABLE}" (rowid, "title", "body") VALUES (new.rowid, new."title", new."body");
END"""


def ensure_fts(db: sqlite_utils.Database) -> None:
    """Create the FTS5 index and its triggers unless they exist (idempotent); an older
    archive's update trigger is replaced by :data:`UPDATE_TRIGGER`."""
    db["articles"].enable_fts(FTS_COLUMNS, create_triggers=True, replace=True)
    found = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_au'"
    ).fetchone()
    if found is None or found[0] != UPDATE_TRIGGER:
        with db.conn:
            db.execute('DROP TRIGGER IF EXISTS "articles_au"')
            db.execute(UPDATE_TRIGGER)


def has_fts(db: sqlite_utils.Database) -> bool:
    """Whether the archive has the search index with its triggers."""
    triggers = {t.name for t in db["articles"].triggers}
    return db["articles"].detect_fts() == FTS_TABLE and FTS_TRIGGERS <= triggers


# -- stemming ----------------------------------------------------------------


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def snowball_stem(word: str, language: str) -> str:
    """The Snowball stem of a lower-case ``word``, spelt as in the word (ё kept)."""
    stem = _stemmer(language).stemWord(word)
    head = word[: len(stem)]
    return head if head.replace("ё", "е") == stem else stem


def kazakh_stem(word: str, shortest: int = MIN_KAZAKH_STEM) -> str:
    """Strip Kazakh case, plural and possessive suffixes from a lower-case word.

    Greedy, longest suffix first, as long as ``shortest`` letters remain:
    депутаттарының → депутаттары → депутаттар → депутат.
    """
    stripped = True
    while stripped:
        stripped = False
        for suffix in KAZAKH_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                word = word[: -len(suffix)]
                stripped = True
                break
    return word


def _kazakh_variants(stem: str) -> set[str]:
    """The stem as spelt before other suffixes: a final voiceless consonant voices
    (кітап → кітабы), and a high vowel drops from some last syllables (халық → халқы,
    орын → орны), so both spellings are searched."""
    variants = {stem}
    if stem and stem[-1] in KAZAKH_ALTERNATIONS:
        variants.add(stem[:-1] + KAZAKH_ALTERNATIONS[stem[-1]])
    dropped = _KAZAKH_HIGH_VOWEL_SYLLABLE.search(stem)
    if dropped:  # халық → халқ
        variants.add(stem[: dropped.start(1)] + dropped.group(2))
    elif _KAZAKH_FINAL_CLUSTER.search(stem):  # халқ → халық
        vowel = "ы" if _is_back(stem) else "і"
        variants.add(stem[:-1] + vowel + stem[-1])
    return variants


def _is_back(word: str) -> bool:
    """Whether the last vowel of ``word`` is a back vowel (vowel harmony)."""
    vowels = [c for c in word if c in _KAZAKH_VOWELS]
    return not vowels or vowels[-1] in "аоұыяу"


def word_stems(word: str, lang: str | None = None) -> set[str]:
    """The stems to search as prefixes for one lower-case word (empty: exact word only).

    Stems shorter than :data:`MIN_PREFIX` letters are dropped (they would match too
    much), except the two-letter roots of words that are surely Kazakh (ел, үй).
    """
    stems: set[str] = set()
    if re.fullmatch(r"[a-z]+", word):
        stems |= _long_enough({snowball_stem(word, "english")}, MIN_PREFIX)
    elif re.fullmatch(r"[а-яёәғқңөұүһі]+", word):
        for language in _cyrillic_languages(word, lang):
            if language == "kk":
                surely = lang == "kk" or bool(KAZAKH_LETTERS & set(word))
                shortest = MIN_KAZAKH_STEM if surely else MIN_PREFIX
                stems |= _long_enough(_kazakh_variants(kazakh_stem(word, shortest)), shortest)
            else:
                stems |= _long_enough({snowball_stem(word, "russian")}, MIN_PREFIX)
        stems |= {s.replace("ё", "е") for s in stems if "ё" in s}
    return _shortest_prefixes(stems)


def _long_enough(stems: set[str], length: int) -> set[str]:
    return {s for s in stems if len(s) >= length}


def _cyrillic_languages(word: str, lang: str | None) -> tuple[str, ...]:
    """Kazakh for a word with a Kazakh-only letter or under ``--lang kk``, Russian under
    ``--lang ru``, otherwise both (a Kazakh word need not hold a Kazakh-only letter)."""
    if lang == "kk" or KAZAKH_LETTERS & set(word):
        return ("kk",)
    if lang == "ru":
        return ("ru",)
    return ("ru", "kk")


def _shortest_prefixes(stems: set[str]) -> set[str]:
    """Drop every stem that another, shorter stem of the set already covers."""
    return {s for s in stems if not any(o != s and s.startswith(o) for o in stems)}


def _stem_pairs(word: str, lang: str | None = None) -> set[tuple[str, str]]:
    """``(language, stem)`` of every reading of a lower-case word, ё spelt е: the
    stems two forms of one word share (:func:`is_form_of`). Unlike
    :func:`word_stems`, short stems are kept: they are compared, not searched."""
    pairs: set[tuple[str, str]] = set()
    if re.fullmatch(r"[a-z]+", word):
        pairs.add(("en", snowball_stem(word, "english")))
    elif re.fullmatch(r"[а-яёәғқңөұүһі]+", word):
        for language in _cyrillic_languages(word, lang):
            if language == "kk":
                surely = lang == "kk" or bool(KAZAKH_LETTERS & set(word))
                shortest = MIN_KAZAKH_STEM if surely else MIN_PREFIX
                pairs |= {("kk", v) for v in _kazakh_variants(kazakh_stem(word, shortest))}
            else:
                pairs.add(("ru", snowball_stem(word, "russian")))
    return {(language, stem.replace("ё", "е")) for language, stem in pairs}


def is_form_of(term: str, word: str, lang: str | None = None) -> bool:
    """Whether the indexed ``term`` is a form of the query ``word`` (both lower-case):
    the same word, or one stem in one language. «семьи» is a form of «семья»,
    «семинара» is not (it only starts like its stem сем-)."""
    if term == word:
        return True
    return bool(_stem_pairs(term, lang) & _stem_pairs(word, lang))


# -- the MATCH expression ------------------------------------------------------

#: A query holds at most this many distinct words (each costs a pass over the index).
MAX_WORDS = 32
#: ``--limit`` above this is taken as this (SQLite's integers end at 2**63).
MAX_LIMIT = 1_000_000
#: At most this many indexed forms are searched per query word.
MAX_FORMS = 400


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def query_parts(text: str) -> tuple[list[str], list[str]]:
    """The quoted phrases and the distinct bare words of a query, lower-case, in
    order. Raises :class:`SearchError` when there is nothing to search for or too
    much (more than :data:`MAX_WORDS` distinct words)."""
    phrases: list[str] = []
    words: list[str] = []
    for phrase, bare in _QUERY_PART.findall(text.lower()):
        if phrase:
            found = " ".join(_WORD.findall(phrase))
            if found and found not in phrases:
                phrases.append(found)
            continue
        for word in _WORD.findall(bare):
            if word not in words:
                words.append(word)
    if not phrases and not words:
        raise SearchError(f"nothing to search for in {text!r}")
    if len(phrases) + len(words) > MAX_WORDS:
        raise SearchError(f"too many words to search for: at most {MAX_WORDS} different ones")
    return phrases, words


def match_expression(text: str, lang: str | None = None) -> str:
    """An FTS5 MATCH expression for ``text`` by prefix, without the index at hand:
    a word matches itself or any word starting with its stem; a "quoted phrase"
    matches those words in that order, exactly. :func:`search` narrows the prefixes to
    the forms of each word (:func:`word_forms`). Raises :class:`SearchError` when the
    text holds no word."""
    phrases, words = query_parts(text)
    terms = [_quote(p) for p in phrases]
    for word in words:
        options = [_quote(word)] + [_quote(s) + "*" for s in sorted(word_stems(word, lang))]
        terms.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(terms)


@dataclass
class _Plan:
    """What a query searches: its MATCH expression (every word as itself or by its
    stems, as prefixes: the candidates, ranked as one term per word) and, per word
    searched by prefix, its stems and ``lang`` (to keep only its forms)."""

    expression: str
    stems: dict[str, frozenset[str]]
    lang: str | None
    #: Words searched as they are (no stem; the words of quoted phrases), to highlight.
    exact: frozenset[str] = frozenset()


def plan_query(text: str, lang: str | None = None) -> _Plan:
    phrases, words = query_parts(text)
    stems = {word: frozenset(found) for word in words if (found := word_stems(word, lang))}
    exact = {w for w in words if w not in stems} | {w for p in phrases for w in p.split()}
    return _Plan(match_expression(text, lang), stems, lang, frozenset(exact))


#: A form that shares only a stem this short with the query word is a weak match.
SHORT_STEM = 3


@lru_cache(maxsize=65_536)
def form_match(term: str, word: str, lang: str | None) -> str | None:
    """``"form"`` when ``term`` is a form of ``word`` (:func:`is_form_of`), ``"weak"``
    when it is one only through a short shared stem (семей and семья share сем: as a
    capitalised name inside a sentence it does not count), None when it is not."""
    if term == word:
        return "form"
    shared = _stem_pairs(term, lang) & _stem_pairs(word, lang)
    if not shared:
        return None
    return "weak" if all(len(stem) <= SHORT_STEM for _, stem in shared) else "form"


_SENTENCE_END = re.compile(r"(?:^|[.!?…:;\n])[\s«»\"'()\-–—]*$")


def _as_proper_noun(text: str, start: int, token: str) -> bool:
    """A capitalised Cyrillic word inside a sentence: a name (the city Семей), not a
    form of a common word (семей, of семья)."""
    if not token[:1].isupper() or not re.match(r"[А-ЯЁӘҒҚҢӨҰҮҺІ]", token):
        return False
    return not _SENTENCE_END.search(text[max(0, start - 12) : start])


def _form_spans(plan: _Plan, text: str, found: set[str]) -> list[tuple[int, int]]:
    """Where ``text`` holds a form of a word searched by prefix — FTS5's prefix also
    finds words that only start like the stem (семинар for семья) — or a word searched
    exactly; the words seen are added to ``found``. A form that shares only a short
    stem with its word does not count as a capitalised name inside a sentence (query
    семья: «семей» counts, «в городе Семей» does not)."""
    spans = []
    for match in _WORD.finditer(text):
        token = match.group()
        lower = token.lower()
        if lower in plan.exact:
            spans.append(match.span())
            continue
        for word, stems in plan.stems.items():
            if lower != word and not lower.startswith(tuple(stems)):
                continue
            kind = form_match(lower, word, plan.lang)
            if kind == "form" or (
                kind == "weak" and not _as_proper_noun(text, match.start(), token)
            ):
                found.add(word)
                spans.append(match.span())
                break
    return spans


def _snippet(text: str, spans: list[tuple[int, int]], words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` from just before its first span, the spans in
    brackets (what FTS5's ``snippet()`` shows, for the forms this module accepts)."""
    tokens = [m.span() for m in _WORD.finditer(text)]
    first = next(i for i, (start, _) in enumerate(tokens) if start >= spans[0][0])
    low = max(0, min(first - 2, len(tokens) - words))
    high = min(len(tokens), low + words)
    begin = 0 if low == 0 else tokens[low][0]
    end = len(text) if high == len(tokens) else tokens[high - 1][1]
    parts, at = [], begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        parts += [text[at:start], HIGHLIGHT[0], text[start:stop], HIGHLIGHT[1]]
        at = stop
    parts.append(text[at:end])
    return ("…" if low else "") + "".join(parts) + ("…" if high < len(tokens) else "")


def _check_forms(plan: _Plan, title: str | None, body: str | None) -> str | None:
    """The snippet of an article that holds a form of every word searched by prefix,
    with those forms in brackets (from the body, else the title); None when a word is
    missing (a false friend matched its prefix)."""
    found: set[str] = set()
    in_body = _form_spans(plan, body or "", found)
    in_title = _form_spans(plan, title or "", found)
    if found != set(plan.stems):
        return None
    if in_body:
        return _snippet(body or "", in_body)
    return _snippet(title or "", in_title) if in_title else ""


# -- which language first ------------------------------------------------------


def guess_language(text: str) -> str | None:
    """The language a query is probably in, from its letters: Kazakh with a letter
    only Kazakh has, Russian for other Cyrillic, English for Latin; None for mixed or
    no letters. A Kazakh word spelt with Russian letters only (бала) counts as
    Russian: its articles then come first, the Kazakh ones after them."""
    letters = {c for c in text.lower() if c.isalpha()}
    if not letters:
        return None
    cyrillic = {c for c in letters if "\u0400" <= c <= "\u04ff"}
    if cyrillic and KAZAKH_LETTERS & cyrillic:
        return "kk"
    if cyrillic == letters:
        return "ru"
    if not cyrillic and all("a" <= c <= "z" for c in letters):
        return "en"
    return None


# -- searching ---------------------------------------------------------------


def search(
    db: sqlite_utils.Database,
    text: str,
    filters: ArticleFilter | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching ``text``, best first (bm25, the title weighing more).

    Without a language filter the articles in the query's language
    (:func:`guess_language`) come first, then the others, each group by rank.
    Ordering by FTS5's ``rank`` column lets FTS5 sort the matches itself; snippets are
    made only for the rows read, and rows are read only until ``limit`` are shown.
    """
    filters = filters or ArticleFilter()
    plan = plan_query(text, filters.lang)
    guess = None if filters.lang else guess_language(text)
    hits: list[SearchHit] = []
    for tier in [("=", guess), ("IS NOT", guess)] if guess else [(None, None)]:
        if len(hits) >= limit:
            break
        hits += _search_tier(db, plan, filters, tier, limit - len(hits))
    return hits


def _search_tier(
    db: sqlite_utils.Database,
    plan: _Plan,
    filters: ArticleFilter,
    tier: tuple[str | None, str | None],
    limit: int,
) -> list[SearchHit]:
    where, params = filters.where("a")
    clauses = [where] if where else []
    operator, lang = tier
    if operator:
        clauses.append(f"a.lang {operator} ?")
        params = [*params, lang]
    # An archive made before sites were named has no such column (read-only: not added).
    site = "a.site" if "site" in db["articles"].columns_dict else "NULL"
    sql = f"""
        SELECT a.url, a.lang, a.published, a.title, {site},
               snippet({FTS_TABLE}, 1, ?, ?, '…', {SNIPPET_WORDS}),
               snippet({FTS_TABLE}, 0, ?, ?, '…', {SNIPPET_WORDS}),
               {FTS_TABLE}.rank, a.body
        FROM {FTS_TABLE} JOIN articles AS a ON a.rowid = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH ? AND {FTS_TABLE}.rank MATCH ?
        {"AND " + " AND ".join(clauses) if clauses else ""}
        ORDER BY {FTS_TABLE}.rank
    """
    ranking = f"bm25({TITLE_WEIGHT}, {BODY_WEIGHT})"
    args = [*HIGHLIGHT, *HIGHLIGHT, plan.expression, ranking, *params]
    hits = []
    rows = db.execute(sql, args)
    for url, lang_, published, title, site_, in_body, in_title, score, body in rows:
        snippet = in_body if HIGHLIGHT[0] in in_body else in_title  # a matched word shows
        if plan.stems:  # keep forms of the words only, and show those
            snippet = _check_forms(plan, title, body)
            if snippet is None:
                continue
        hits.append(SearchHit(url, lang_, published, title, snippet, score, site_))
        if len(hits) >= limit:
            break
    return hits


def format_hits(hits: list[SearchHit]) -> str:
    """Results for a terminal: date, language, site (when named) and title, the URL,
    the snippet."""
    blocks = []
    for number, hit in enumerate(hits, 1):
        snippet = " ".join(hit.snippet.split())
        site = f"{hit.site}  " if hit.site else ""
        blocks.append(
            f"{number}. {hit.published or '????-??-??'}  {hit.lang or '?'}  {site}"
            f"{hit.title or ''}\n"
            f"   {hit.url}\n"
            f"   {snippet}"
        )
    return "\n\n".join(blocks)
