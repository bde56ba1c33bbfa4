"""Issue 9, reliability and security: what runs is what people read, names cannot pass for someone
else, invisible or look-alike characters do not hide commands, and a flood of commands is slowed down."""
from dataclasses import replace
from datetime import timedelta

import pytest
from nio import MatrixRoom, RoomMessageText

from bot.config import ConfigError, parse
from bot.convert import clean_name, command_text, members_of, to_message
from handlers.core.interface import Member, Reply
from handlers.core.ratelimit import RateLimit, RateLimiter, parse_rate_limit
from handlers.core.router import Router, clean_text
from tests.unit.conftest import ROOM

ALICE = "@alice:pacte.example"
BOB = "@bob:pacte.example"
MALLORY = "@mallory:pacte.example"
COORD = "@coord:pacte.example"
HTML = "org.matrix.custom.html"
REFUSAL_FR = ("Ce message ne se lit pas pareil en texte et en HTML : je n'exécute rien. "
              "Renvoyez la commande en texte simple.")


def pill(user_id: str, text: str) -> str:
    return f'<a href="https://matrix.to/#/{user_id}">{text}</a>'


def html(body: str, formatted: str, **extra) -> tuple[str, dict]:
    return body, {"body": body, "format": HTML, "formatted_body": formatted, **extra}


def nio_room(*members: tuple[str, str | None], powers: dict[str, int] | None = None) -> MatrixRoom:
    room = MatrixRoom(ROOM, "@relais:pacte.example")
    for user_id, name in members:
        room.add_member(user_id, name, None)
    for user_id, level in (powers or {}).items():
        room.power_levels.users[user_id] = level
    return room


def nio_event(sender: str, content: dict, clock, n: int = 1) -> RoomMessageText:
    return RoomMessageText.from_dict({
        "type": "m.room.message", "event_id": f"$trust{n}", "sender": sender,
        "origin_server_ts": int(clock.now().timestamp() * 1000),
        "content": {"msgtype": "m.text", **content},
    })


def replies(effects) -> list[str]:
    return [e.content.plain for e in effects if isinstance(e, Reply)]


# ---- (4) hidden commands: the HTML and the plain body must say the same thing -----------------------------

@pytest.mark.parametrize("body, formatted, conflicting", [
    ("Bonne soirée", "!action annuler 17", "!action annuler 17"),  # a command only the HTML holds
    ("!action annuler 17", "Bonne soirée", "Bonne soirée"),  # a command only the body holds
    ("!action fait 1", "!action annuler 1", "!action annuler 1"),  # two different commands
    ("!action fait 1", "!action fait 1<span>7</span>", "!action fait 17"),
    ("Bonne soirée", "Bonne soirée<br>!action annuler 17", "Bonne soirée\n!action annuler 17"),
])
def test_a_command_on_one_side_only_is_a_disagreement(body, formatted, conflicting):
    assert command_text(*html(body, formatted)) == (body, [], conflicting)  # no pill: the body is parsed


def test_with_pills_the_html_is_parsed_and_the_body_checked():
    # The HTML (with a pill) runs a command; the body shows something else.
    text, pills, conflicting = command_text(*html(
        "Bonne soirée Bertrand", f"!action annuler 17 {pill('@bertrand:pacte.example', 'Bertrand')}"))
    assert text == "!action annuler 17 @bertrand:pacte.example" and pills == ["@bertrand:pacte.example"]
    assert conflicting == "Bonne soirée Bertrand"


