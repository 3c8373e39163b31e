"""Page chrome shared by every markup family: ``<head>``, scripts, counters, menu and
share-link data. Families arrange these pieces in their own markup.

Imports :mod:`.content`, :mod:`.words`.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from .content import section_path
from .words import LANG_PATH, LANGS, label

#: Language switcher entries: (lang, label).
SWITCHER = (("ru", "Рус"), ("kk", "Қаз"), ("en", "Eng"))

_HEAD = """<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<meta name="robots" content="index, follow" />
<link href="/bitrix/js/ui/design-tokens/dist/ui.design-tokens.min.css?171886530723463" \
type="text/css" rel="stylesheet" />
<link href="/bitrix/cache/css/s1/{template}/template_7b1c9e2d/template_7b1c9e2d_v1.css\
?1717000000{size}" type="text/css" rel="stylesheet" data-template-style="true" />
<link rel="alternate" type="application/rss+xml" title="RSS" href="{rss}" />
<link rel="icon" href="/favicon.ico" type="image/x-icon" />
<script type="text/javascript">if(!window.BX)window.BX={{}};if(!window.BX.message)\
window.BX.message=function(mess){{if(typeof mess==='object'){{for(let i in mess) \
{{BX.message[i]=mess[i];}} return true;}}}};</script>
<script type="text/javascript">(window.BX||top.BX).message({{'JS_CORE_LOADING':'Loading...',\
'LANGUAGE_ID':'{lang}','FORMAT_DATE':'DD.MM.YYYY','FORMAT_DATETIME':'DD.MM.YYYY HH:MI:SS',\
'COOKIE_PREFIX':'BITRIX_SM','SERVER_TZ_OFFSET':'18000','SITE_ID':'{site}',\
'SITE_DIR':'/{path}/','USER_ID':'','SERVER_TIME':'1733300000','bitrix_sessid':\
'4f1d2c3b5a6e7d8c9b0a1f2e3d4c5b6a'}});</script>
<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1717000000223197"></script>
<script type="text/javascript" src="/local/templates/{template}/js/script.js?17170000004521">\
</script>
"""

_COUNTERS = """<!-- Yandex.Metrika counter -->
<script type="text/javascript">
   (function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};
   m[i].l=1*new Date();k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,\
k.src=r,a.parentNode.insertBefore(k,a)})
   (window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");
   ym(45678901, "init", {clickmap:true, trackLinks:true, accurateTrackBounce:true, webvisor:true});
</script>
<noscript><div><img src="https://mc.yandex.ru/watch/45678901" \
style="position:absolute; left:-9999px;" alt="" /></div></noscript>
<!-- /Yandex.Metrika counter -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-7LQ2XK9M3P"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag('config', 'G-7LQ2XK9M3P');</script>
<!--LiveInternet counter--><a href="https://www.liveinternet.ru/click" target="_blank">\
<img id="licnt5A1B" width="31" height="31" style="border:0" title="LiveInternet" \
src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt=""/>\
</a><script>(function(d,s){d.getElementById("licnt5A1B").src=\
"https://counter.yadro.ru/hit?t44.1;r"+escape(d.referrer)+((typeof(s)=="undefined")?"":\
";s"+s.width+"*"+s.height+"*"+(s.colorDepth?s.colorDepth:s.pixelDepth))+";u"+escape(d.URL)+\
";h"+escape(d.title.substring(0,150))+";"+Math.random()})(document,screen)</script>\
<!--/LiveInternet-->
"""


def head(lang: str, template: str, title: str, charset: str = "UTF-8") -> str:
    """The common ``<head>`` content (without the enclosing tags)."""
    return _HEAD.format(
        charset=charset,
        title=escape(title),
        template=template,
        size=len(title),
        rss=section_path(lang, "news") + "rss/",
        lang=lang,
        site=f"s{LANGS.index(lang) + 1}",
        path=LANG_PATH[lang],
    )


def counters() -> str:
    """Analytics counters placed before ``</body>``."""
    return _COUNTERS


def menu(lang: str) -> list[tuple[str, str]]:
    """Top menu entries: (href, text)."""
    root = f"/{LANG_PATH[lang]}/"
    return [
        (root, label(lang, "home")),
        (f"{root}about/", label(lang, "about")),
        (section_path(lang, "news"), label(lang, "news")),
        (section_path(lang, "other"), label(lang, "other")),
    ]


def switcher() -> list[tuple[str, str, str]]:
    """Language switcher entries: (lang, href, text)."""
    return [(lang, f"/{LANG_PATH[lang]}/", text) for lang, text in SWITCHER]


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Share buttons: (service, escaped href)."""
    u, t = quote(url, safe=""), quote(title, safe="")
    links = [
        ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("telegram", f"https://t.me/share/url?url={u}&text={t}"),
        ("whatsapp", f"https://api.whatsapp.com/send?text={t}%20{u}"),
        ("vk", f"https://vk.com/share.php?url={u}&title={t}"),
    ]
    return [(service, escape(href)) for service, href in links]


def icon(template: str, name: str) -> str:
    """Path of a template icon (``/local/templates/<template>/images/icons/<name>.svg``)."""
    return f"/local/templates/{template}/images/icons/{name}.svg"


def logo(template: str) -> str:
    """Path of the template logo."""
    return f"/local/templates/{template}/images/logo.png"


def video_embed(ident: int) -> str:
    """A video placeholder and its init script, as editors paste them into article text."""
    return (
        f'<div class="video-embed" id="video-{ident}"></div>\n'
        f"<script>BX.ready(function(){{ new BX.Fileman.Player('video-{ident}', "
        f"{{sources: [{{src: '/upload/video/{ident}.mp4', type: 'video/mp4'}}], "
        "width: 640, height: 360}).createElement(); });</script>\n"
    )
