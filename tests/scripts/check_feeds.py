"""Checks the site's feeds with real parsers: the Atom feed with Python's
feedparser (which must parse it cleanly as Atom 1.0), and the JSON Feed
against JSON Feed 1.1's required fields and types (feedparser 6 does not read
JSON Feed). Prints the entry counts as JSON; exits non-zero on any problem.

Usage: python check_feeds.py ATOM_FILE JSON_FEED_FILE
"""

import json
import sys
from datetime import datetime

import feedparser


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check_atom(path):
    with open(path, "rb") as f:
        feed = feedparser.parse(f.read())
    if feed.bozo:
        fail(f"feedparser: {path} is not well-formed: {feed.bozo_exception}")
    if feed.version != "atom10":
        fail(f"feedparser: {path} is {feed.version!r}, not Atom 1.0")
    for field in ("title", "id", "updated"):
        if not feed.feed.get(field):
            fail(f"feedparser: the Atom feed has no {field}")
    for entry in feed.entries:
        for field in ("title", "id", "link", "updated"):
            if not entry.get(field):
                fail(f"feedparser: an Atom entry has no {field}: {entry.get('id')}")
    return len(feed.entries)


def rfc3339(value, where):
    if not isinstance(value, str):
        fail(f"JSON Feed: {where} is not a string")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        fail(f"JSON Feed: {where} is not an RFC 3339 date: {value!r}")


def strings(obj, fields, where):
    for field in fields:
        if field in obj and not isinstance(obj[field], str):
            fail(f"JSON Feed: {where}.{field} is not a string")


def check_authors(obj, where):
    authors = obj.get("authors", [])
    if not isinstance(authors, list):
        fail(f"JSON Feed: {where}.authors is not an array")
    for author in authors:
        if not isinstance(author, dict) or not any(k in author for k in ("name", "url", "avatar")):
            fail(f"JSON Feed: {where}.authors has an author without name, url or avatar")


def check_json_feed(path):
    with open(path, encoding="utf-8") as f:
        feed = json.load(f)
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        fail(f"JSON Feed: version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        fail("JSON Feed: title is required")
    if not isinstance(feed.get("items"), list):
        fail("JSON Feed: items is required and must be an array")
    strings(feed, ("home_page_url", "feed_url", "description", "language"), "feed")
    check_authors(feed, "feed")
    ids = set()
    for n, item in enumerate(feed["items"]):
        where = f"items[{n}]"
        if not isinstance(item.get("id"), str) or not item["id"]:
            fail(f"JSON Feed: {where}.id is required and must be a string")
        if item["id"] in ids:
            fail(f"JSON Feed: {where}.id repeats {item['id']!r}")
        ids.add(item["id"])
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            fail(f"JSON Feed: {where} needs content_html or content_text")
        strings(item, ("url", "title", "summary", "image"), where)
        for field in ("date_published", "date_modified"):
            if field in item:
                rfc3339(item[field], f"{where}.{field}")
        check_authors(item, where)
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            fail(f"JSON Feed: {where}.tags is not an array of strings")
    return len(feed["items"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail(__doc__)
    print(json.dumps({"atom": check_atom(sys.argv[1]), "json_feed": check_json_feed(sys.argv[2])}))