@pytest.mark.parametrize("body, formatted", [
    # a pill shows as its text, as the user id, or as @ and its text
    ("!action Bertrand D. relancer", f"!action {pill('@bertrand:pacte.example', 'Bertrand D.')} relancer"),
    ("!action @bertrand:pacte.example relancer", f"!action {pill('@bertrand:pacte.example', 'Bertrand D.')} relancer"),
    ("!action @Bertrand D. relancer", f"!action {pill('@bertrand:pacte.example', 'Bertrand D.')} relancer"),
    # Markdown the client turned into HTML
    ("!info relire le **compte rendu** _vite_", "!info relire le <strong>compte rendu</strong> <em>vite</em>"),
    ("!info\n- point a\n- point b", "<p>!info</p>\n<ul>\n<li>point a</li>\n<li>point b</li>\n</ul>"),
    ("!info\n1. un\n2. deux", "<p>!info</p><ol><li>un</li><li>deux</li></ol>"),
    ("!lien [le doc](https://ex.org/doc) à lire", '!lien <a href="https://ex.org/doc">le doc</a> à lire'),
    ("!info `code` & <b>", "!info <code>code</code> &amp; &lt;b&gt;"),
    # spacing, entities, full-width forms and invisible characters
    ("!aide   action", "!aide\u00a0action"),
    ("！ping", "!ping"),
    ("!pi\u200bng", "!ping"),
    ("Bonne soirée", "<p>Bonne   soirée</p>"),
])
def test_the_same_reading_is_no_disagreement(body, formatted):
    assert command_text(*html(body, formatted)).conflicting is None


def test_a_pill_target_cannot_add_words_to_the_command():
    formatted = '!action <a href="https://matrix.to/#/@bob:pacte.example%20annuler%2017">Bob</a> relancer'
    text, pills, conflicting = command_text(*html("!action Bob relancer", formatted))
    assert (text, pills, conflicting) == ("!action Bob relancer", [], None)  # a plain link, not a pill


def test_reply_fallbacks_are_dropped_on_both_sides_before_comparing():
    relates = {"m.relates_to": {"m.in_reply_to": {"event_id": "$x"}}}
    body, content = html("> <@annie:pacte.example> on fait quoi ?\n\n!aide",
                         "<mx-reply><blockquote>on fait quoi ?</blockquote></mx-reply>!aide", **relates)
    assert command_text(body, content) == ("!aide", [], None)
    # a command hidden in the HTML's reply fallback is not run, and the bodies disagree
    body, content = html("Bonne soirée", "<mx-reply>!action annuler 17</mx-reply>Bonne soirée", **relates)
    assert command_text(body, content) == ("Bonne soirée", [], None)


def test_html_no_client_shows_does_not_count():
    text, _, conflicting = command_text(*html("Bonne soirée", "Bonne soirée<style>!action annuler 17</style>"))
    assert (text, conflicting) == ("Bonne soirée", None)


async def test_a_hidden_command_runs_nothing_and_says_why(chat):
    chat.join(ALICE, "Alice")
    await chat.say("!action relancer la mairie", sender=ALICE)
    room = nio_room((ALICE, "Alice"))
    body, content = html("Bonne soirée", "!action annuler 1")
    msg = to_message(room, nio_event(ALICE, content, chat.clock))
    assert msg.text == "Bonne soirée" and msg.conflicting_text == "!action annuler 1"
    assert replies(await chat.router.handle(msg)) == [REFUSAL_FR]
    listing = (await chat.reply("!action liste", sender=ALICE)).content.plain
    assert "#1 relancer la mairie" in listing  # not cancelled

    # the other way round: the body holds the command, the HTML shows something else
    body, content = html("!action annuler 1", "Bonne soirée")
    msg = to_message(room, nio_event(ALICE, content, chat.clock, 2))
    assert replies(await chat.router.handle(msg)) == [REFUSAL_FR]
    assert "#1 relancer la mairie" in (await chat.reply("!action liste", sender=ALICE)).content.plain

    await chat.say("!réglages langue en", sender=ALICE)  # (alice is no coordinator: nothing changes)
    msg = replace(msg, conflicting_text="Good evening")
    assert replies(await chat.router.handle(msg)) == [REFUSAL_FR]


async def test_the_refusal_is_in_the_rooms_language(chat):
    chat.join(COORD, "Coord", power=50)
    await chat.say("!settings language en", sender=COORD)
    room = nio_room((ALICE, "Alice"))
    msg = to_message(room, nio_event(ALICE, html("Good evening", "!ping")[1], chat.clock))
    assert replies(await chat.router.handle(msg)) == [
        "This message does not read the same as text and as HTML: I am not running anything. "
        "Send the command again as plain text."]


