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

Imports: the standard library, sqlite-utils, PyStemmer and
:mod:`crawler.archive.filters` — not the store or the schema (the schema calls
:func:`ensure_fts`, so importing them here would make a cycle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

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


# -- the MATCH expression ------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(text: str, lang: str | None = None) -> str:
    """An FTS5 MATCH expression for ``text``: every word must occur, inflected or not.

    A word matches itself or any word starting with its stem; a "quoted phrase"
    matches those words in that order, exactly. Raises :class:`SearchError` when the
    text holds no word.
    """
    terms = []
    for phrase, bare in _QUERY_PART.findall(text.lower()):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                terms.append(_quote(" ".join(words)))
            continue
        for word in _WORD.findall(bare):
            options = [_quote(word)] + [_quote(s) + "*" for s in sorted(word_stems(word, lang))]
            terms.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    if not terms:
        raise SearchError(f"nothing to search for in {text!r}")
    return " AND ".join(terms)


# -- searching ---------------------------------------------------------------


def search(
    db: sqlite_utils.Database,
    text: str,
    filters: ArticleFilter | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching ``text``, best first (bm25, the title weighing more).

    Ordering by FTS5's ``rank`` column lets FTS5 sort the matches itself, so snippets
    are made for the rows shown only.
    """
    lang = filters.lang if filters else None
    where, params = filters.where("a") if filters else ("", [])
    sql = f"""
        SELECT a.url, a.lang, a.published, a.title,
               snippet({FTS_TABLE}, 1, ?, ?, '…', {SNIPPET_WORDS}), {FTS_TABLE}.rank
        FROM {FTS_TABLE} JOIN articles AS a ON a.rowid = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH ? AND {FTS_TABLE}.rank MATCH ?
        {"AND " + where if where else ""}
        ORDER BY {FTS_TABLE}.rank LIMIT ?
    """
    ranking = f"bm25({TITLE_WEIGHT}, {BODY_WEIGHT})"
    args = [*HIGHLIGHT, match_expression(text, lang), ranking, *params, limit]
    return [SearchHit(*row) for row in db.execute(sql, args)]


def format_hits(hits: list[SearchHit]) -> str:
    """Results for a terminal: date, language and title, the URL, the snippet."""
    blocks = []
    for number, hit in enumerate(hits, 1):
        snippet = " ".join(hit.snippet.split())
        blocks.append(
            f"{number}. {hit.published or '????-??-??'}  {hit.lang or '?'}  {hit.title or ''}\n"
            f"   {hit.url}\n"
            f"   {snippet}"
        )
    return "\n\n".join(blocks)
