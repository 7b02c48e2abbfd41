"""Ingestion: feeds split per article, byline metadata, titles, encodings, bad and huge files."""

from __future__ import annotations

import re

import pytest

from index import ingest
from index.ingest import SkipFile, discover
from index.paths import SEEDS
from tests.index.conftest import docs_of

FEED = "001_cc206f8e9133d8aa.txt"
BYLINE = "004_ac284193695ea43d.txt"


def test_flattened_feed_splits_into_its_articles():
    docs = docs_of(SEEDS, FEED)
    assert len(docs) == 10
    assert [d.title for d in docs[:3]] == [
        "Interview with Deepseek Founder: We’re Done Following. It’s Time to Lead",
        "DeepSeek Shot Through More Than Just Silicon Valley Oligarchs",
        "From a Chinese Perspective, Politicians in Germany, South Korea, and France Are All Unqualified",
    ]
    assert docs[-1].title == "Will Trump 2.0 Usher in a US-China Honeymoon?"
    assert docs[0].url == "https://thechinaacademy.org/interview-with-deepseek-founder-were-done-following-its-time-to-lead/"
    assert docs[0].date == "2025-01-26T18:00:00+00:00"
    assert docs[-1].date == "2025-01-23T18:00:00+00:00"
    assert {d.publisher for d in docs} == {"China Academy"}
    assert len({d.id for d in docs}) == 10
    assert all(d.source == FEED for d in docs)


def test_feed_plumbing_stays_out_of_the_bodies():
    for d in docs_of(SEEDS, FEED):
        assert "]]>" not in d.body
        assert "first appeared on" not in d.body
        assert not re.search(r"/feed/ \d+ \d+", d.body)
        assert not re.search(r"^https?://\S+$", d.body, re.M)
        assert d.body.strip()
    first = docs_of(SEEDS, FEED)[0]
    lead, content = first.body.split("\n\n", 1)  # the item's summary leads: it says more
    assert lead.startswith("Silicon Valley is reeling. However, founder Liang Wenfeng has remained low-key")
    assert content.startswith("Editor’s Note:")


def test_any_flattened_wordpress_feed_splits(corpus):
    item = (
        "{title} https://news.example.net/{slug}/ https://news.example.net/{slug}/#respond "
        "Tue, 04 Mar 2025 09:30:00 +0000 https://news.example.net/?p={n} Summary of {title}.\n\n"
        "The post {title} first appeared on Example News.\n\n]]>\n"
        "Full text of {title}, first paragraph.\nSecond paragraph.\n\n"
        "The post {title} first appeared on Example News.\n\n]]>\n"
        "https://news.example.net/{slug}/feed/ 0 {n}\n"
    )
    text = "Example News https://news.example.net all the news Tue, 04 Mar 2025 10:00:00 +0000 en-US hourly 1 "
    text += "".join(item.format(title=t, slug=t.lower().replace(" ", "-"), n=n)
                    for n, t in enumerate(["Rain Expected", "Markets Rally", "Election Day"]))
    (corpus / "news.txt").write_text(text, encoding="utf-8")
    docs = docs_of(corpus, "news.txt")
    assert [d.title for d in docs] == ["Rain Expected", "Markets Rally", "Election Day"]
    assert docs[1].body == "Summary of Markets Rally.\n\nFull text of Markets Rally, first paragraph.\n\nSecond paragraph."
    assert docs[2].url == "https://news.example.net/election-day/"
    assert docs[0].date == "2025-03-04T09:30:00+00:00"
    assert docs[0].publisher == "Example News"