async def test_chatter_whose_two_texts_differ_is_not_a_command(chat):
    room = nio_room((ALICE, "Alice"))
    msg = to_message(room, nio_event(ALICE, html("Bonne soirée", "Bonsoir à tous")[1], chat.clock))
    assert msg.conflicting_text == "Bonsoir à tous"
    assert not chat.router.is_command(msg.text, msg.conflicting_text)
    assert await chat.router.handle(msg) == []


async def test_a_pill_command_that_reads_the_same_runs(chat):
    room = nio_room((ALICE, "Alice"), (BOB, "Bob Martin"))
    content = html("!action Bob Martin relancer la mairie", f"!action {pill(BOB, 'Bob Martin')} relancer la mairie")[1]
    msg = to_message(room, nio_event(ALICE, content, chat.clock))
    assert msg.conflicting_text is None
    [reply] = replies(await chat.router.handle(msg))
    assert reply.startswith("Action #1 enregistrée : relancer la mairie\nResponsables : Bob Martin")


# ---- (5) display names cannot pass for someone else ---------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("Alice", "Alice"),
    ("Bob\nEve", "Bob Eve"),  # a newline would split a line of the minutes
    ("Bob\r\n\tEve", "Bob Eve"),
    ("Ali\u200bce", "Alice"),  # zero-width space
    ("\ufeffAlice\u2060", "Alice"),  # byte-order mark, word joiner
    ("Alice\u202egnp.exe", "Alicegnp.exe"),  # right-to-left override
    ("\u2066Alice\u2069", "Alice"),  # isolates
    ("Alice\x00\x07\x1b[31m", "Alice [31m"),
    ("A\u2028B", "A B"),  # line separator
    ("  Alice   Martin ", "Alice Martin"),
    ("Éloi\u0308se", "Éloïse"),  # composed
    ("\u200b\u200b", None),  # nothing visible: named by the localpart
    ("", None),
    (None, None),
])
def test_display_names_are_cleaned(raw, shown):
    assert clean_name(raw) == shown
    [member] = members_of(nio_room((BOB, raw)))
    assert member.display_name == shown


def test_a_name_that_looks_like_a_matrix_id_is_shown_with_the_real_id():
    room = nio_room((MALLORY, "@alice:localhost"), (BOB, "alice:localhost"), (ALICE, "＠alice"),
                    ("@ok:pacte.example", "Okay"))
    labels = {m.user_id: m.label for m in members_of(room)}
    assert labels == {
        MALLORY: f"@alice:localhost ({MALLORY})",
        BOB: f"alice:localhost ({BOB})",
        ALICE: f"＠alice ({ALICE})",
        "@ok:pacte.example": "Okay",
    }
    # the rule is Member.label's: it holds for members built anywhere
    assert Member(MALLORY, "@alice:localhost").label == f"@alice:localhost ({MALLORY})"


def test_a_shared_name_is_shown_with_the_user_ids():
    room = nio_room((ALICE, "Alice"), (MALLORY, "Ali\u200bce"), ("@a2:other.example", "ALICE"),
                    (BOB, "Bob"), ("@bob:other.example", None), ("@carol:pacte.example", "Carol"))
    labels = {m.user_id: m.label for m in members_of(room)}
    assert labels == {
        ALICE: f"Alice ({ALICE})",
        MALLORY: f"Alice ({MALLORY})",
        "@a2:other.example": "ALICE (@a2:other.example)",
        BOB: f"Bob ({BOB})",  # the display name of one is the localpart of the other
        "@bob:other.example": "bob (@bob:other.example)",
        "@carol:pacte.example": "Carol",
    }
    # with only the sender in the list (chatter seen by observers), the whole room is still compared
    [sender] = members_of(room, only=MALLORY)
    assert sender.label == f"Alice ({MALLORY})"
    [carol] = members_of(room, only="@carol:pacte.example")
    assert carol.label == "Carol"


