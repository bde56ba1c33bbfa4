"""Rendering minutes from a stored record (pure: no Matrix, no database): every section, in French and
English, as plain text, room HTML, Markdown, a standalone HTML page and JSON; user text escaped."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.meetings import minutes as M
from storage.records import ActionSnapshot, AttendanceRecord, ItemRecord, MeetingDetails, MeetingRecord, SpeakerRecord
from storage.records import Person as Who

T0 = datetime(2021, 4, 27, 18, 0, tzinfo=UTC)  # 20:00 in Paris
CLAIRE = Who("@claire:pacte.example", "Claire")
ANNIE = Who("@annie:pacte.example", "Annie Martin")
BERTRAND = Who("@bertrand:pacte.example", "Bertrand Dupont")
NICOLAS = Who(None, "Nicolas Desquinabo")
ZOE = Who("@zoe:pacte.example", "Zoé")


def meeting(**changes) -> MeetingRecord:
    values = dict(id=7, room_id="!salon:pacte.example", number=3, title="Plénière d'avril", started_at=T0,
                  started_by=CLAIRE, ended_at=T0 + timedelta(minutes=95), ended_by=CLAIRE.user_id, chair=CLAIRE,
                  scribe=ANNIE, current_topic_id=None)
    values.update(changes)
    return MeetingRecord(**values)


def item(id, kind, text, topic=None, url=None, author=ANNIE):
    return ItemRecord(id, 7, topic, kind, text, url, author, T0 + timedelta(minutes=id))


def attendance(person, status, reason=None, minute=0):
    return AttendanceRecord(person.user_id or "~" + person.name.lower(), person, status, reason, CLAIRE.user_id,
                            T0 + timedelta(minutes=minute))


def action(number, text, owners=(), due=None, has_time=False, meeting_id=7, meeting_number=3, topic=None,
           status="open"):
    return ActionSnapshot(number, text, status, tuple(owners), due, has_time, meeting_id, meeting_number, topic, T0)


ITEMS = (
    item(1, "info", "ordre du jour adopté"),
    item(2, "topic", "Collectif énergie"),
    item(3, "idea", "un atelier vélo", topic=2),
    item(4, "info", "le bilan 2020 est prêt", topic=2, author=BERTRAND),
    item(5, "decision", "on adopte le budget", topic=2),
    item(6, "link", "Bilan 2020", topic=2, url="https://example.org/bilan"),
    item(8, "topic", "Collectif mobilité", author=CLAIRE),
    item(9, "link", "https://example.org/carte", topic=8, url="https://example.org/carte"),
    item(10, "topic", "Divers", author=CLAIRE),
)
ACTIONS = (
    action(1, "écrire le tract", [ANNIE], due=datetime(2021, 5, 15, 21, 59, tzinfo=UTC), meeting_id=5,
           meeting_number=2),
    action(2, "réserver la salle", [], meeting_id=None, meeting_number=None),
    action(4, "relancer la mairie", [BERTRAND, NICOLAS], due=datetime(2021, 4, 30, 16, 0, tzinfo=UTC),
           has_time=True, topic=2),
    action(5, "trouver un local", [], topic=8),
    action(6, "action annulée", [ANNIE], topic=8, status="cancelled"),
    action(3, "vieille action faite", [ANNIE], meeting_id=5, meeting_number=2, status="done"),
)


def details(**changes) -> MeetingDetails:
    values = dict(
        meeting=meeting(),
        attendance=(attendance(ANNIE, "present"), attendance(BERTRAND, "present", minute=1),
                    attendance(NICOLAS, "present", minute=2), attendance(Who(None, "Camille R"), "excused", "malade"),
                    attendance(Who("@denis:pacte.example", "Denis"), "late", "arrivé à 20h30")),
        items=ITEMS,
        speakers=(SpeakerRecord(ZOE.user_id, "Zoé", T0), SpeakerRecord(ANNIE.user_id, "Annie Martin", T0)),
        actions=ACTIONS,
    )
    values.update(changes)
    return MeetingDetails(**values)


def sections(text: str) -> list[str]:
    return text.split("\n\n")


FRENCH = [
    "Compte rendu de la réunion n°3 : Plénière d'avril\n"
    "mardi 27 avril 2021, de 20h00 à 21h35 (Europe/Paris)\n"
    "Présents (3) : Annie Martin, Bertrand Dupont, Nicolas Desquinabo\n"
    "Excusés (1) : Camille R (malade)\n"
    "En retard (1) : Denis (arrivé à 20h30)\n"
    "Présidence : Claire\n"
    "Rédaction : Annie Martin\n"
    "Ont aussi pris la parole (non notés présents) : Claire, Zoé",
    "Général\n"
    "• Info : ordre du jour adopté",
    "1. Collectif énergie\n"
    "• Info : le bilan 2020 est prêt\n"
    "• Décision : on adopte le budget\n"
    "• Idée : un atelier vélo\n"
    "• Lien : Bilan 2020 — https://example.org/bilan\n"
    "• Action #4 relancer la mairie — Bertrand Dupont, Nicolas Desquinabo — vendredi 30 avril 2021 à 18h00",
    "2. Collectif mobilité\n"
    "• Lien : https://example.org/carte\n"
    "• Action #5 trouver un local",
    "3. Divers\n"
    "Rien de noté.",
    "Actions par personne\n"
    "Annie Martin\n"
    "• #1 écrire le tract — samedi 15 mai 2021 (en cours, réunion n°2)\n"
    "Bertrand Dupont\n"
    "• #4 relancer la mairie — avec Nicolas Desquinabo — vendredi 30 avril 2021 à 18h00\n"
    "Nicolas Desquinabo\n"
    "• #4 relancer la mairie — avec Bertrand Dupont — vendredi 30 avril 2021 à 18h00\n"
    "Sans responsable\n"
    "• #5 trouver un local\n"
    "• #2 réserver la salle (en cours)",
]


def test_french_minutes_section_by_section():
    text = M.rendered(M.build(details(), tz="Europe/Paris"), "fr").plain
    assert sections(text) == FRENCH


def test_english_minutes_section_by_section():
    text = M.rendered(M.build(details(), tz="Europe/Paris"), "en").plain
    got = sections(text)
    assert got[0] == (
        "Minutes of meeting 3: Plénière d'avril\n"
        "Tuesday 27 April 2021, 20:00 to 21:35 (Europe/Paris)\n"
        "Present (3): Annie Martin, Bertrand Dupont, Nicolas Desquinabo\n"
        "Excused (1): Camille R (malade)\n"
        "Late (1): Denis (arrivé à 20h30)\n"
        "Chair: Claire\n"
        "Minute-taker: Annie Martin\n"
        "Also spoke (not marked present): Claire, Zoé")
    assert got[1] == "General\n• Info: ordre du jour adopté"
    assert got[2].splitlines() == [
        "1. Collectif énergie", "• Info: le bilan 2020 est prêt", "• Decision: on adopte le budget",
        "• Idea: un atelier vélo", "• Link: Bilan 2020 — https://example.org/bilan",
        "• Action #4 relancer la mairie — Bertrand Dupont, Nicolas Desquinabo — Friday 30 April 2021 at 18:00"]
    assert got[4] == "3. Divers\nNothing recorded."
    assert got[5].splitlines()[:3] == [
        "Actions by person", "Annie Martin", "• #1 écrire le tract — Saturday 15 May 2021 (ongoing, from meeting 2)"]
    assert got[5].splitlines()[-3:] == ["Unassigned", "• #5 trouver un local", "• #2 réserver la salle (ongoing)"]


def test_times_follow_the_room_time_zone():
    text = M.rendered(M.build(details(), tz="America/Montreal"), "fr").plain
    assert "mardi 27 avril 2021, de 14h00 à 15h35 (America/Montreal)" in text
    assert "#4 relancer la mairie — Bertrand Dupont, Nicolas Desquinabo — vendredi 30 avril 2021 à 12h00" in text


def test_a_meeting_over_midnight_shows_both_days():
    m = meeting(started_at=datetime(2021, 4, 27, 21, 30, tzinfo=UTC), ended_at=datetime(2021, 4, 27, 22, 30, tzinfo=UTC))
    text = M.rendered(M.build(details(meeting=m), tz="Europe/Paris"), "fr").plain
    assert "Du mardi 27 avril 2021 à 23h30 au mercredi 28 avril 2021 à 0h30 (Europe/Paris)" in text


def test_an_empty_meeting_says_so():
    d = details(meeting=meeting(title=None, scribe=None), attendance=(), items=(), speakers=(), actions=())
    assert sections(M.rendered(M.build(d, tz="Europe/Paris"), "fr").plain) == [
        "Compte rendu de la réunion n°3\n"
        "mardi 27 avril 2021, de 20h00 à 21h35 (Europe/Paris)\n"
        "Présents : personne n'a été noté présent\n"
        "Présidence : Claire\n"
        "Rédaction : non désignée\n"
        "Ont aussi pris la parole (non notés présents) : Claire",
        "Aucun sujet noté.",
        "Actions par personne\nAucune action.",
    ]


def test_a_draft_uses_the_live_actions_and_says_it_is_in_progress():
    d = details(meeting=meeting(ended_at=None, ended_by=None), actions=None)
    live = [action(9, "nouvelle action", [ZOE], topic=10)]
    text = M.rendered(M.build(d, live, tz="Europe/Paris"), "fr").plain
    first = sections(text)[0].splitlines()
    assert first[:2] == ["Brouillon du compte rendu de la réunion n°3 : Plénière d'avril (réunion en cours)",
                         "mardi 27 avril 2021, depuis 20h00 (Europe/Paris)"]
    assert "3. Divers\n• Action #9 nouvelle action — Zoé" in text
    assert "#4" not in text  # the stored snapshot is not there yet: only the live actions count


def test_an_ended_meeting_ignores_live_actions():
    text = M.rendered(M.build(details(), [action(99, "plus tard")], tz="Europe/Paris"), "fr").plain
    assert "#99" not in text and "#4 relancer la mairie" in text


def test_html_has_pills_for_members_and_escapes_user_text():
    evil = Who("@eve:pacte.example", 'Eve <img src=x onerror="alert(1)">')
    d = details(
        meeting=meeting(title="<script>alert(1)</script>", scribe=evil),
        items=(item(1, "topic", "<b>gras</b> & co"), item(2, "info", "a < b", topic=1),
               item(3, "link", 'le "site"', topic=1, url='https://x.org/?a=1&b="2"')),
    )
    out = M.rendered(M.build(d, tz="Europe/Paris"), "fr")
    assert "<script>" not in out.html and "<img" not in out.html and "<b>gras</b>" not in out.html
    assert "Compte rendu de la réunion n°3 : &lt;script&gt;alert(1)&lt;/script&gt;</b>" in out.html
    assert '<a href="https://matrix.to/#/@eve:pacte.example">Eve &lt;img src=x onerror="alert(1)"&gt;</a>' in out.html
    assert "<b>1. &lt;b&gt;gras&lt;/b&gt; &amp; co</b><ul><li><b>Info :</b> a &lt; b</li>" in out.html
    assert '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">le "site"</a>' in out.html
    assert "Nicolas Desquinabo" in out.html and "matrix.to/#/None" not in out.html  # an outsider: no pill
    # the plain body keeps the text as typed
    assert "1. <b>gras</b> & co\n• Info : a < b" in out.plain


def test_markdown_export_escapes_and_structures():
    d = details(items=(item(1, "topic", "*énergie* #1"), item(2, "info", "a_b [x](y) & <i>", topic=1),
                       item(3, "link", "Bilan", topic=1, url="https://example.org/a b")))
    md = M.markdown(M.build(d, tz="Europe/Paris"), "fr")
    lines = md.splitlines()
    assert lines[0] == "# Compte rendu de la réunion n°3 : Plénière d'avril  "
    assert "**Présents (3) :** Annie Martin, Bertrand Dupont, Nicolas Desquinabo  " in lines
    assert "## 1. \\*énergie\\* \\#1" in lines
    assert "- **Info :** a\\_b \\[x\\](y) \\& \\<i\\>" in lines
    assert "- **Lien :** [Bilan](<https://example.org/a%20b>)" in lines
    assert "## Actions par personne" in lines
    assert md.endswith("\n")


def test_html_document_is_a_page_without_pills():
    page = M.html_document(M.build(details(), tz="Europe/Paris"), "en")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Minutes of meeting 3: Plénière d'avril</title>" in page
    assert "<b>Present (3):</b> Annie Martin, Bertrand Dupont, Nicolas Desquinabo" in page
    assert "matrix.to" not in page


def test_json_is_the_structured_record():
    data = M.to_json(M.build(details(), tz="Europe/Paris"))
    assert (data["number"], data["title"], data["draft"]) == (3, "Plénière d'avril", False)
    assert data["ended_at"] == "2021-04-27T19:35:00+00:00"
    assert [p["name"] for p in data["present"]] == ["Annie Martin", "Bertrand Dupont", "Nicolas Desquinabo"]
    assert data["excused"] == [{"user_id": None, "name": "Camille R", "reason": "malade"}]
    assert data["scribe"] == {"user_id": "@annie:pacte.example", "name": "Annie Martin"}
    assert [t["title"] for t in data["topics"]] == [None, "Collectif énergie", "Collectif mobilité", "Divers"]
    assert [(i["kind"], i["text"]) for i in data["topics"][1]["items"]] == [
        ("info", "le bilan 2020 est prêt"), ("decision", "on adopte le budget"), ("idea", "un atelier vélo"),
        ("link", "Bilan 2020")]
    assert data["topics"][1]["actions"] == [4]
    assert [(a["number"], a["new"]) for a in data["actions"]] == [(4, True), (5, True), (1, False), (2, False)]
    assert data["unassigned_actions"] == [5, 2]
    assert [g["person"]["name"] for g in data["actions_by_person"]] == [
        "Annie Martin", "Bertrand Dupont", "Nicolas Desquinabo"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_section_heading_exists_in_both_languages(lang):
    text = M.rendered(M.build(details(), tz="Europe/Paris"), lang).plain
    for fr, en in [("Compte rendu", "Minutes of"), ("Présents", "Present"), ("Excusés", "Excused"),
                   ("En retard", "Late"), ("Rédaction", "Minute-taker"), ("Actions par personne", "Actions by person")]:
        assert (fr if lang == "fr" else en) in text
        assert (en if lang == "fr" else fr) not in text