def test_byline_block_becomes_metadata():
    (doc,) = docs_of(SEEDS, BYLINE)
    assert doc.title == "How AI start-up DeepSeek upended industry assumptions and changed China’s narrative"
    assert doc.publisher == "SCMP.COM"
    assert doc.date == "2025-02-08T11:00:00"
    assert doc.authors == ("Ben Jiang", "Ann Cao", "Wency Chen", "Zhou Xin")
    assert doc.body.startswith("In 2022, under the pseudonym")
    assert "SOURCE:" not in doc.body and "Published:" not in doc.body


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("By Jane Doe and John Smith\nMarch 3, 2024\n", {"authors": ("Jane Doe", "John Smith"), "date": "2024-03-03"}),
        ("Source: The Daily Example\nPublished: 2023-11-05T08:15\n", {"publisher": "The Daily Example", "date": "2023-11-05T08:15:00"}),
        ("Author: Li Wei\nURL: https://example.org/a\n", {"authors": ("Li Wei",), "url": "https://example.org/a"}),
    ],
)
def test_other_byline_blocks(corpus, header, expected):
    (corpus / "a.txt").write_text(f"A Title\n\n{header}\nThe body begins here. It is prose.\n", encoding="utf-8")
    (doc,) = docs_of(corpus, "a.txt")
    assert doc.title == "A Title"
    for key, value in expected.items():
        assert getattr(doc, key) == value
    assert doc.body == "The body begins here. It is prose."


def test_plain_title_is_first_line_and_markdown_title_first_heading(corpus):
    (corpus / "p.txt").write_text("\n\nFirst line here\nThen the text.\n", encoding="utf-8")
    (corpus / "m.md").write_text("<!-- note -->\n# The Heading\n\nBody *text*.\n", encoding="utf-8")
    assert docs_of(corpus, "p.txt")[0].title == "First line here"
    assert docs_of(corpus, "p.txt")[0].body == "Then the text."
    assert docs_of(corpus, "m.md")[0].title == "The Heading"


def test_seed_titles_are_their_first_lines():
    titles = {f.path: [d.title for d in docs_of(SEEDS, f.path)] for f in discover(SEEDS)}
    assert titles["000_ad4e16329fe5ae12.txt"] == ["Official provincial commentary on DeepSeek"]
    assert titles["002_f4ea0c5f37071933.txt"] == ["The Reality Behind DeepSeek"]
    assert titles["003_b1b7936dec78bad4.txt"] == ["The Contender No One Saw Coming"]


TEXT = "Café naïve – “quoted” 深度求索 ok"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: t.encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_unicode_encodings(corpus, encode):
    (corpus / "e.txt").write_bytes(encode(f"Title\n{TEXT}\n"))
    (doc,) = docs_of(corpus, "e.txt")
    assert doc.title == "Title"
    assert doc.body == TEXT


def test_legacy_8bit_text(corpus):
    (corpus / "l.txt").write_bytes("Title\nCafé naïve – “quoted” ok\n".encode("cp1252"))
    (doc,) = docs_of(corpus, "l.txt")
    assert doc.body == "Café naïve – “quoted” ok"


def test_undecodable_bytes_do_not_stop_indexing(corpus):
    (corpus / "u.txt").write_bytes("Title\nGood text, café, 深度求索 ".encode("utf-8") + b"\xff\xfe\x80 more\n")
    (doc,) = docs_of(corpus, "u.txt")
    assert doc.body.startswith("Good text, café, 深度求索")
    assert doc.body.endswith("more")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(corpus, name, content, reason):
    (corpus / name).write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        docs_of(corpus, name)


def small_large_files(monkeypatch) -> None:
    """Files over 64 KB count as large, read 8 KB at a time, in parts of 16 KB."""
    monkeypatch.setattr(ingest, "LARGE_FILE", 64 * 1024)
    monkeypatch.setattr(ingest, "PART_SIZE", 16 * 1024)
    monkeypatch.setattr(ingest, "READ_SIZE", 8 * 1024)


def no_whole_reads(monkeypatch) -> list:
    reads = []
    real_open = open

    def spy_open(*args, **kwargs):
        fh = real_open(*args, **kwargs)
        real_read = fh.read
        fh.read = lambda size=-1: reads.append(size) or real_read(size)  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr("builtins.open", spy_open)
    return reads