async def test_names_in_replies_and_listings_follow_the_rule(chat):
    room = nio_room((ALICE, "Alice"), (MALLORY, "Alice"), (BOB, "@alice:pacte.example\nBob"),
                    (COORD, "Coord"), powers={COORD: 50})

    async def run(sender: str, text: str, n: int) -> list[str]:
        effects = await chat.router.handle(to_message(room, nio_event(sender, {"body": text}, chat.clock, n)))
        return [e.content.plain for e in effects if hasattr(e, "content")]  # replies and notices (minutes)

    [created] = await run(COORD, f"!action @{MALLORY[1:]} @bob relire le compte rendu", 1)
    assert created.splitlines()[1] == (f"Responsables : Alice ({MALLORY}), "
                                       f"@alice:pacte.example Bob ({BOB})")
    [listing] = await run(COORD, "!action liste", 2)
    assert f"Alice ({MALLORY})" in listing and "\n• #1" in listing
    assert f"@alice:pacte.example Bob ({BOB})" in listing

    # meetings: roles, attendance and the minutes name people the same way
    await run(COORD, "!réunion début Bureau", 3)
    await run(MALLORY, "!présent", 4)
    minutes = "\n".join(await run(COORD, "!réunion fin", 5))
    assert f"Alice ({MALLORY})" in minutes


# ---- (10) decomposed accents, full-width forms, invisible characters ----------------------------------------

@pytest.mark.parametrize("command", [
    "!réglages",
    "!re\u0301glages",  # decomposed accent (combining acute)
    "！réglages",  # full-width exclamation mark
    "！ｒéｇｌａｇｅｓ",  # full-width letters
    "!ré\ufeffglages",  # byte-order mark
    "!ré\u200bglages",  # zero-width space
    "\ufeff!réglages",  # byte-order mark before the prefix
    "!ré\u200dglages",  # zero-width joiner
    "!ré\u00adglages",  # soft hyphen
    "!réglages\u00a0",  # no-break space
])
async def test_look_alike_and_invisible_forms_run_the_command(chat, command):
    reply = await chat.reply(command)
    assert reply.content.plain.startswith("Réglages du salon")


async def test_arguments_are_normalised_too(chat):
    out = (await chat.reply("!action ｒｅｌａｎｃｅｒ la\u200b mairie\x07 pour demain\u202e")).content.plain
    assert out.startswith("Action #1 enregistrée : relancer la mairie\n")
    assert "Échéance : mercredi 28 avril 2021" in out


def test_clean_text_keeps_newlines_tabs_and_visible_text():
    assert clean_text("!info a\r\nb\tc\x0bd\u2028e") == "!info a\nb\tcd\ne"
    assert clean_text("Famille 👨\u200d👩\u200d👧 !") == "Famille 👨\u200d👩\u200d👧 !"  # joiners kept


# ---- (9) per-user rate limit -----------------------------------------------------------------------------------

LIMIT_FR = "Doucement : 20 commandes en 10 s, c'est ma limite. Je reprends dans {} s."


async def test_twenty_commands_then_one_notice_then_silence_until_the_window_passes(chat):
    for _ in range(20):
        assert (await chat.reply("!ping", sender=ALICE)).content.plain == "pong"
    assert replies(await chat.say("!ping", sender=ALICE)) == [LIMIT_FR.format(10)]
    for _ in range(5):
        assert await chat.say("!ping", sender=ALICE) == []  # silence
    assert await chat.say("!action faire quelque chose", sender=ALICE) == []  # nothing recorded either
    chat.clock.advance(timedelta(seconds=4))
    assert await chat.say("!ping", sender=ALICE) == []
    chat.clock.advance(timedelta(seconds=6))
    assert (await chat.reply("!ping", sender=ALICE)).content.plain == "pong"
    assert (await chat.reply("!action liste", sender=ALICE)).content.plain.startswith("Aucune action")


async def test_the_window_slides(chat):
    for _ in range(10):
        await chat.reply("!ping", sender=ALICE)
    chat.clock.advance(timedelta(seconds=6))
    for _ in range(10):
        await chat.reply("!ping", sender=ALICE)
    assert replies(await chat.say("!ping", sender=ALICE)) == [LIMIT_FR.format(4)]
    chat.clock.advance(timedelta(seconds=4))  # the first ten left the window, not the last ten
    for _ in range(10):
        await chat.reply("!ping", sender=ALICE)
    assert replies(await chat.say("!ping", sender=ALICE)) == [LIMIT_FR.format(6)]


