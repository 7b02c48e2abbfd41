"""Ingestion: feeds split per article, byline metadata, titles, encodings, bad and huge files."""

from __future__ import annotations

import re

import pytest

from index import ingest
from index.ingest import SkipFile, discover, read_documents
from index.paths import SEEDS

FEED = "001_cc206f8e9133d8aa.txt"
BYLINE = "004_ac284193695ea43d.txt"


def docs_of(corpus, name):
    return list(read_documents(corpus, name))


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
    assert first.body.startswith("Editor’s Note:")
    assert "Silicon Valley is reeling." in first.body


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
    assert docs[1].body == "Full text of Markets Rally, first paragraph.\n\nSecond paragraph."
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


def test_very_large_file_is_streamed_in_parts(corpus, monkeypatch):
    monkeypatch.setattr(ingest, "LARGE_FILE", 64 * 1024)
    monkeypatch.setattr(ingest, "PART_SIZE", 16 * 1024)
    para = "Paragraph {n} about dossier and 深度求索 with enough words to be a paragraph.\n\n"
    text = "Big Book\n\n" + "".join(para.format(n=n) for n in range(3000))
    (corpus / "big.txt").write_text(text, encoding="utf-8")
    reads = []
    real_open = open

    def spy_open(*args, **kwargs):
        fh = real_open(*args, **kwargs)
        real_read = fh.read
        fh.read = lambda size=-1: reads.append(size) or real_read(size)  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr("builtins.open", spy_open)
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
    with pytest.raises(SkipFile, match="not an RSS or Atom feed"):
        docs_of(corpus, "bad.xml")


def test_ids_are_stable_and_distinct():
    first = [d.id for f in discover(SEEDS) for d in docs_of(SEEDS, f.path)]
    again = [d.id for f in discover(SEEDS) for d in docs_of(SEEDS, f.path)]
    assert first == again and len(set(first)) == len(first) == 14


# -- dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-03-30T12:00:00+02:00", "2025-03-30T12:00:00+02:00"),
        ("2025-03-30T12:00:00Z", "2025-03-30T12:00:00+00:00"),
        ("2024-05-06T07:08:09.123Z", "2024-05-06T07:08:09+00:00"),
        ("2025-03-30T23:30:00-0530", "2025-03-30T23:30:00-05:30"),
        ("2025-03-30 12:00", "2025-03-30T12:00:00"),
        ("2025-03-30", "2025-03-30"),
        ("Sun, 26 Jan 2025 18:00:00 +0000", "2025-01-26T18:00:00+00:00"),
        ("Published: 8 Feb 2025", "2025-02-08"),
    ],
)
def test_dates_keep_their_offset_from_utc(text, iso):
    from index.dates import parse_date

    assert parse_date(text) == iso


def test_a_date_with_an_offset_is_found_on_its_own_day(library, corpus):
    (corpus / "f.atom").write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>AF</title><entry><title>Late</title>"
        "<link href='https://a.example/late'/><published>2025-03-30T23:30:00-05:00</published>"
        "<summary>Evening news.</summary></entry><entry><title>Early</title><link href='https://a.example/early'/>"
        "<published>2025-03-31T00:30:00Z</published><summary>Morning news.</summary></entry></feed>", encoding="utf-8")
    library.update()
    assert {d.title: d.date for d in library.browse()} == {
        "Late": "2025-03-30T23:30:00-05:00", "Early": "2025-03-31T00:30:00+00:00"}
    assert titles_of(library.search("date:[2025-03-30 TO 2025-03-30]")) == ["Late"]
    assert titles_of(library.search("date:[2025-03-31 TO 2025-04-01]")) == ["Early"]


def titles_of(result) -> list[str]:
    return [h.title for h in result.hits]
