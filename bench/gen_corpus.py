"""Build a realistic benchmark corpus of N documents (about 5 KB each) from the seed paragraphs.

Documents are assembled from the paragraphs of ``seeds/*.txt`` (English, and the paragraphs that mix
in Chinese), with varied titles, numbers and names, in the shapes dossier ingests: plain ``.txt``
(some with a SOURCE/date/byline/Published block under the title, as news sites paste them),
Markdown, HTML pages, and a few RSS and Atom feeds of several items each. Files sit in sub-folders
of 500. The same ``seed`` always gives the same corpus, byte for byte.

    python bench/gen_corpus.py 10000                 # -> bench/corpus-10000
    python bench/gen_corpus.py 1000 --out /tmp/c --seed 7

As a library: ``gen_corpus.generate(path, n, seed)`` returns the number of documents written.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
PER_FOLDER = 500
MARKER = ".gen_corpus.json"
"""Written last into a generated folder: the parameters, so a finished corpus can be reused."""

_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"\u4e00-\u9fff])")
_PLUMBING = re.compile(r"\]\]>|appeared on |/feed/|^(?:https?://\S+\s*){2,}")
_URL = re.compile(r"\s*https?://\S+")
_NOT_A_HEAD = re.compile(r"^(?:SOURCE|Published|Leave a)|\w,\w")

FIRST = ("Ann Ben Wency Zhou Li Wang Chen Liu Zhang Yang Maria James Sarah David Elena Tom Priya Omar "
         "Hannah Kenji Yuki Fatima Lucas Amara Noah Mei Lin Jun Hao Grace Peter Ingrid Rafael Chloe").split()
LAST = ("Jiang Cao Chen Xin Wang Li Zhang Liu Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Smith Jones "
        "Garcia Miller Davis Lopez Martin Lee Walker Hall Young King Wright Scott Green Baker Adams Nelson "
        "Okafor Tanaka Sato Kumar Singh Novak Dubois Rossi Silva").split()
OUTLETS = ("SCMP.COM", "Reuters", "Caixin Global", "The Economist", "Financial Times", "China Academy",
           "Sixth Tone", "Nikkei Asia", "The Wire China", "Bloomberg", "TechNode", "Pekingnology",
           "36Kr", "Rest of World", "MIT Technology Review", "The Information")
SYLLABLES = ("ka lo ra ven ti sha mon del qi xu zhan bao tor lin mar fei gu ren sol an ex ja wen "
             "po ru nek dri hal yo chu bri tai zor lei mu vin gao dor").split()
TOPICS = ("AI", "chips", "open source", "markets", "policy", "start-ups", "investors", "Hangzhou",
          "export controls", "language models", "Nvidia", "the tech world", "China", "regulators",
          "talent", "compute", "reasoning models", "Silicon Valley", "inference costs", "hedge funds")
TITLE_SHAPES = (
    "{head}",
    "{head}: {topic}",
    "How {topic} {verb} {topic2}",
    "Why {topic} {verb} {topic2}",
    "{topic} {verb} {topic2}, {who} says",
    "{words}",
    "Analysis: {words}",
    "{head} ({year})",
)
VERBS = ("changed", "upended", "reshaped", "rattled", "surprised", "outpaced", "challenged", "redrew",
         "shook", "won over")


@dataclass
class Pools:
    """Paragraphs to build bodies from, and lines that read like headlines."""

    english: list[str]
    cjk: list[str]
    heads: list[str]


def load_pools(seeds: Path = SEEDS) -> Pools:
    """Paragraphs of the seed files: feed plumbing dropped, run-on text cut into sentence groups."""
    english: list[str] = []
    cjk: list[str] = []
    heads: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for line in text.split("\n"):  # the seeds break paragraphs with one newline or two
            if _PLUMBING.search(line):
                continue
            para = _URL.sub("", line).strip()
            if not para:
                continue
            if len(para) < 60:
                if (15 <= len(para) or _CJK.search(para)) and len(para) <= 100 and not para.endswith((".", ":")) and not _NOT_A_HEAD.search(para):
                    heads.append(para)
                continue
            for piece in _cut(para):
                (cjk if _CJK.search(piece) else english).append(piece)
    if not english:
        raise SystemExit(f"no seed paragraphs found in {seeds}")
    return Pools(english, cjk, heads or ["Untitled"])


def _cut(para: str, target: int = 600, limit: int = 1200) -> list[str]:
    """A long paragraph as groups of whole sentences of about ``target`` characters."""
    if len(para) <= limit:
        return [para]
    out, current = [], ""
    for sentence in _SENTENCE_END.split(para):
        current = f"{current} {sentence}".strip()
        if len(current) >= target:
            out.append(current)
            current = ""
    if current:
        if out and len(current) < 120:
            out[-1] += " " + current
        else:
            out.append(current)
    return out


class _Writer:
    """Draws one document's parts from the pools with a seeded random generator."""

    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.pools = pools
        self.rng = rng

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def coined(self) -> str:
        """A made-up proper noun (company, place, product), so the vocabulary grows with N."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))).capitalize()

    def day(self) -> date:
        return date(2023, 1, 1) + timedelta(days=self.rng.randrange(1000))

    def title(self) -> str:
        r = self.rng
        words = r.choice(self.pools.english).split()
        start = r.randrange(max(1, len(words) - 8))
        fields = {
            "head": r.choice(self.pools.heads),
            "topic": r.choice(TOPICS),
            "topic2": r.choice(TOPICS),
            "verb": r.choice(VERBS),
            "who": self.coined(),
            "year": r.randint(2019, 2026),
            "words": " ".join(words[start : start + r.randint(4, 9)]).strip(" ,.;:"),
        }
        title = r.choice(TITLE_SHAPES).format(**fields)
        return title[:1].upper() + title[1:]

    def body(self, size: int, with_cjk: bool) -> list[str]:
        r = self.rng
        paras: list[str] = []
        total = 0
        cjk_at = r.randrange(4) if with_cjk and self.pools.cjk else -1
        while total < size:
            if len(paras) == cjk_at:
                para = r.choice(self.pools.cjk)
            else:
                para = r.choice(self.pools.english)
            if r.random() < 0.5:  # vary the figures, as another article would
                para = re.sub(r"\b\d+\b", lambda m: self._digits(len(m.group())), para)
            paras.append(para)
            total += len(para) + 2
        # Swap a few capitalised words for coined names: each document brings its own rare terms.
        for _ in range(r.randint(2, 5)):
            k = r.randrange(len(paras))
            caps = [m for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", paras[k])]
            if caps:
                m = r.choice(caps)
                paras[k] = paras[k][: m.start()] + self.coined() + paras[k][m.end() :]
        return paras

    def _digits(self, n: int) -> str:
        first = str(self.rng.randint(1, 9)) if n > 1 else str(self.rng.randint(0, 9))
        return first + "".join(str(self.rng.randint(0, 9)) for _ in range(n - 1))


# -- file shapes -------------------------------------------------------------------------------

def _plain(w: _Writer, paras: list[str]) -> str:
    r = w.rng
    lines = [w.title(), ""]
    if r.random() < 0.4:  # a byline block, as news sites paste it
        d = w.day()
        authors = [w.name() for _ in range(r.randint(1, 3))]
        lines += [f"SOURCE: {r.choice(OUTLETS)}", d.strftime("%b %d, %Y").upper(), "",
                  ", ".join(authors) if len(authors) > 1 else f"By {authors[0]}", "", f"Published: {r.randint(1, 12)}:{r.randint(0, 59):02d}"
                  f"{r.choice(('am', 'pm'))}, {d.day} {d.strftime('%b %Y')}", ""]
    elif r.random() < 0.3:
        lines += [f"By {w.name()}", w.day().strftime("%d %B %Y"), ""]
    return "\n".join(lines) + "\n" + "\n\n".join(paras) + "\n"


def _markdown(w: _Writer, paras: list[str]) -> str:
    r = w.rng
    out = [f"# {w.title()}", ""]
    if r.random() < 0.5:
        out += [f"By {w.name()} and {w.name()}", w.day().isoformat(), ""]
    for n, p in enumerate(paras):
        if n and r.random() < 0.15:
            out += [f"## {r.choice(w.pools.heads)}", ""]
        out += [p, ""]
    return "\n".join(out)


def _html(w: _Writer, paras: list[str]) -> str:
    r = w.rng
    title = html.escape(w.title())
    site = r.choice(OUTLETS)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
        f"<title>{title} | {html.escape(site)}</title>\n"
        f"<meta property=\"og:title\" content=\"{title}\">\n"
        f"<meta property=\"og:site_name\" content=\"{html.escape(site)}\">\n"
        f"<meta name=\"author\" content=\"{w.name()}\">\n"
        f"<meta property=\"article:published_time\" content=\"{w.day().isoformat()}T{r.randint(0, 23):02d}:00:00Z\">\n"
        f"<link rel=\"canonical\" href=\"https://example.{r.choice(('com', 'org', 'net'))}/{slug}\">\n"
        "<script>var tracking = {id: 42};</script><style>p {margin: 0}</style>\n"
        f"</head><body><nav><a href=\"/\">Home</a> <a href=\"/tech\">Tech</a></nav>\n"
        f"<article><h1>{title}</h1>\n{body}\n</article>\n"
        "<aside>Related: more stories</aside><footer>© publisher</footer></body></html>\n"
    )


def _rss(w: _Writer, bodies: list[list[str]]) -> str:
    site = w.rng.choice(OUTLETS)
    items = []
    for paras in bodies:
        d = w.day()
        title = html.escape(w.title())
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        items.append(
            f"<item><title>{title}</title><link>https://feeds.example.com/{w.coined().lower()}</link>\n"
            f"<pubDate>{d.strftime('%a, %d %b %Y')} 0{w.rng.randint(0, 9)}:00:00 +0000</pubDate>\n"
            f"<dc:creator>{w.name()}</dc:creator>\n"
            f"<description>{html.escape(paras[0][:200])}</description>\n"
            f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        )
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        f"<channel><title>{html.escape(site)}</title><link>https://feeds.example.com/</link>\n"
        + "\n".join(items) + "\n</channel></rss>\n"
    )


def _atom(w: _Writer, bodies: list[list[str]]) -> str:
    site = w.rng.choice(OUTLETS)
    entries = []
    for paras in bodies:
        content = html.escape("".join(f"<p>{p}</p>" for p in paras))
        entries.append(
            f"<entry><title>{html.escape(w.title())}</title>"
            f"<link href=\"https://atom.example.org/{w.coined().lower()}\"/>\n"
            f"<updated>{w.day().isoformat()}T12:00:00Z</updated><author><name>{w.name()}</name></author>\n"
            f"<content type=\"html\">{content}</content></entry>"
        )
    return (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        f"<title>{html.escape(site)}</title>\n" + "\n".join(entries) + "\n</feed>\n"
    )


# -- the corpus --------------------------------------------------------------------------------

def generate(path: Path | str, n: int, seed: int = 0, seeds: Path = SEEDS) -> int:
    """Write a corpus of ``n`` documents into ``path`` (emptied first); returns ``n``.

    About 70% plain text (40% of those with a byline block), 12% Markdown, 12% HTML, and the rest
    as items of RSS/Atom feeds holding 5 to 10 items each. A quarter of the documents carry a
    paragraph with Chinese in it. Bodies are about 5 KB.
    """
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    pools = load_pools(seeds)
    rng = random.Random(seed)
    w = _Writer(pools, rng)
    made = files = 0
    while made < n:
        folder = path / f"batch-{files // PER_FOLDER:03d}"
        folder.mkdir(exist_ok=True)
        stem = f"doc-{files:06d}"
        kind = rng.random()
        left = n - made

        def body() -> list[str]:
            return w.body(max(2500, int(rng.gauss(4800, 900))), with_cjk=rng.random() < 0.25)

        if kind < 0.007 and left >= 5:  # about 5% of the documents are feed items
            k = min(left, rng.randint(5, 10))
            bodies = [body() for _ in range(k)]
            if rng.random() < 0.5:
                name, text = f"{stem}.xml", _rss(w, bodies)
            else:
                name, text = f"{stem}.atom", _atom(w, bodies)
        else:
            k = 1
            if kind < 0.13:
                name, text = f"{stem}.html", _html(w, body())
            elif kind < 0.25:
                name, text = f"{stem}.md", _markdown(w, body())
            else:
                name, text = f"{stem}.txt", _plain(w, body())
        (folder / name).write_text(text, encoding="utf-8")
        made += k
        files += 1
    (path / MARKER).write_text(json.dumps({"n": n, "seed": seed, "files": files}) + "\n")
    return made


def ensure(path: Path | str, n: int, seed: int = 0) -> Path:
    """``path`` holding the corpus of ``(n, seed)``: reused when already generated, else built."""
    path = Path(path)
    try:
        params = json.loads((path / MARKER).read_text())
        if params.get("n") == n and params.get("seed") == seed:
            return path
    except (OSError, ValueError):
        pass
    generate(path, n, seed)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--out", type=Path, help="target folder (default: bench/corpus-N)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    out = args.out or HERE / f"corpus-{args.n}"
    made = generate(out, args.n, args.seed)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{made} documents, {size / 1e6:.1f} MB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
