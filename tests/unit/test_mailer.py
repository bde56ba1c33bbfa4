"""The digest's e-mail: a multipart message (plain + HTML) with the right headers through a real local SMTP server
(aiosmtpd); a server that is down or refuses is tried again, then reported, never raised; the effect survives the
outbox; the [email] and [digest] configuration."""
import email
from email import policy

import pytest

from bot.config import ConfigError, parse
from bot.devserver import free_port
from bot.mailer import EmailConfig, Mailer
from bot.sender import effect_from_json, effect_to_json
from handlers.core.interface import Email
from handlers.core.text import Rendered
from tests.smtp import running, smtp  # noqa: F401 (fixture)

MAIL = Email("!salon:pacte.example", "liste@pacte.example.org", "[Pacte climat] Résumé de la semaine du 26 avril",
             Rendered("📋 Résumé\n• #1 Relancer la mairie", "<b>📋 Résumé</b><ul><li>#1 Relancer la mairie</li></ul>"))


class Reports(list):
    """The `report` callback a Mailer is given, keeping the reasons it was told."""

    async def __call__(self, reason: str) -> None:
        self.append(reason)


class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return "550 no such list"


async def test_a_multipart_message_reaches_the_server(smtp):
    controller, inbox = smtp
    mailer = Mailer(EmailConfig("127.0.0.1", "relais@pacte.example.org", controller.port, "none"), delays=())
    reports = Reports()
    assert await mailer.deliver(MAIL, reports) is True
    assert reports == []
    [(sender, to, raw)] = inbox.messages
    assert sender == "relais@pacte.example.org" and to == ["liste@pacte.example.org"]
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "[Pacte climat] Résumé de la semaine du 26 avril"
    assert msg["From"] == "relais@pacte.example.org" and msg["To"] == "liste@pacte.example.org"
    assert msg["Message-ID"] and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert "• #1 Relancer la mairie" in plain.get_content()
    assert "<ul><li>#1 Relancer la mairie</li></ul>" in html.get_content()


async def test_a_refusing_server_is_tried_again_then_reported():
    with running(Refusing()) as controller:
        mailer = Mailer(EmailConfig("127.0.0.1", "relais@pacte.example.org", controller.port, "none"),
                        delays=(0.01, 0.01))
        reports = Reports()
        assert await mailer.deliver(MAIL, reports) is False
        assert len(reports) == 1 and "550" in reports[0]


async def test_a_server_that_is_down_is_reported():
    mailer = Mailer(EmailConfig("127.0.0.1", "relais@pacte.example.org", free_port(), "none"), delays=(0.01,))
    reports = Reports()
    assert await mailer.deliver(MAIL, reports) is False
    assert len(reports) == 1


def test_the_email_effect_survives_the_outbox():
    assert effect_from_json(effect_to_json(MAIL)) == MAIL


MATRIX = {"homeserver": "http://localhost:8008", "user_id": "@relais:localhost", "password": "x"}


def test_email_and_digest_configuration():
    config = parse({"matrix": MATRIX, "digest": {"day": "vendredi", "time": "17:30"},
                    "email": {"host": "smtp.example.org", "security": "tls", "user": "relais",
                              "from": "relais@example.org"}}, "config.toml", {"RELAIS_EMAIL_PASSWORD": "secret"})
    assert (config.defaults.digest_day, config.defaults.digest_time.hour) == (4, 17)
    assert config.email.password == "secret" and config.email.effective_port == 465
    assert "secret" not in repr(config.email)
    assert parse({"matrix": MATRIX}, "config.toml", {}).email is None
    for section, error in [({"digest": {"day": "jourdi"}}, "[digest] day"),
                           ({"digest": {"time": "25:00"}}, "[digest] time"),
                           ({"email": {"host": "h", "from": "pas une adresse"}}, "[email] from"),
                           ({"email": {"host": "h", "from": "a@b.org", "security": "ssl"}}, "[email] security"),
                           ({"email": {"from": "a@b.org"}}, "[email] host")]:
        with pytest.raises(ConfigError, match=error.replace("[", r"\[").replace("]", r"\]")):
            parse({"matrix": MATRIX, **section}, "config.toml", {})


async def test_the_sender_reports_a_failure_in_the_room_and_goes_on():
    from bot.sender import Sender

    sender = Sender(None, None)
    told = []

    async def notice(room_id, content, **kw):
        told.append((room_id, content.plain))

    sender.notice = notice
    await sender.perform(MAIL, MAIL.room_id, None)  # no [email] section
    assert told == [(MAIL.room_id, "Le résumé de la semaine n'a pas pu être envoyé à la liste "
                                   "liste@pacte.example.org : pas de section [email] dans la configuration.")]
    sender.mailer = Mailer(EmailConfig("127.0.0.1", "relais@pacte.example.org", free_port(), "none"), delays=())
    await sender.perform(MAIL, MAIL.room_id, None)  # the server is down
    assert len(told) == 2 and "server unreachable" in told[1][1]
