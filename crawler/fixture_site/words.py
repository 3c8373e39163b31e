"""Word pools and interface labels of the fixture site, per language (``ru``, ``kk``, ``en``).

The pools never contain the probe words of the search tests (``медиац…``, ``татулық…``):
those enter bodies only through :data:`PROBE_SENTENCES`, one inflected form per article.

Imports the standard library only.

Over 400 lines: word data (titles, paragraphs, names in three languages).
"""

from __future__ import annotations

LANGS = ("ru", "kk", "en")

#: URL path segment of each language (Kazakh lives under ``/kz/``).
LANG_PATH = {"ru": "ru", "kk": "kz", "en": "en"}

#: Path segment of the second ("other") section of each language.
OTHER_DIR = {"ru": "analitika", "kk": "analitika", "en": "analytics"}

SITE_NAME = {
    "ru": "Ассамблея народа Казахстана",
    "kk": "Қазақстан халқы Ассамблеясы",
    "en": "Assembly of People of Kazakhstan",
}

CATEGORIES = {
    "ru": (
        "Ассамблея народа Казахстана",
        "Новости регионов",
        "Общественное согласие",
        "Молодёжная политика",
        "Культура и традиции",
        "Официально",
    ),
    "kk": (
        "Қазақстан халқы Ассамблеясы",
        "Өңір жаңалықтары",
        "Қоғамдық келісім",
        "Жастар саясаты",
        "Мәдениет және дәстүр",
        "Ресми",
    ),
    "en": (
        "Assembly of People of Kazakhstan",
        "Regional news",
        "Public accord",
        "Youth policy",
        "Culture and traditions",
        "Official",
    ),
}

MONTHS = {
    "ru": (
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ).split(),
    "kk": (
        "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "news": "Новости",
        "other": "Аналитика",
        "home": "Главная",
        "about": "О нас",
        "back": "Возврат к списку",
        "popular": "Популярные новости",
        "share": "Поделиться",
        "more": "Подробнее",
        "comments": "комментариев",
        "search": "Поиск",
        "search_results": "Результаты поиска",
        "tags": "Теги",
        "pages": "Страницы:",
        "prev": "Пред.",
        "next": "След.",
        "first": "Начало",
        "nav_prev": "Пред.",
        "nav_next": "След.",
        "last": "Конец",
        "of": "из",
        "back_arrow": "Назад",
        "forward": "Вперед",
        "views": "Просмотров",
        "views_long": "Количество просмотров",
        "date": "Дата",
        "today": "Сегодня",
        "yesterday": "Вчера",
        "undated": "Дата уточняется",
        "not_found": "Страница не найдена",
        "rights": "Все права защищены.",
        "address": "г. Астана, пр. Мангилик Ел, 8",
        "about_text": "Ассамблея народа Казахстана — конституционный орган, "
        "обеспечивающий общественное согласие и общенациональное единство.",
        # The sentence the phase-2 edit appends (only a Russian article is edited).
        "edit": "Уточнение: число участников встречи превысило сто человек.",
    },
    "kk": {
        "news": "Жаңалықтар",
        "other": "Сараптама",
        "home": "Басты бет",
        "about": "Біз туралы",
        "back": "Тізімге оралу",
        "popular": "Танымал жаңалықтар",
        "share": "Бөлісу",
        "more": "Толығырақ",
        "comments": "пікір",
        "search": "Іздеу",
        "search_results": "Іздеу нәтижелері",
        "tags": "Тегтер",
        "pages": "Беттер:",
        "prev": "Алдыңғы",
        "next": "Келесі",
        # Stock Bitrix language files are often left untranslated on Kazakh sites.
        "first": "Начало",
        "nav_prev": "Пред.",
        "nav_next": "След.",
        "last": "Конец",
        "of": "из",
        "back_arrow": "Артқа",
        "forward": "Алға",
        "views": "Просмотров",
        "views_long": "Қаралым саны",
        "date": "Күні",
        "undated": "Күні нақтыланады",
        "not_found": "Бет табылмады",
        "rights": "Барлық құқықтар қорғалған.",
        "address": "Астана қ., Мәңгілік Ел даңғылы, 8",
        "about_text": "Қазақстан халқы Ассамблеясы – қоғамдық келісім мен жалпыұлттық "
        "бірлікті қамтамасыз ететін конституциялық орган.",
    },
    "en": {
        "news": "News",
        "other": "Analytics",
        "home": "Home",
        "about": "About us",
        "back": "Back to the list",
        "popular": "Popular news",
        "share": "Share",
        "more": "Read more",
        "comments": "comments",
        "search": "Search",
        "search_results": "Search results",
        "tags": "Tags",
        "pages": "Pages:",
        "prev": "Prev.",
        "next": "Next",
        "first": "Begin",
        "nav_prev": "Prev.",
        "nav_next": "Next",
        "last": "End",
        "of": "of",
        "back_arrow": "Back",
        "forward": "Forward",
        "views": "Views",
        "views_long": "Views",
        "date": "Date",
        "undated": "Date to be confirmed",
        "not_found": "Page not found",
        "rights": "All rights reserved.",
        "address": "8 Mangilik El Avenue, Astana",
        "about_text": "The Assembly of People of Kazakhstan is a constitutional body "
        "that ensures public accord and national unity.",
    },
}