def test_very_large_file_is_streamed_in_parts(corpus, monkeypatch):
    small_large_files(monkeypatch)
    para = "Paragraph {n} about dossier and 深度求索 with enough words to be a paragraph.\n\n"
    text = "Big Book\n\n" + "".join(para.format(n=n) for n in range(3000))
    (corpus / "big.txt").write_text(text, encoding="utf-8")
    reads = no_whole_reads(monkeypatch)
    docs = docs_of(corpus, "big.txt")
    assert -1 not in reads, "a large file must never be read whole"
    assert len(docs) > 10
    assert docs[0].title == "Big Book (part 1)"
    assert len({d.id for d in docs}) == len(docs)
    joined = "\n\n".join(d.body for d in docs)
    assert joined.count("Paragraph") == 3000
    assert all(len(d.body) <= 16 * 1024 for d in docs)


def test_html_page(corpus):
    (corpus / "page.html").write_text(
        "<html><head><title>Page Title</title><meta property='og:site_name' content='Site'>"
        "<meta name='author' content='Ann Lee'><meta property='article:published_time' content='2024-05-06T07:08:09Z'>"
        "<link rel='canonical' href='https://site.example/p'></head><body><nav>Menu</nav>"
        "<article><h1>Page Title</h1><p>First &amp; <b>bold</b> paragraph.</p><script>evil()</script><p>Second.</p></article>"
        "<footer>Footer</footer></body></html>", encoding="utf-8")
    (doc,) = docs_of(corpus, "page.html")
    assert doc.title == "Page Title"
    assert doc.publisher == "Site" and doc.authors == ("Ann Lee",) and doc.url == "https://site.example/p"
    assert doc.date.startswith("2024-05-06T07:08:09")
    assert doc.body == "Page Title\n\nFirst & bold paragraph.\n\nSecond."


def test_rss_and_atom_feeds(corpus):
    (corpus / "f.rss").write_text(
        "<?xml version='1.0'?><rss xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>Chan</title>"
        "<item><title>One</title><link>https://x.example/1</link><pubDate>Mon, 06 Jan 2025 10:00:00 +0000</pubDate>"
        "<dc:creator>Kim Park</dc:creator><description><![CDATA[<p>Hello <i>there</i></p>]]></description></item>"
        "<item><title>Two</title><link>https://x.example/2</link><description>Second</description></item>"
        "</channel></rss>", encoding="utf-8")
    (corpus / "f.atom").write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>AF</title><entry><title>E1</title>"
        "<link href='https://a.example/e1'/><published>2025-02-03T04:05:06Z</published>"
        "<author><name>Sam Roe</name></author><content type='html'>&lt;p&gt;Body one&lt;/p&gt;</content></entry></feed>",
        encoding="utf-8")
    one, two = docs_of(corpus, "f.rss")
    assert (one.title, one.url, one.publisher, one.authors, one.body) == (
        "One", "https://x.example/1", "Chan", ("Kim Park",), "Hello there")
    assert one.date == "2025-01-06T10:00:00+00:00"
    assert two.body == "Second"
    (entry,) = docs_of(corpus, "f.atom")
    assert (entry.title, entry.url, entry.authors, entry.body) == ("E1", "https://a.example/e1", ("Sam Roe",), "Body one")


def test_broken_xml_feed_is_skipped(corpus):
    (corpus / "bad.xml").write_text("<rss><channel><item>", encoding="utf-8")
    with pytest.raises(SkipFile, match="broken RSS or Atom feed"):
        docs_of(corpus, "bad.xml")
    (corpus / "page.xml").write_text("<html><body>Not a feed</body></html>", encoding="utf-8")
    with pytest.raises(SkipFile, match="not an RSS or Atom feed"):
        docs_of(corpus, "page.xml")


def test_ids_are_stable_and_distinct():
    first = [d.id for f in discover(SEEDS) for d in docs_of(SEEDS, f.path)]
    again = [d.id for f in discover(SEEDS) for d in docs_of(SEEDS, f.path)]
    assert first == again and len(set(first)) == len(first) == 14


# -- encodings: judged on the whole file ----------------------------------------------------------

LATE = "Le café à Zürich coûte 5€, señor."


def test_legacy_accents_after_the_first_64_kb_are_read(corpus):
    text = "Legacy Report\n\n" + "Plain ascii paragraph about markets.\n\n" * 2000 + LATE + "\n"
    (corpus / "late.txt").write_bytes(text.encode("cp1252"))
    (doc,) = docs_of(corpus, "late.txt")
    assert doc.body.endswith(LATE)