async def test_unknown_commands_count_and_other_people_and_rooms_are_not_slowed(chat):
    for _ in range(20):
        await chat.reply("!pnig", sender=ALICE)
    assert replies(await chat.say("!ping", sender=ALICE)) == [LIMIT_FR.format(10)]
    assert (await chat.reply("!ping", sender=BOB)).content.plain == "pong"
    assert (await chat.reply("!ping", sender=ALICE, room="!autre:pacte.example")).content.plain == "pong"
    assert await chat.say("bonjour", sender=ALICE) == []  # chatter is not a command


async def test_coordinators_are_not_limited(chat):
    chat.join(COORD, "Coord", power=50)
    for _ in range(50):
        assert (await chat.reply("!ping", sender=COORD)).content.plain == "pong"


async def test_the_notice_is_in_the_rooms_language(chat):
    chat.join(COORD, "Coord", power=50)
    await chat.say("!settings language en", sender=COORD)
    for _ in range(20):
        await chat.reply("!ping", sender=ALICE)
    assert replies(await chat.say("!ping", sender=ALICE)) == [
        "Easy: 20 commands in 10 s is my limit. I will take commands again in 10 s."]


async def test_the_limit_is_configurable_and_can_be_off(chat):
    services = chat.router.services
    chat.router = Router(chat.router.registry, replace(services, defaults=replace(
        services.defaults, rate_limit=RateLimit(3, timedelta(minutes=1)))))
    for _ in range(3):
        await chat.reply("!ping", sender=ALICE)
    assert replies(await chat.say("!ping", sender=ALICE)) == [
        "Doucement : 3 commandes en 60 s, c'est ma limite. Je reprends dans 60 s."]

    chat.router = Router(chat.router.registry, replace(services, defaults=replace(services.defaults, rate_limit=None)))
    for _ in range(100):
        assert (await chat.reply("!ping", sender=ALICE)).content.plain == "pong"


async def test_a_backlog_is_judged_on_when_it_was_typed(chat):
    """Commands read at once after a restart were typed over time: they are not a flood."""
    from handlers.core.interface import Message

    typed = chat.clock.now()
    chat.clock.advance(timedelta(hours=1))
    chat.join(ALICE)
    for i in range(30):
        msg = Message(f"$backlog{i}", typed + timedelta(minutes=i), ALICE, ROOM, "!ping", tuple(chat.members.values()))
        assert replies(await chat.router.handle(msg)) == ["pong"]


def test_the_limiter_forgets_people_who_stopped():
    limiter = RateLimiter(RateLimit(2, timedelta(seconds=10)))
    from tests.unit.conftest import NOW

    for i in range(100):
        limiter.check(ROOM, f"@u{i}:x", NOW)
    limiter.check(ROOM, "@late:x", NOW + timedelta(seconds=11))
    assert list(limiter._accepted) == [(ROOM, "@late:x")]


@pytest.mark.parametrize("text, limit", [
    ("20/10s", RateLimit(20, timedelta(seconds=10))),
    (" 5 / 1m ", RateLimit(5, timedelta(minutes=1))),
    ("off", None),
])
def test_parse_rate_limit(text, limit):
    assert parse_rate_limit(text) == limit


def test_rate_limit_in_the_configuration():
    base = {"matrix": {"homeserver": "https://m.example", "user_id": "@relais:m.example", "password": "x"}}
    assert parse(base, "c.toml", {}).defaults.rate_limit == RateLimit(20, timedelta(seconds=10))
    config = parse(base | {"bot": {"rate_limit": "30/1m"}}, "c.toml", {})
    assert config.defaults.rate_limit == RateLimit(30, timedelta(minutes=1))
    assert parse(base | {"bot": {"rate_limit": "off"}}, "c.toml", {}).defaults.rate_limit is None
    for bad in ("20", "ten/10s", "0/10s", "20/0s", "20/10x"):
        with pytest.raises(ConfigError, match=r"c\.toml: \[bot\] rate_limit must be"):
            parse(base | {"bot": {"rate_limit": bad}}, "c.toml", {})