#: Search-test probes: each sentence carries exactly one inflected form of the probe word.
PROBE_SENTENCES = {
    "ru": (
        "Участникам рассказали о возможностях медиации в решении бытовых споров.",
        "Эксперты предложили шире применять медиацию в трудовых коллективах.",
        "Как подчеркнули организаторы, медиация помогает урегулировать споры без суда.",
    ),
    "kk": (
        "Ұйымдастырушылар атап өткендей, татулық – елдің басты байлығы.",
        "Қатысушылар татулықты сақтаудың маңызын ерекше атап өтті.",
        "Кездесуде татулықтың өңір дамуындағы рөлі туралы айтылды.",
    ),
    "en": (
        "Participants learned how mediation helps to settle everyday disputes.",
        "Experts suggested that mediators should work in every district.",
        "The organisers said that mediated agreements last longer than court rulings.",
    ),
}

#: The probe word each language's news sidebar searches for.
PROBE_WORDS = {"ru": "медиация", "kk": "татулық", "en": "mediation"}

_PLACES = {
    "ru": (
        "Атырау Актобе Караганде Шымкенте Павлодаре Костанае Таразе Уральске Петропавловске "
        "Кокшетау Талдыкоргане Туркестане Семее Усть-Каменогорске Кызылорде Актау Жезказгане "
        "Экибастузе Астане Алматы Темиртау Рудном Балхаше Сатпаеве Жанаозене Конаеве Щучинске "
        "Аркалыке Степногорске Кентау"
    ).split(),
    "kk": (
        "Атырауда Ақтөбеде Қарағандыда Шымкентте Павлодарда Қостанайда Таразда Оралда "
        "Петропавлда Көкшетауда Талдықорғанда Түркістанда Семейде Өскеменде Қызылордада "
        "Ақтауда Жезқазғанда Екібастұзда Астанада Алматыда Теміртауда Рудныйда Балқашта "
        "Сәтбаевта Жаңаөзенде Қонаевта Щучинскіде Арқалықта Степногорскіде Кентауда"
    ).split(),
    "en": (
        "Atyrau Aktobe Karaganda Shymkent Pavlodar Kostanay Taraz Uralsk Petropavlovsk "
        "Kokshetau Taldykorgan Turkistan Semey Ust-Kamenogorsk Kyzylorda Aktau Zhezkazgan "
        "Ekibastuz Astana Almaty Temirtau Rudny Balkhash Satpayev Zhanaozen Konaev "
        "Shchuchinsk Arkalyk Stepnogorsk Kentau"
    ).split(),
}

