"""A capability added without touching anything outside its folder: the standard capabilities plus the toy one,
in a registry of the test's own (the bot's registry, handlers/capabilities.py, is left as it is)."""
import asyncio
from datetime import timedelta

import pytest

from bot.scheduler import JobScheduler
from handlers.capabilities import CAPABILITIES
from handlers.capabilities import registry as standard
from handlers.core.interface import Notice
from handlers.core.jobs import Job
from handlers.core.registry import Registry
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from tests.unit.conftest import ROOM, Chat
from tests.unit.toy_capability import CAPABILITY as TOY


@pytest.fixture
async def toy_chat(store, clock):
    registry = Registry((*CAPABILITIES, TOY))
    fired: list = []

    async def runner(job_id, kind, payload, scheduled_for):
        fired.extend(await registry.jobs.run(Job(job_id, kind, payload, scheduled_for, clock.now()), services))

    scheduler = JobScheduler("sqlite+aiosqlite://", clock, runner, late_grace=timedelta(hours=1))
    services = Services(store, clock, Defaults(), scheduler)
    scheduler.start()
    chat = Chat(Router(registry, services), clock)
    chat.fired = fired
    yield chat
    await scheduler.shutdown()


async def test_its_command_and_sub_command(toy_chat):
    assert (await toy_chat.reply("!jouet")).content.plain == "coucou"
    assert (await toy_chat.reply("!toy ring 5")).content.plain == "Ça sonnera dans 5 min."


async def test_a_bad_argument_gets_the_generated_error_and_usage(toy_chat):
    assert (await toy_chat.reply("!jouet sonner -1")).content.plain == (
        "« -1 » n'est pas un nombre de minutes valable : écrivez par exemple `!jouet sonner 5`.")
    # a sub-command's own usage line, with its description; an unknown one gets the whole command's
    assert (await toy_chat.reply("!jouet sonner")).content.plain == (
        "Usage : `!jouet sonner N` — fait sonner le salon dans N minutes")
    assert (await toy_chat.reply("!jouet danser")).content.plain == "Usage : `!jouet [sonner N]`"


async def test_help_lists_it_in_its_section_with_a_line_per_form(toy_chat):
    overview = (await toy_chat.reply("!aide")).content.plain.split("\n")
    assert overview[overview.index("Jouets") + 1] == "• `!jouet` — un jouet pour les tests"
    assert (await toy_chat.reply("!aide jouet")).content.plain == (
        "`!jouet [sonner N]` — un jouet pour les tests\n"
        "• `!jouet` — dit bonjour\n"
        "• `!jouet sonner N` — fait sonner le salon dans N minutes\n")


async def test_its_job_kind_runs_when_the_time_comes(toy_chat):
    await toy_chat.say("!jouet sonner 5")
    toy_chat.clock.advance(timedelta(minutes=5))
    toy_chat.router.services.scheduler.wakeup()
    for _ in range(50):
        if toy_chat.fired:
            break
        await asyncio.sleep(0.01)
    assert toy_chat.fired == [Notice(ROOM, toy_chat.router.registry.texts.t("fr", "toy.ring"))]


def test_the_bots_own_registry_is_untouched():
    assert standard.find("jouet") is None and "toy.hello" not in standard.texts
