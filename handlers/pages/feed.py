"""The Atom feed (RFC 4287): one entry per minutes and per weekly digest, each linking to its page. Written with
ElementTree, which escapes every text and attribute."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    updated: datetime
    summary: str


def _stamp(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(*, title: str, feed_id: str, self_url: str, home_url: str, updated: datetime, lang: str,
         entries: Sequence[Entry]) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    ET.SubElement(root, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _stamp(updated)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": home_url})
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "Relais"
    ET.SubElement(root, f"{{{ATOM}}}generator").text = "Relais"
    for e in entries:
        item = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = e.id
        ET.SubElement(item, f"{{{ATOM}}}title").text = e.title
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": e.url})
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _stamp(e.updated)
        ET.SubElement(item, f"{{{ATOM}}}summary").text = e.summary
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
