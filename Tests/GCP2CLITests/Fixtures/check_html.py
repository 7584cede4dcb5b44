#!/usr/bin/env python3
"""Checks gcp2's HTML reports: strict HTML5 parse, no script, nothing external, every chart labelled.

Usage: check_html.py FILE.html...
Prints JSON per file: "problems" (empty when sound), "charts" (svg count) and "tables" (id -> rows of cell text,
the header row first) so the Swift test can compare the numbers with the review's.
"""
import json
import re
import sys

import html5lib

H = "{http://www.w3.org/1999/xhtml}"
S = "{http://www.w3.org/2000/svg}"
EXTERNAL = re.compile(r"(https?:|ftp:|//|file:|data:|javascript:)", re.I)


def text(e):
    return re.sub(r"\s+", " ", "".join(e.itertext())).strip()


def check(path):
    problems = []
    raw = open(path, "rb").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(raw)
    except Exception as e:  # strict mode raises on the first parse error
        return {"problems": ["not valid HTML5: %s %s" % (e, parser.errors[:3])], "charts": 0, "tables": {}}
    if root.get("lang") in (None, ""):
        problems.append("no lang on <html>")
    for e in root.iter():
        tag = e.tag if isinstance(e.tag, str) else ""
        local = tag.split("}")[-1]
        if local in ("script", "iframe", "object", "embed", "img", "link", "base", "form", "video", "audio", "source"):
            problems.append("element <%s> is not allowed" % local)
        for k, v in e.attrib.items():
            name = k.split("}")[-1]
            if name.startswith("on"):
                problems.append("event handler attribute %s" % name)
            if name in ("href", "src", "srcset", "action", "poster", "xlink:href") and not v.startswith("#"):
                problems.append("reference %s=%r" % (name, v))
            if name == "style" or (name in ("fill", "stroke") and "url(" in v and "url(#" not in v):
                if EXTERNAL.search(v):
                    problems.append("external URL in %s" % name)
        if local == "style":
            css = e.text or ""
            if "@import" in css or re.search(r"url\(\s*['\"]?(?!#)", css):
                problems.append("the stylesheet loads something")
        if local == "meta" and e.get("http-equiv", "").lower() == "refresh":
            problems.append("meta refresh")
    svgs = list(root.iter(S + "svg"))
    ids = set()
    for e in root.iter():
        if e.get("id"):
            if e.get("id") in ids:
                problems.append("duplicate id %s" % e.get("id"))
            ids.add(e.get("id"))
    for svg in svgs:
        kids = [c for c in svg if isinstance(c.tag, str)]
        if svg.get("role") != "img":
            problems.append("svg %s has no role=img" % svg.get("id"))
        if not kids or kids[0].tag != S + "title" or not text(kids[0]):
            problems.append("svg %s does not start with a <title>" % svg.get("id"))
        if len(kids) < 2 or kids[1].tag != S + "desc" or not text(kids[1]):
            problems.append("svg %s has no <desc>" % svg.get("id"))
    table_ids = {t.get("id") for t in root.iter(H + "table")}
    for svg in svgs:
        if svg.get("data-table") not in table_ids:
            problems.append("svg %s names no table of its numbers" % svg.get("id"))
    for fig in root.iter(H + "figure"):
        if len(list(fig.iter(S + "svg"))) != 1:
            problems.append("a figure without exactly one chart")
    tables = {}
    for t in root.iter(H + "table"):
        rows = [[text(c) for c in tr if c.tag in (H + "th", H + "td")] for tr in t.iter(H + "tr")]
        tables[t.get("id")] = rows
    return {"problems": problems, "charts": len(svgs), "tables": tables}


print(json.dumps({p: check(p) for p in sys.argv[1:]}, ensure_ascii=False, sort_keys=True))
