"""Ingestion of the formats that carry markup or metadata: feeds (Atom html text, descriptions,
cut files), Markdown (front matter, inline markup) and dates with their offset from UTC."""

from __future__ import annotations

import pytest

from index.ingest import read_documents
from tests.index.conftest import docs_of


# -- feeds --------------------------------------------------------------------------------------------

def test_atom_html_titles_and_summaries_become_text(corpus):
    (corpus / "a.atom").write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><title type='html'>Feed &lt;i&gt;Name&lt;/i&gt;</title>"
        "<entry><title type='html'>Atom &lt;b&gt;Entry&lt;/b&gt; A</title><link href='https://a.example/1'/>"
        "<summary type='html'>&lt;p&gt;A &lt;em&gt;short&lt;/em&gt; summary.&lt;/p&gt;</summary></entry>"
        "<entry><title type='text'>x &lt; y</title><link href='https://a.example/2'/>"
        "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>One &amp; <b>two</b></p><p>Three</p></div></content>"
        "</entry></feed>", encoding="utf-8")
    one, two = docs_of(corpus, "a.atom")
    assert (one.title, one.body, one.publisher) == ("Atom Entry A", "A short summary.", "Feed Name")
    assert (two.title, two.body) == ("x < y", "One & two\n\nThree")


def test_a_description_that_adds_text_leads_the_body(corpus):
    (corpus / "f.rss").write_text(
        "<rss xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>C</title>"
        "<item><title>Video</title><link>https://x.example/v</link>"
        "<description>A short talk about tariffs and chips.</description>"
        "<content:encoded><![CDATA[<p>Watch the video.</p>]]></content:encoded></item>"
        "<item><title>Excerpt</title><link>https://x.example/e</link>"
        "<description><![CDATA[<p>The full text begins like this and goes on [&#8230;]</p>"
        "<p>The post Excerpt appeared first on C.</p>]]></description>"
        "<content:encoded><![CDATA[<p>The full text begins like this and goes on for a while.</p>"
        "<p>The post Excerpt appeared first on C.</p>]]></content:encoded></item>"
        "</channel></rss>", encoding="utf-8")
    video, excerpt = docs_of(corpus, "f.rss")
    assert video.body == "A short talk about tariffs and chips.\n\nWatch the video."
    assert excerpt.body == "The full text begins like this and goes on for a while."  # not twice, no footer


def test_feed_descriptions_of_the_seed_feed_are_searchable(seeds_library):
    hits = seeds_library.search("drastic").hits
    assert [h.title for h in hits] == ["Where is China’s Juggernaut Economy Headed?"]
    doc = seeds_library.document(hits[0].id)
    assert doc.body.count("help avoid drastic shifts") == 1
    assert "first appeared on" not in doc.body


def test_a_truncated_rss_file_gives_its_complete_items_with_a_warning(corpus):
    feed = ("<?xml version='1.0'?><rss><channel><title>Chan</title>"
            + "".join(f"<item><title>Item {n}</title><link>https://x.example/{n}</link>"
                      f"<description>Text {n}.</description></item>" for n in range(3))
            + "<item><title>Item 3</title><link>https://x.exa")
    (corpus / "broken.xml").write_text(feed, encoding="utf-8")
    warnings = []
    docs = list(read_documents(corpus, "broken.xml", warn=warnings.append))
    assert [d.title for d in docs] == ["Item 0", "Item 1", "Item 2"]
    assert len(warnings) == 1 and "3 complete items" in warnings[0] and "\n" not in warnings[0]


# -- markdown ---------------------------------------------------------------------------------------

def test_markdown_front_matter_is_metadata_and_not_body(corpus):
    (corpus / "post.md").write_text(
        "---\ntitle: \"Front *Matter* Title\"\nauthor: Jane Doe\ndate: 2025-03-30\ntags: [a, b]\n---\n\n"
        "Intro line.\n\n## Part one\n\nSome **bold** text.\n", encoding="utf-8")
    (doc,) = docs_of(corpus, "post.md")
    assert (doc.title, doc.authors, doc.date) == ("Front Matter Title", ("Jane Doe",), "2025-03-30")
    assert doc.body == "Intro line.\n\nPart one\n\nSome bold text."


@pytest.mark.parametrize(
    ("markdown", "body"),
    [
        ("Some **bold** text", "Some bold text"),
        ("__strong__ and *em* and _em_", "strong and em and em"),
        ("***both*** and **bold with *em* inside**", "both and bold with em inside"),
        ("snake_case_name, 2*3*4 and 2 * 3", "snake_case_name, 2*3*4 and 2 * 3"),
        ("a [link](https://x.example/a_b) here", "a link here"),
        ("* a list item with *em*", "* a list item with em"),
    ],
)
def test_markdown_inline_markup_is_stripped(corpus, markdown, body):
    (corpus / "m.md").write_text(f"# Title\n\n{markdown}\n", encoding="utf-8")
    (doc,) = docs_of(corpus, "m.md")
    assert doc.body == body


def test_markdown_snippets_mark_only_the_match(library, corpus):
    (corpus / "m.md").write_text("# Title\n\nSome **bold** text about zebras.\n", encoding="utf-8")
    library.update()
    (hit,) = library.search("bold").hits
    assert hit.snippet.marked() == "Some **bold** text about zebras."
    body = library.document(hit.id).body
    assert [body[s:e] for s, e in hit.matches] == ["bold"]


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


def test_feed_items_come_as_the_text_is_read():
    from index.feeds import iter_xml_feed

    read = []

    def chunks():
        yield "<rss><channel><title>C</title>"
        for n in range(5):
            read.append(n)
            yield f"<item><title>I{n}</title><link>https://x.example/{n}</link></item>"
        yield "</channel></rss>"

    items = iter_xml_feed(chunks())
    assert next(items)["title"] == "I0" and read == [0]  # not the whole feed first
    assert [i["title"] for i in items] == ["I1", "I2", "I3", "I4"]