#: Title pools: events, audiences (may be empty) and places.
TITLE_EVENTS = {
    "ru": (
        "Семинар",
        "Круглый стол",
        "Форум молодёжи",
        "Заседание совета общественного согласия",
        "Праздник единства",
        "Встреча с ветеранами",
        "Конкурс чтецов",
        "Фестиваль национальных культур",
        "Выставка прикладного искусства",
        "Презентация книги",
        "Турнир по тогызкумалак",
        "Онлайн-конференция",
        "Диалоговая площадка",
        "Благотворительная ярмарка",
        "Встреча с молодёжью",
        "Мастер-класс по народным ремёслам",
        "Концерт этнокультурных объединений",
        "Тренинг модераторов",
        "Волонтёрская акция",
        "Открытая лекция",
    ),
    "kk": (
        "семинар",
        "дөңгелек үстел",
        "жастар форумы",
        "Қоғамдық келісім кеңесінің отырысы",
        "бірлік мерекесі",
        "ардагерлермен кездесу",
        "мәнерлеп оқу байқауы",
        "ұлттық мәдениеттер фестивалі",
        "қолөнер көрмесі",
        "кітап тұсаукесері",
        "тоғызқұмалақтан турнир",
        "онлайн-конференция",
        "диалог алаңы",
        "қайырымдылық жәрмеңкесі",
        "жастармен кездесу",
        "шеберлік сыныбы",
        "этномәдени бірлестіктер концерті",
        "модераторлар тренингі",
        "еріктілер акциясы",
        "ашық дәріс",
    ),
    "en": (
        "Seminar",
        "Round table",
        "Youth forum",
        "Meeting of the public accord council",
        "Unity Day celebration",
        "Meeting with veterans",
        "Poetry reading contest",
        "Festival of national cultures",
        "Exhibition of applied arts",
        "Book presentation",
        "Togyzkumalak tournament",
        "Online conference",
        "Dialogue platform",
        "Charity fair",
        "Meeting with young people",
        "Master class in folk crafts",
        "Concert of ethnocultural associations",
        "Training for moderators",
        "Volunteer campaign",
        "Open lecture",
    ),
}

TITLE_AUDIENCES = {
    "ru": (
        "",
        "для студентов",
        "для школьников",
        "для ветеранов",
        "с участием молодёжи",
        "для педагогов",
        "для журналистов",
        "для волонтёров",
        "для многодетных семей",
        "для предпринимателей",
    ),
    "kk": (
        "",
        "студенттерге арналған",
        "оқушыларға арналған",
        "ардагерлерге арналған",
        "жастардың қатысуымен",
        "педагогтерге арналған",
        "журналистерге арналған",
        "еріктілерге арналған",
        "көпбалалы отбасыларға арналған",
        "кәсіпкерлерге арналған",
    ),
    "en": (
        "",
        "for students",
        "for schoolchildren",
        "for veterans",
        "with young people",
        "for teachers",
        "for journalists",
        "for volunteers",
        "for large families",
        "for entrepreneurs",
    ),
}

TITLE_VERBS = {
    "kk": ("өтті", "ұйымдастырылды", "басталды", "жалғасуда"),
    "en": ("held in", "took place in", "opened in", "hosted in"),
}

#: Sentence patterns: ``{slot}`` names a pool of the same language in :data:`POOLS`.
PATTERNS = {
    "ru": (
        "{actor} {verb} {object} {venue}.",
        "Особое внимание было уделено {topic}.",
        "По итогам встречи участники {decision}.",
        "Как отметил {speaker}, {quote}.",
        "В рамках {event} состоялся {show}.",
        "{actor} {verb} {object}, а также {decision}.",
    ),
    "kk": (
        "{venue} {actor} {object} {verb}.",
        "Ерекше назар {topic} аударылды.",
        "Кездесу соңында қатысушылар {decision}.",
        "{speaker} атап өткендей, {quote}.",
        "{event} аясында {show} өтті.",
        "{actor} {object} {verb}, сондай-ақ {decision}.",
    ),
    "en": (
        "{actor} {verb} {object} {venue}.",
        "Particular attention was paid to {topic}.",
        "At the end of the meeting the participants {decision}.",
        "As {speaker} noted, {quote}.",
        "The {event} included {show}.",
        "{actor} {verb} {object} and {decision}.",
    ),
}

POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "actor": (
            "Члены Ассамблеи",
            "Представители этнокультурных объединений",
            "Участники форума",
            "Молодёжные активисты",
            "Эксперты",
            "Сотрудники районного акимата",
            "Руководители советов общественного согласия",
            "Волонтёры",
            "Члены совета ветеранов",
            "Депутаты маслихата",
        ),
        "verb": ("обсудили", "рассмотрели", "представили", "поддержали", "изучили"),
        "object": (
            "вопросы укрепления общественного согласия",
            "итоги работы за полугодие",
            "план мероприятий на следующий год",
            "актуальные вопросы межэтнических отношений",
            "проекты в сфере образования",
            "инициативы молодёжи",
            "программу развития государственного языка",
            "опыт работы домов дружбы",
        ),
        "venue": tuple(f"в {p}" for p in _PLACES["ru"])
        + (
            "в Доме дружбы",
            "в областном центре",
            "в режиме онлайн",
            "в районном акимате",
            "на площадке Ассамблеи",
        ),
        "topic": (
            "развитию государственного языка",
            "сохранению национальных традиций",
            "профилактике конфликтов",
            "поддержке молодёжных инициатив",
            "работе с семьями",
            "патриотическому воспитанию",
        ),
        "decision": (
            "приняли резолюцию",
            "договорились о сотрудничестве",
            "наметили дальнейшие планы",
            "выразили благодарность организаторам",
            "предложили провести встречу повторно",
        ),
        "speaker": (
            "председатель совета общественного согласия",
            "заместитель акима района",
            "модератор встречи",
            "руководитель секретариата",
            "заместитель председателя Ассамблеи",
        ),
        "quote": (
            "такие встречи способствуют укреплению единства",
            "работа будет продолжена в каждом населённом пункте",
            "важно сохранить культурное многообразие региона",
            "молодёжь всё активнее включается в общественную жизнь",
            "доверие между людьми строится на диалоге",
        ),
        "event": ("форума", "семинара", "праздника", "акции", "фестиваля"),
        "show": (
            "концерт творческих коллективов",
            "круглый стол",
            "мастер-класс",
            "показ документального фильма",
            "конкурс рисунков",
        ),
    },
    "kk": {
        "actor": (
            "Ассамблея мүшелері",
            "этномәдени бірлестіктердің өкілдері",
            "форум қатысушылары",
            "жастар белсенділері",
            "сарапшылар",
            "аудан әкімдігінің қызметкерлері",
            "Қоғамдық келісім кеңестерінің төрағалары",
            "еріктілер",
            "ардагерлер кеңесінің мүшелері",
            "мәслихат депутаттары",
        ),
        "verb": ("талқылады", "қарастырды", "таныстырды", "қолдады", "ортаға салды"),
        "object": (
            "қоғамдық келісімді нығайту мәселелерін",
            "жарты жылдағы жұмыс қорытындысын",
            "келесі жылға арналған іс-шаралар жоспарын",
            "ұлтаралық қатынастардың өзекті мәселелерін",
            "білім беру саласындағы жобаларды",
            "жастардың бастамаларын",
            "мемлекеттік тілді дамыту бағдарламасын",
            "достық үйлерінің жұмыс тәжірибесін",
        ),
        "venue": tuple(_PLACES["kk"])
        + ("Достық үйінде", "облыс орталығында", "онлайн форматта", "аудандық әкімдікте"),
        "topic": (
            "мемлекеттік тілді дамытуға",
            "ұлттық дәстүрлерді сақтауға",
            "жанжалдардың алдын алуға",
            "жастар бастамаларын қолдауға",
            "отбасылармен жұмысқа",
            "патриоттық тәрбиеге",
        ),
        "decision": (
            "қарар қабылдады",
            "ынтымақтастық туралы келісті",
            "алдағы жоспарларды белгіледі",
            "ұйымдастырушыларға алғыс айтты",
            "кездесуді қайта өткізуді ұсынды",
        ),
        "speaker": (
            "Қоғамдық келісім кеңесінің төрағасы",
            "Аудан әкімінің орынбасары",
            "Кездесу модераторы",
            "Хатшылық жетекшісі",
            "Ассамблея төрағасының орынбасары",
        ),
        "quote": (
            "мұндай кездесулер бірлікті нығайтуға ықпал етеді",
            "жұмыс әрбір елді мекенде жалғасады",
            "өңірдің мәдени әралуандығын сақтау маңызды",
            "жастар қоғамдық өмірге белсене араласуда",
            "адамдар арасындағы сенім диалог арқылы қалыптасады",
        ),
        "event": ("Форум", "Семинар", "Мереке", "Акция", "Фестиваль"),
        "show": (
            "шығармашылық ұжымдардың концерті",
            "дөңгелек үстел",
            "шеберлік сыныбы",
            "деректі фильм көрсетілімі",
            "сурет байқауы",
        ),
    },
    "en": {
        "actor": (
            "Members of the Assembly",
            "Representatives of ethnocultural associations",
            "Forum participants",
            "Youth activists",
            "Experts",
            "Staff of the district akimat",
            "Heads of public accord councils",
            "Volunteers",
            "Members of the veterans' council",
            "Deputies of the maslikhat",
        ),
        "verb": ("discussed", "reviewed", "presented", "supported", "studied"),
        "object": (
            "ways to strengthen public accord",
            "the results of the past six months",
            "the plan of events for next year",
            "current issues of interethnic relations",
            "projects in education",
            "youth initiatives",
            "the programme for developing the state language",
            "the experience of the houses of friendship",
        ),
        "venue": tuple(f"in {p}" for p in _PLACES["en"])
        + ("at the House of Friendship", "in the regional centre", "online"),
        "topic": (
            "the development of the state language",
            "preserving national traditions",
            "preventing conflicts",
            "supporting youth initiatives",
            "work with families",
            "patriotic education",
        ),
        "decision": (
            "adopted a resolution",
            "agreed to cooperate",
            "outlined further plans",
            "thanked the organisers",
            "proposed to meet again",
        ),
        "speaker": (
            "the chair of the public accord council",
            "the deputy akim of the district",
            "the moderator of the meeting",
            "the head of the secretariat",
            "the deputy chair of the Assembly",
        ),
        "quote": (
            "such meetings help strengthen unity",
            "the work will continue in every settlement",
            "it is important to preserve the cultural diversity of the region",
            "young people are becoming more active in public life",
            "trust between people is built through dialogue",
        ),
        "event": ("forum", "seminar", "celebration", "campaign", "festival"),
        "show": (
            "a concert by creative groups",
            "a round table",
            "a master class",
            "a documentary screening",
            "a drawing contest",
        ),
    },
}

