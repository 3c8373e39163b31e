"""Every word the extraction rules look for, in Russian, Kazakh and English.

The one place for words a reader sees on a page: month names, relative dates, date and
counter labels, pager words, back links, "read also" and error headings, home-page
names, language path segments. A rule that needs a word imports it from here; nothing
else in :mod:`crawler.extract` holds words, so adding a language or a wording is one
edit here (and a test line). Markup vocabulary — CSS class hints (``menu``, ``sidebar``,
``news-date``) and URL path segments (``rss``, ``search``) — stays with the rule that
reads classes (:mod:`.regions`, :mod:`.article.meta`) or URLs (:mod:`.urls`): those are
the templates' words, not the language's.

Lists are plain data; where a rule matches them with a regular expression, entries are
regex fragments and say so. Imports nothing.
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- dates

#: Russian months: nominative, genitive and abbreviations, per month (January first).
RU_MONTHS: tuple[tuple[str, ...], ...] = (
    ("январь", "января", "янв"),
    ("февраль", "февраля", "фев", "февр"),
    ("март", "марта", "мар"),
    ("апрель", "апреля", "апр"),
    ("май", "мая"),
    ("июнь", "июня", "июн"),
    ("июль", "июля", "июл"),
    ("август", "августа", "авг"),
    ("сентябрь", "сентября", "сен", "сент"),
    ("октябрь", "октября", "окт"),
    ("ноябрь", "ноября", "ноя", "нояб"),
    ("декабрь", "декабря", "дек"),
)
#: Kazakh months, nominative (case endings: :data:`KK_MONTH_SUFFIXES`).
KK_MONTHS: tuple[str, ...] = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
#: English months: full name and abbreviations.
EN_MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
#: Kazakh case endings accepted after a month (folded spelling): locative ``тамызда``,
#: attributive ``тамыздағы``, possessive ``тамызы``, genitive ``тамыздың``, dative,
#: ablative. The union over vowel harmony; the year must still follow a month.
KK_MONTH_SUFFIXES: tuple[str, ...] = tuple(
    (
        "ы и да де та те нда нде ында инде дагы деги тагы теги ндагы ндеги "
        "га ге ка ке на не дан ден тан тен нан нен дын дин тын тин нын нин"
    ).split()
)
#: Kazakh-specific letters (and look-alikes typed instead of them) → plain Cyrillic,
#: for month and relative words typed without Kazakh letters (``Кантар``, ``Сэуір``).
KAZAKH_FOLD: dict[str, str] = {
    "қ": "к",
    "ң": "н",
    "ә": "а",
    "э": "а",
    "і": "и",
    "i": "и",
    "ı": "и",
    "ү": "у",
    "ұ": "у",
    "ө": "о",
    "ғ": "г",
    "һ": "х",
    "ё": "е",
}
#: Relative dates → days before the page's date of fetch. Keys are folded
#: (:data:`KAZAKH_FOLD`); the pattern accepts every spelling in :data:`RELATIVE_SPELLINGS`.
RELATIVE_DAYS: dict[str, int] = {
    "сегодня": 0,
    "вчера": 1,
    "позавчера": 2,
    "today": 0,
    "yesterday": 1,
    "бугин": 0,  # бүгін
    "кеше": 1,
}
#: How the relative words are typed (any letter case): with or without Kazakh letters.
RELATIVE_SPELLINGS: tuple[str, ...] = (
    "сегодня",
    "вчера",
    "позавчера",
    "today",
    "yesterday",
    "бүгін",
    "бүгiн",
    "бүгин",
    "бугін",
    "бугiн",
    "бугин",
    "кеше",
)
#: Labels that may stand before a date on a date line (regex fragments, any case).
DATE_LABELS: tuple[str, ...] = (
    "опубликовано",
    "дата",
    "обновлено",
    "published",
    "posted",
    "updated",
    "date",
    "жарияланды",
    "жарияланған",
    "күні",
)

# ---------------------------------------------------------------------- view counters

#: Labels of a view counter (regex fragments, any case): "Просмотров: 409",
#: "Количество просмотров: 409", "409 просмотров", "Views: 409", "Hits: 409",
#: "Қаралым саны: 409", "Қаралды: 409". Used both to find a counter on the page
#: (:mod:`.article.meta`) and to read its number (:mod:`.views`).
VIEW_LABELS: tuple[str, ...] = (
    r"количество\s+просмотров",
    r"просмотр[^\W\d_]*",
    r"прочитан[^\W\d_]*",
    r"прочтени[^\W\d_]*",
    r"показ[^\W\d_]*",
    r"view[^\W\d_]*",
    "hits",
    r"қаралым\s+саны",
    r"қарал[^\W\d_]*",
    r"каралым\s+саны",
    r"карал[^\W\d_]*",
)
#: Words after a view label that still belong to it ("Қаралым саны: 409").
VIEW_LABEL_TAILS: tuple[str, ...] = ("саны",)
#: Words after a Kazakh count that still belong to its label ("409 рет қаралды").
VIEW_LABEL_PARTICLES: tuple[str, ...] = ("рет",)
#: Abbreviations and units that make a count approximate ("1,2 тыс.", "12K").
APPROXIMATE_UNITS: tuple[str, ...] = (
    "k",
    "к",
    "m",
    "м",
    "тыс",
    "млн",
    "млрд",
    "мың",
    "mln",
    "thousand",
    "million",
)
#: Words of counters that are not view counters (comments, likes, votes), regex fragments.
NOT_VIEW_WORDS: tuple[str, ...] = (
    "коммент",
    "comment",
    "лайк",
    "like",
    "нрав",
    "пікір",
    "голос",
    "vote",
)

# ------------------------------------------------------------------------- pager words

#: Link texts of a "next page" link (lower case, trimmed of arrows and dots).
NEXT_PAGE_WORDS: frozenset[str] = frozenset(
    {
        "след",
        "следующая",
        "следующая страница",
        "далее",
        "вперед",
        "вперёд",
        "next",
        "next page",
        "келесі",
        "келесі бет",
        "келесi",
        "показать ещё",
        "показать еще",
        "загрузить ещё",
        "загрузить еще",
        "ещё новости",
        "еще новости",
        "больше новостей",
        "load more",
        "show more",
        "more news",
        "тағы көрсету",
        "көбірек көрсету",
    }
)
#: Link texts of a "last page" link, never a next page.
LAST_PAGE_WORDS: frozenset[str] = frozenset(
    {"конец", "последняя", "end", "last", "соңы", "соңғы", "соңына"}
)
#: Arrows that label a next link on their own; weak ones count only when no strong one does.
NEXT_ARROWS: frozenset[str] = frozenset({"›", "→", ">", "⟩", "〉", "▶", "►", "⇒", "❯"})
WEAK_NEXT_ARROWS: frozenset[str] = frozenset({"»"})
#: Labels of a "last page" link made of arrows.
LAST_ARROWS: tuple[str, ...] = ("»»", ">>", "»|", ">|", "→|")

# ------------------------------------------------------------------ around the article

#: Back links under an article (regex fragments, any case, the whole link text).
BACK_LINKS: tuple[str, ...] = (
    "возврат к списку",
    "вернуться к списку",
    "вернуться назад",
    "вернуться",
    r"назад к списку(?: новостей)?",
    "к списку новостей",
    "все новости",
    "назад",
    "back to (?:the )?list",
    "back to news",
    "back",
    "all news",
    "тізімге қайту",
    "тізімге оралу",
    "барлық жаңалықтар",
    "артқа",
    "қайту",
)
#: Names of the home page in a breadcrumb trail.
HOME_NAMES: frozenset[str] = frozenset(
    {"главная", "главная страница", "home", "басты бет", "басты", "main"}
)
#: Labels of the lines around the text (date, rubric, author), regex fragments, any
#: case; with :data:`VIEW_LABELS` they make a paragraph that holds only field values.
META_LABELS: tuple[str, ...] = (
    "опубликовано",
    "дата публикации",
    "дата",
    "рубрика",
    "категория",
    "раздел",
    "published",
    "date",
    "category",
    "жарияланды",
    "жарияланған күні",
    "санат",
    "айдар",
    "автор",
    "author",
)
#: "Read also" labels that open a line of links to other articles (regex fragments).
READ_ALSO_LABELS: tuple[str, ...] = (
    r"(?:читайте|читать|смотрите)\s+(?:также|тоже|ещё|еще)",
    r"см\.\s*также",
    r"(?:read|see)\s+also",
    r"сондай[-\s]ақ\s+оқыңыз",
    r"оқи\s+отырыңыз",
)
#: Looser "read also" labels, that count only alone or before a colon ("По теме:").
READ_ALSO_LOOSE_LABELS: tuple[str, ...] = (
    r"по\s+теме",
    r"похожие\s+(?:новости|материалы)",
    r"другие\s+новости",
    r"read\s+more",
    r"related(?:\s+(?:news|articles|stories))?",
    r"more\s+on\s+this(?:\s+topic)?",
    "оқыңыз",
    r"тақырыпқа\s+орай",
)
#: Headings of a photo gallery or of a "related news" block inside or after the text
#: (regex fragments, any case, the whole heading): the block they open is not text.
BLOCK_HEADINGS: tuple[str, ...] = (
    r"фото(?:галерея|репортаж|отч[её]т)?",
    r"галерея(?: фото(?:графий)?)?",
    r"фотографии",
    r"видео(?:галерея)?",
    r"(?:photo|image|video)\s*(?:gallery|report)?",
    r"gallery",
    r"photos",
    r"фотосурет(?:тер)?",
    r"суреттер",
    r"фотогалерея",
    r"бейне(?:галерея)?",
    r"(?:похожие|связанные|последние|другие|ещё|еще)\s+(?:новости|материалы|статьи|публикации)",
    r"новости\s+по\s+теме",
    r"(?:читайте|смотрите)\s+(?:также|тоже|ещё|еще)",
    r"(?:related|similar|latest|more|other)\s+(?:news|articles|stories|posts)",
    r"(?:read|see)\s+also",
    r"you\s+may\s+also\s+like",
    r"(?:ұқсас|басқа|соңғы)\s+(?:жаңалықтар|материалдар)",
    r"сондай[-\s]ақ\s+оқыңыз",
    r"тақырыпқа\s+қатысты",
)
#: Headings and texts of error pages served with status 200 (regex fragments, any case).
ERROR_PAGE_TEXTS: tuple[str, ...] = (
    r"\b404\b",
    "страница не найдена",
    "элемент не найден",
    "не найдена",
    "page not found",
    "not found",
    "бет табылмады",
    "табылмады",
)

# ------------------------------------------------------------------------- languages

#: First URL path segments that name a language version → ISO 639-1 code.
LANGUAGE_SEGMENTS: dict[str, str] = {"ru": "ru", "kz": "kk", "kk": "kk", "en": "en", "qaz": "kk"}
#: Declared language codes that mean Kazakh (``<html lang="kz">``).
KAZAKH_CODES: frozenset[str] = frozenset({"kz", "kaz"})
#: Letters of the Kazakh Cyrillic alphabet that Russian does not use (lower case; ``і``
#: also typed as a Latin ``i`` inside Cyrillic words is not counted).
KAZAKH_LETTERS: str = "әғқңөұүһі"
#: Languages written in Cyrillic among those the crawler knows; text in Latin letters
#: contradicts a declaration of one of them.
CYRILLIC_LANGUAGES: frozenset[str] = frozenset({"ru", "kk"})


def alternation(fragments: tuple[str, ...]) -> str:
    """The regex fragments as one alternation, in the order given (list a longer wording
    before a shorter one it starts with where the match's extent matters)."""
    return "|".join(fragments)