def test_utf8_with_a_few_bad_bytes_is_read_as_utf8(corpus):
    (corpus / "mixed.txt").write_bytes(b"Mixed Title\n\nGood text \xff\xfe\x80 bad bytes then caf\xc3\xa9 ok.\n")
    (doc,) = docs_of(corpus, "mixed.txt")
    assert doc.title == "Mixed Title"
    assert doc.body == "Good text \ufffd\ufffd\ufffd bad bytes then café ok."


def test_a_large_legacy_file_is_judged_on_all_of_it(corpus, monkeypatch):
    monkeypatch.setattr(ingest, "LARGE_FILE", 64 * 1024)
    monkeypatch.setattr(ingest, "PART_SIZE", 16 * 1024)
    monkeypatch.setattr(ingest, "READ_SIZE", 8 * 1024)
    text = "Legacy Report\n\n" + "Plain ascii paragraph about markets.\n\n" * 5000 + LATE + "\n"
    (corpus / "late.txt").write_bytes(text.encode("cp1252"))
    docs = docs_of(corpus, "late.txt")
    assert len(docs) > 5 and docs[-1].body.endswith(LATE)
    assert "\n\n\n" not in "".join(d.body for d in docs)  # line breaks cut between reads normalize whole


# -- large files keep their type --------------------------------------------------------------------

def test_a_large_html_page_is_read_as_html_in_parts(corpus, monkeypatch):
    small_large_files(monkeypatch)
    paras = "".join(f"<p>Paragraph {n} of the <b>big</b> page &amp; its text.</p>\n" for n in range(3000))
    page = ("<html><head><title>Big HTML Page</title><meta property='og:site_name' content='Big Site'>"
            "<style>body { color: red }</style><script>var secret = 'scriptword';</script></head>"
            f"<body><nav>Menu links</nav><article><h1>Big HTML Page</h1>{paras}</article>"
            "<footer>Footer text</footer></body></html>")
    (corpus / "big.html").write_text(page, encoding="utf-8")
    reads = no_whole_reads(monkeypatch)
    docs = docs_of(corpus, "big.html")
    assert -1 not in reads
    assert len(docs) > 3
    assert [d.title for d in docs[:2]] == ["Big HTML Page (part 1)", "Big HTML Page (part 2)"]
    assert {d.publisher for d in docs} == {"Big Site"}
    joined = "\n\n".join(d.body for d in docs)
    assert "<" not in joined and "scriptword" not in joined and "color: red" not in joined
    assert "Menu links" not in joined and "Footer text" not in joined  # the <article> only
    assert joined.count("of the big page & its text.") == 3000
    assert all(len(d.body) <= 16 * 1024 for d in docs)


def test_a_large_feed_is_split_into_its_items(corpus, monkeypatch):
    small_large_files(monkeypatch)
    items = "".join(
        f"<item><title>Item {n}</title><link>https://x.example/{n}</link>"
        f"<description><![CDATA[<p>Text of item {n}, {'padding words ' * 20}</p>]]></description></item>"
        for n in range(400))
    (corpus / "big.rss").write_text(f"<rss><channel><title>Big Chan</title>{items}</channel></rss>", encoding="utf-8")
    reads = no_whole_reads(monkeypatch)
    docs = docs_of(corpus, "big.rss")
    assert -1 not in reads
    assert [d.title for d in docs] == [f"Item {n}" for n in range(400)]
    assert docs[7].url == "https://x.example/7" and docs[7].publisher == "Big Chan"
    assert docs[7].body.startswith("Text of item 7,") and "<" not in docs[7].body


def test_a_large_flattened_feed_is_split_into_its_items(corpus, monkeypatch):
    small_large_files(monkeypatch)
    text = (SEEDS / FEED).read_text(encoding="utf-8")
    (corpus / "feed.txt").write_text(text * 3, encoding="utf-8")  # ~150 KB: a large file here
    docs = docs_of(corpus, "feed.txt")
    assert len(docs) == 30
    assert [d.title for d in docs[:10]] == [d.title for d in docs_of(SEEDS, FEED)]