#: Titles of the few articles of the other section.
OTHER_TITLES = {
    "ru": (
        "Межэтническое согласие как основа стабильности",
        "Язык как инструмент единства",
        "Молодёжь и общественный диалог",
        "Этнокультурные объединения: итоги десятилетия",
        "Общественное согласие в цифрах",
        "Традиции добрососедства в регионах",
    ),
    "kk": (
        "Ұлтаралық келісім – тұрақтылық негізі",
        "Тіл – бірлік құралы",
        "Жастар және қоғамдық диалог",
        "Этномәдени бірлестіктер: онжылдық қорытындысы",
        "Қоғамдық келісім сандарда",
        "Өңірлердегі тату көршілік дәстүрлері",
    ),
    "en": (
        "Interethnic accord as the basis of stability",
        "Language as an instrument of unity",
        "Young people and public dialogue",
        "Ethnocultural associations: results of a decade",
        "Public accord in figures",
        "Traditions of good neighbourliness in the regions",
    ),
}


def label(lang: str, key: str) -> str:
    """Return the interface label ``key`` in ``lang``."""
    return LABELS[lang][key]


def title_parts(lang: str) -> tuple[tuple[str, ...], ...]:
    """Return the pools a title of ``lang`` is drawn from, in title order."""
    places = _PLACES[lang]
    if lang == "ru":
        return TITLE_EVENTS["ru"], TITLE_AUDIENCES["ru"], tuple(f"в {p}" for p in places)
    if lang == "kk":
        return tuple(places), TITLE_AUDIENCES["kk"], TITLE_EVENTS["kk"], TITLE_VERBS["kk"]
    return TITLE_EVENTS["en"], TITLE_AUDIENCES["en"], TITLE_VERBS["en"], tuple(places)
